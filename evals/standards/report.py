"""Markdown and JSON reports of a standards evaluation run."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from evals.standards.runner import Outcome, Summary, breakdown, summarize
from tools.standards.corpus import Corpus
from tools.standards.store import SyncReport

Results = dict[str, tuple[list[Outcome], SyncReport | None]]


def pct(value: float) -> str:
    return f"{100 * value:.1f} %"


def _row(label: str, s: Summary) -> str:
    return (f"| {label} | {s.n} | {pct(s.recall_at_1)} | **{pct(s.recall_at_3)}** | "
            f"{pct(s.recall_at_5)} | {s.mrr:.3f} | {s.p50_ms:.1f} | {s.p95_ms:.1f} |")


HEADER = ["| set | questions | recall@1 | recall@3 | recall@5 | MRR@10 | p50 ms | p95 ms |",
          "|---|---|---|---|---|---|---|---|"]


def detail_table(outcomes: list[Outcome]) -> list[str]:
    lines = list(HEADER)
    for split in ("dev", "holdout"):
        part = [o for o in outcomes if o.question.split == split]
        for lang, summary in breakdown(part, lambda q: q.lang).items():
            lines.append(_row(f"{split} {lang}", summary))
        lines.append(_row(f"{split} all", summarize(part)))
    for lang, summary in breakdown(outcomes, lambda q: q.lang).items():
        lines.append(_row(f"all {lang}", summary))
    lines.append(_row("**all**", summarize(outcomes)))
    for kind, summary in breakdown(outcomes, lambda q: q.kind).items():
        lines.append(_row(f"kind: {kind}", summary))
    return lines


def failures(outcomes: list[Outcome], corpus: Corpus) -> list[str]:
    lines = ["| id | split | question | expected | rank | top 3 |", "|---|---|---|---|---|---|"]
    for o in outcomes:
        if o.rank is not None and o.rank <= 3:
            continue
        top = "; ".join(f"{k} ({t.title})" if (t := corpus.by_key(k)) else k
                        for k in o.top[:3])
        lines.append(f"| {o.question.id} | {o.question.split} | {o.question.q} | "
                     f"{o.question.expect} | {o.rank or '-'} | {top} |")
    return lines if len(lines) > 2 else ["None: every question found its clause in the top 3."]


def comparison(results: Results) -> list[str]:
    lines = ["| retriever | index sync | dev recall@3 (en / zh) | dev MRR | holdout recall@3 "
             "(en / zh) | holdout MRR | all recall@3 | all MRR | p50 ms |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, (outcomes, sync) in results.items():
        cells = [name, "-" if sync is None else f"{sync.embedded} embedded, {sync.seconds:.1f} s"]
        for split in ("dev", "holdout"):
            part = [o for o in outcomes if o.question.split == split]
            if not part:
                cells += ["-", "-"]
                continue
            langs = breakdown(part, lambda q: q.lang)
            per_lang = " / ".join(pct(langs[lang].recall_at_3) if lang in langs else "-"
                                  for lang in ("en", "zh"))
            cells.append(f"{pct(summarize(part).recall_at_3)} ({per_lang})")
            cells.append(f"{summarize(part).mrr:.3f}")
        everything = summarize(outcomes)
        cells += [pct(everything.recall_at_3), f"{everything.mrr:.3f}",
                  f"{everything.p50_ms:.1f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def as_json(primary: str, results: Results, corpus: Corpus,
            problems: dict[str, list[str]]) -> dict[str, Any]:
    out: dict[str, Any] = {"primary": primary, "corpus": corpus.counts(), "problems": problems,
                           "retrievers": {}}
    for name, (outcomes, sync) in results.items():
        out["retrievers"][name] = {
            "index_sync": None if sync is None else sync.model_dump(mode="json"),
            "all": asdict(summarize(outcomes)),
            "by_split_lang": {
                f"{split} {lang}": asdict(summary)
                for split in ("dev", "holdout")
                for lang, summary in breakdown(
                    [o for o in outcomes if o.question.split == split],
                    lambda q: q.lang).items()},
            "by_lang": {k: asdict(v) for k, v in breakdown(outcomes, lambda q: q.lang).items()},
            "ranks": {o.question.id: o.rank for o in outcomes},
        }
    return out
