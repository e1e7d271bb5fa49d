"""``andon standards search|show|index``: clauses of quality standards from the bundled corpus.

The clause store lives in ``$ANDON_HOME/standards`` (an embedded Chroma folder) unless
``--chroma-url`` names a Chroma server; it is brought up to date with the corpus on every
open, re-embedding only what changed. ``--json`` shapes follow shared/spec/cli-contract.md.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import ValidationError

from server.cli import JsonOption, app, refusals, settings_for
from server.config import Settings
from server.context import progress_bar
from server.output import print_json, print_rows, stdout
from tools.errors import InvalidInput

if TYPE_CHECKING:
    from tools.standards import ClauseRecord, StandardsIndex, SyncReport

standards_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                            help="Find and read clauses of quality standards (ISO 9001, IATF "
                                 "16949, VDA 6.3, ISO 13485, 21 CFR Part 11, AIAG).")
app.add_typer(standards_app, name="standards")

ChromaUrlOption = Annotated[str | None, typer.Option(
    "--chroma-url", help="A Chroma server (http://host:port) instead of the embedded store "
                         "in $ANDON_HOME/standards.")]


def open_index(settings: Settings, chroma_url: str | None, *, quiet: bool,
               rebuild: bool = False) -> tuple[StandardsIndex, SyncReport]:
    """The clause index of these settings, synced with the corpus (progress bar on stderr)."""
    from tools.standards import StandardsIndex

    path = None if chroma_url else settings.home / "standards"
    with nullcontext(None) if quiet else progress_bar("standards index") as progress:
        return StandardsIndex.open(path=path, url=chroma_url, rebuild=rebuild,
                                   progress=progress)


def search_args(query: str, k: int, standards: list[str] | None) -> Any:
    from tools.standards import SearchArgs

    try:
        return SearchArgs(query=query, k=k, standards=standards or None)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first.get("loc", ())) or "input"
        raise InvalidInput(f"{field}: {str(first.get('msg', 'invalid')).rstrip('.')}.") \
            from None


@standards_app.command("search")
def search_command(
    text: Annotated[str, typer.Argument(help="A question in English or Chinese, or a clause "
                                             "such as 'IATF 16949 10.2.3'.")],
    k: Annotated[int, typer.Option("--k", help="How many clauses (1-50).")] = 5,
    standard: Annotated[list[str] | None, typer.Option(
        "--standard", help="Only this standard (repeatable), e.g. 'IATF 16949'.")] = None,
    chroma_url: ChromaUrlOption = None,
    as_json: JsonOption = False,
) -> None:
    """Find the clauses that answer a question: exact clause numbers, keywords and meaning."""
    from tools.standards import SearchResult, search_standards

    with refusals(as_json):
        args = search_args(text, k, standard)
        index, _ = open_index(settings_for(), chroma_url, quiet=as_json)
        hits = search_standards(args, index=index)
        if as_json:
            print_json(SearchResult(query=text, results=hits).model_dump(mode="json"))
            return
        if not hits:
            stdout.print("No clause matches.")
            return
        zh = any("\u3400" <= ch <= "\u9fff" for ch in text)
        print_rows(["#", "standard", "clause", "title", "score"],
                   [(i, h.standard, h.clause, (h.title_zh or h.title) if zh else h.title,
                     f"{h.score:.2f}") for i, h in enumerate(hits, start=1)],
                   title=f"Clauses for: {text}")
        best = hits[0]
        stdout.print(f"\n[bold]{best.standard} {best.clause}[/]: "
                     f"{best.summary_zh if zh else best.summary_en}", highlight=False)


@standards_app.command("show")
def show_command(
    clause: Annotated[str, typer.Argument(help="e.g. 'IATF 16949 10.2.3', 'VDA 6.3 P6.4', "
                                               "'21 CFR 11.10(e)'.")],
    as_json: JsonOption = False,
) -> None:
    """One clause in full: title, what it asks (English and Chinese), keywords, related."""
    from tools.standards import show_clause

    with refusals(as_json):
        record = show_clause(clause)
        if as_json:
            print_json(record.model_dump(mode="json"))
            return
        _print_record(record)


def _print_record(record: ClauseRecord) -> None:
    stdout.print(f"[bold]{record.standard}:{record.edition} {record.clause}[/] "
                 f"{record.title} ({record.title_zh})", highlight=False)
    stdout.print(f"\n{record.summary_en}\n\n{record.summary_zh}\n", highlight=False)
    stdout.print(f"Keywords: {', '.join(record.keywords_en)}; "
                 f"{'、'.join(record.keywords_zh)}", highlight=False)
    if record.related:
        stdout.print(f"Related: {', '.join(record.related)}", highlight=False)
    if record.note:
        stdout.print(f"[dim]Note: {record.note}[/]", highlight=False)
    stdout.print("[dim]Summaries are Andon's own words, not the text of the standard.[/]")


@standards_app.command("index")
def index_command(
    rebuild: Annotated[bool, typer.Option(
        "--rebuild", help="Re-embed every clause, not only new or changed ones.")] = False,
    chroma_url: ChromaUrlOption = None,
    as_json: JsonOption = False,
) -> None:
    """Build or update the clause store (incremental: unchanged clauses are not re-embedded)."""
    with refusals(as_json):
        _, report = open_index(settings_for(), chroma_url, quiet=as_json, rebuild=rebuild)
        if as_json:
            print_json(report.model_dump(mode="json"))
            return
        stdout.print(f"{report.records} clauses ({report.entries} entries, embedder "
                     f"{report.embedder}) at {report.location}: embedded {report.embedded}, "
                     f"unchanged {report.unchanged}, removed {report.deleted}, in "
                     f"{report.seconds:.1f} s.", highlight=False)
