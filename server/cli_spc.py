"""``andon spc chart`` and ``andon spc capability``: SPC on any CSV, no database needed.

The ``--json`` shapes are those of shared/spec/cli-contract.md (the engine's full result,
of which the contract names a subset); without ``--json`` people get rich tables.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from server.cli import JsonOption, app, refusals
from server.output import print_json, stdout
from tools.errors import InvalidInput

spc_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                      help="Control charts and process capability from a CSV file.")
app.add_typer(spc_app, name="spc")


class Rules(StrEnum):
    we = "we"
    nelson = "nelson"
    none = "none"


RULE_NAMES = {"we": "Western Electric 1-4", "nelson": "Nelson 1-8", "none": "none"}
CsvOption = Annotated[Path, typer.Option("--csv", help="The CSV file (a header row first).")]
SubgroupOption = Annotated[str | None, typer.Option(
    "--subgroup", help="Column naming the subgroup of each row (variables charts).")]


@spc_app.command("chart")
def chart_command(
    kind: Annotated[str, typer.Argument(
        metavar="KIND",
        help="xbar-r, xbar-s, imr, p, np, c, u, ewma, cusum (or t2 with --value X1,X2).")],
    csv: CsvOption,
    value: Annotated[str | None, typer.Option(
        "--value", help="Column of measurements (variables charts).")] = None,
    subgroup: SubgroupOption = None,
    count: Annotated[str | None, typer.Option(
        "--count", help="Column of nonconforming units / nonconformities (p, np, c, u).")]
    = None,
    size: Annotated[str | None, typer.Option(
        "--size", help="Column of sample sizes, or one number N (attributes charts; for "
                       "X̄ charts without --subgroup: consecutive rows in subgroups of N).")]
    = None,
    baseline: Annotated[int | None, typer.Option(
        "--baseline", help="Limits from the first N subgroups (phase I); the rest are "
                           "judged against them. Default: all subgroups.")] = None,
    rules: Annotated[Rules, typer.Option(
        "--rules", help="Run rules: Western Electric, Nelson or none.")] = Rules.we,
    as_json: JsonOption = False,
    png: Annotated[Path | None, typer.Option("--png", help="Write the chart as a PNG.")] = None,
    svg: Annotated[Path | None, typer.Option("--svg", help="Write the chart as an SVG.")] = None,
) -> None:
    """A control chart of a CSV column: limits, run-rule violations, optionally an image."""
    from server.spc_io import chart_data, chart_json, read_csv
    from tools.spc import control_chart

    with refusals(as_json):
        frame = read_csv(csv)
        data = chart_data(frame, kind, csv.name, value=value, subgroup=subgroup, count=count,
                          size=size)
        result = control_chart(data.kind, data.values, labels=data.labels, sizes=data.sizes,
                               baseline=baseline, rules=rules.value)
        images = _write_images(result, png, svg, title=None)
        if as_json:
            body = chart_json(result, data.names)
            if images:
                body["images"] = images
            print_json(body)
            return
        _print_chart(result, data.names, what=value or count or "", source=csv.name,
                     rules=rules.value)
        for fmt, path in images.items():
            stdout.print(f"[dim]wrote the {fmt.upper()} chart to[/] {path}", highlight=False)


def _write_images(result: Any, png: Path | None, svg: Path | None,
                  title: str | None) -> dict[str, str]:
    from tools.spc.plot import render_chart

    written: dict[str, str] = {}
    for fmt, path in (("png", png), ("svg", svg)):
        if path is None:
            continue
        image = render_chart(result, fmt=fmt, title=title)
        try:
            path.write_bytes(image)
        except OSError as exc:
            raise InvalidInput(f"cannot write {path}: {exc.strerror or exc}") from None
        written[fmt] = str(path)
    return written


@spc_app.command("capability")
def capability_command(
    csv: CsvOption,
    value: Annotated[str, typer.Option("--value", help="Column of measurements.")],
    lsl: Annotated[float | None, typer.Option("--lsl", help="Lower specification limit.")]
    = None,
    usl: Annotated[float | None, typer.Option("--usl", help="Upper specification limit.")]
    = None,
    subgroup: SubgroupOption = None,
    target: Annotated[float | None, typer.Option(
        "--target", help="Target value (default: the middle of the specification).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Process capability (Cp, Cpk, Pp, Ppk, Cpm) with confidence intervals."""
    from server.spc_io import chart_data, numeric_column, read_csv
    from tools.spc import capability

    with refusals(as_json):
        frame = read_csv(csv)
        values = numeric_column(frame, value, csv.name)
        labels = None
        if subgroup is not None:
            labels = chart_data(frame, "xbar-r", csv.name, value=value, subgroup=subgroup,
                                count=None, size=None).labels
        result = capability(values, labels=labels, lsl=lsl, usl=usl, target=target)
        if as_json:
            print_json(result.to_json())
            return
        _print_capability(result, what=value, source=csv.name)


def _num(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, list):
        finite = [v for v in value if v is not None]
        if not finite:
            return "–"
        low, high = min(finite), max(finite)
        return _num(low) if low == high else f"{_num(low)} … {_num(high)} (varies)"
    return f"{float(value):.7g}"


def _print_chart(result: Any, names: list[str] | None, *, what: str, source: str,
                 rules: str) -> None:
    from server.spc_io import names_differ, points_text

    body = result.to_json(points=True)
    phase = (f"limits from subgroups 1-{result.baseline} (phase I), {result.baseline + 1}-"
             f"{result.subgroups} judged against them (phase II)"
             if result.baseline < result.subgroups else "limits from all subgroups")
    sizes = body.get("sizes") or []
    n = f" of {sizes[0]:g}" if result.kind in ("xbar-r", "xbar-s") and sizes and \
        min(sizes) == max(sizes) else ""
    stdout.print(f"[bold]{result.kind} chart of {what} ({source})[/]: {result.subgroups} "
                 f"subgroups{n}; {phase}; rules: {RULE_NAMES[rules]}.", highlight=False)
    limits = Table(title="Centre and control limits", title_justify="left")
    for col in ("chart", "centre", "LCL", "UCL", "sigma"):
        limits.add_column(col, justify="left" if col == "chart" else "right")
    for chart in body["charts"]:
        limits.add_row(chart["name"], _num(chart["center"]), _num(chart["lcl"]),
                       _num(chart["ucl"]), _num(chart["sigma"]))
    stdout.print(limits)
    found = [(chart["name"], v) for chart in body["charts"] for v in chart["violations"]]
    if not found:
        stdout.print("No point violates the selected rules.")
    else:
        which = "subgroup names" if names_differ(names) else "1-based subgroup numbers"
        table = Table(title=f"Rule violations (points as {which})", title_justify="left")
        for col in ("chart", "rule", "severity", "points", "test"):
            table.add_column(col)
        for name, v in found:
            style = "red" if v["severity"] == "violation" else "yellow"
            table.add_row(name, v["rule"], f"[{style}]{v['severity']}[/]",
                          points_text(v["points"], names), v["description"])
        stdout.print(table)
    for note in result.notes:
        stdout.print(f"[dim]note: {note}[/]", highlight=False)


INDEX_ROWS = (("Cp", "cp"), ("Cpl", "cpl"), ("Cpu", "cpu"), ("Cpk", "cpk"), ("Cpm", "cpm"),
              ("Pp", "pp"), ("Ppl", "ppl"), ("Ppu", "ppu"), ("Ppk", "ppk"), ("Ppm", "ppm"))


def _print_capability(result: Any, *, what: str, source: str) -> None:
    groups = f" in {result.subgroups} subgroups" if result.subgroups else ""
    spec = f"{_num(result.lsl)} to {_num(result.usl)}"
    stdout.print(f"[bold]Capability of {what} ({source})[/]: {result.n} observations"
                 f"{groups}; mean {_num(result.mean)}; sigma within {_num(result.sigma_within)}"
                 f" ({result.sigma_method}), overall {_num(result.sigma_overall)}; "
                 f"specification {spec}, target {_num(result.target)}.", highlight=False)
    level = f"{result.confidence_level * 100:g}% CI"
    table = Table(title="Capability indices", title_justify="left")
    for col in ("index", "value", level, "sigma"):
        table.add_column(col, justify="left" if col in ("index", "sigma") else "right")
    for label, key in INDEX_ROWS:
        value, ci = getattr(result, key), getattr(result, f"{key}_ci")
        if value is None:
            continue
        interval = "–" if ci is None else f"{ci[0]:#.4g} – {ci[1]:#.4g}"
        table.add_row(label, f"{value:#.4g}", interval,
                      "within" if key.startswith("c") else "overall")
    stdout.print(table)
    out = [f"{side} {_num(getattr(result, f'expected_{key}_pct'))}% expected, "
           f"{_num(getattr(result, f'observed_{key}_pct'))}% observed"
           for side, key in (("below LSL", "below_lsl"), ("above USL", "above_usl"))
           if getattr(result, f"expected_{key}_pct") is not None]
    if out:
        stdout.print("Out of specification: " + "; ".join(out) + ".", highlight=False)
    stdout.print(_normality_sentence(result.normality), highlight=False)
    for name, why in result.unsupported.items():
        stdout.print(f"[dim]{name} not computed: it {why}[/]", highlight=False)
    for warning in result.warnings:
        stdout.print(f"[yellow]warning:[/] {warning}", highlight=False)


def _normality_sentence(check: Any) -> str:
    tests = []
    if check.shapiro_p is not None:
        tests.append(f"Shapiro-Wilk W = {check.shapiro_w:.4f}, p = {check.shapiro_p:.3g}")
    if check.anderson_p is not None:
        tests.append(f"Anderson-Darling A² = {check.anderson_a2:.3f}, p = {check.anderson_p:.3g}")
    detail = f" ({'; '.join(tests)})" if tests else ""
    return f"Normality: the data are {check.message}{detail}." if check.normal is not None \
        else f"Normality: {check.message}."
