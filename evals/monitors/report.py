"""The run's report: a Markdown page and a JSON file, and a short console summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from evals.monitors.compare import FIELDS
from evals.monitors.runner import EvalReport
from evals.monitors.scoring import ReaderCaseResult, ReaderSummary, SqlCaseResult

MAX_ALERTS_SHOWN = 5


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f} ms"


def report_paths(out: Path, backend: str, split: str = "main") -> tuple[Path, Path]:
    """``out`` is a directory (files named ``monitors-<backend>``, plus ``-<split>`` for a
    split other than main) or a file stem."""
    name = f"monitors-{backend}" + ("" if split == "main" else f"-{split}")
    stem = out.with_suffix("") if out.suffix in (".md", ".json") else out / name
    return stem.with_suffix(".md"), stem.with_suffix(".json")


def write_reports(report: EvalReport, out: Path) -> tuple[Path, Path]:
    md_path, json_path = report_paths(out, report.backend, report.split)
    md_path.parent.mkdir(parents=True, exist_ok=True)
    md_path.write_text(markdown(report), encoding="utf-8")
    data = report.model_dump(mode="json")
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n",
                         encoding="utf-8")
    return md_path, json_path


# -- Markdown ---------------------------------------------------------------------------------
def _summary_rows(summaries: dict[str, ReaderSummary]) -> list[str]:
    rows = ["| language | cases | alert-set accuracy | exact spec | refusal precision | "
            "refusal recall | refusal code | false refusals | errors | p50 | p95 |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    for lang, s in summaries.items():
        rows.append(
            f"| {lang} | {s.cases} | {_pct(s.alert_accuracy)} ({s.alert_correct}/"
            f"{s.monitor_cases}) | {_pct(s.exact_spec_accuracy)} | "
            f"{_pct(s.refusal_precision)} | {_pct(s.refusal_recall)} | "
            f"{_pct(s.refusal_code_accuracy)} | {s.false_refusals} | {s.errors} | "
            f"{_ms(s.latency_p50_ms)} | {_ms(s.latency_p95_ms)} |")
    return rows


def _field_rows(summaries: dict[str, ReaderSummary]) -> list[str]:
    langs = list(summaries)
    rows = ["| field | " + " | ".join(langs) + " |", "|---|" + "---|" * len(langs)]
    for name in FIELDS:
        rows.append(f"| {name} | " + " | ".join(_pct(summaries[lang].field_accuracy[name])
                                                 for lang in langs) + " |")
    return rows


def _alerts_lines(label: str, records: list[dict[str, Any]]) -> list[str]:
    if not records:
        return []
    shown = ", ".join(f"{'/'.join(r['group'].values())} {r['unit_id']}"
                      for r in records[:MAX_ALERTS_SHOWN])
    more = f" (+{len(records) - MAX_ALERTS_SHOWN} more)" if len(records) > MAX_ALERTS_SHOWN \
        else ""
    return [f"- {label} alerts ({len(records)}): {shown}{more}"]


def _reader_failure(result: ReaderCaseResult) -> list[str]:
    lines = [f"### {result.id} ({result.lang})", "", f"> {result.request}", ""]
    if result.is_refusal_case:
        if result.refused:
            lines.append(f"- expected refusal `{result.expected_refusal}`, refused with "
                         f"`{result.refusal_code}`: {result.refusal_message}")
        elif result.error:
            lines.append(f"- expected refusal `{result.expected_refusal}`; error: "
                         f"{result.error}")
        else:
            lines.append(f"- expected refusal `{result.expected_refusal}`, "
                         "but a monitor was produced")
    elif result.error:
        lines.append(f"- error: {result.error}")
    elif result.refused:
        lines.append(f"- refused (`{result.refusal_code}`): {result.refusal_message}")
    if result.understood:
        lines.append(f"- understood: {result.understood}")
    if result.field_diffs:
        lines += ["", "| field | expected | produced |", "|---|---|---|"]
        lines += [f"| {d.field} | `{json.dumps(d.expected, ensure_ascii=False)}` | "
                  f"`{json.dumps(d.produced, ensure_ascii=False)}` |" for d in result.field_diffs]
        lines.append("")
    if result.alert_diff is not None:
        lines.append(f"- alerts: expected {result.expected_alerts}, produced "
                     f"{result.produced_alerts}")
        lines += _alerts_lines("missing", result.alert_diff.missing)
        lines += _alerts_lines("extra", result.alert_diff.extra)
    return [*lines, ""]


def _sql_failure(result: SqlCaseResult) -> list[str]:
    lines = [f"### {result.id} ({result.lang})", "",
             f"- reference alerts: {result.reference_alerts}; compiled: "
             f"{result.compiled_alerts}"]
    if result.near_threshold_units:
        lines.append(f"- {result.near_threshold_units} unit statistics lie on or within 1e-9 "
                     "of a threshold (rounding may decide them)")
    lines += [f"- {dialect}: {error}" for dialect, error in result.errors.items()]
    for dialect, diff in result.diffs.items():
        lines += [f"- {dialect}:"]
        lines += ["  " + x for x in _alerts_lines("missing", diff.missing)]
        lines += ["  " + x for x in _alerts_lines("extra", diff.extra)]
    for dialect, same in result.identical_to_duckdb.items():
        if not same:
            lines.append(f"- {dialect} differs from DuckDB's compiled alerts (time or value)")
    return [*lines, ""]


def markdown(report: EvalReport) -> str:
    ds = report.dataset
    lines = [f"# Monitor evaluation: reader backend `{report.backend}`", "",
             f"Run {report.created_at:%Y-%m-%d %H:%M} UTC on the demo plant (seed "
             f"{report.seed}, {report.months} months). Dataset split `{report.split}`: "
             f"{ds['cases']} requests "
             f"({ds['en']} English, {ds['zh']} Chinese, {ds['refusals']} to refuse).", "",
             "## Reading", ""]
    if report.reader_summary:
        lines += _summary_rows(report.reader_summary)
        lines += ["", "Alert-set accuracy: share of monitor requests whose produced monitor "
                  "raises exactly the expected monitor's alerts (keyed by group and unit) on "
                  "the demo plant, both evaluated by the reference evaluator.", "",
                  "### Field accuracy (monitor requests)", ""]
        lines += _field_rows(report.reader_summary)
    else:
        lines.append(f"Reader {report.reader_status}.")
    lines += ["", "## SQL proof: compiled monitors against the reference evaluator", ""]
    if report.sql_summary is not None:
        s = report.sql_summary
        lines += ["| dialect | expected monitors | alerts equal reference | times and values "
                  "equal | identical to DuckDB | errors |", "|---|---|---|---|---|---|"]
        for d in s.dialects:
            lines.append(f"| {d} | {s.cases} | {s.matches_reference[d]} | "
                         f"{s.values_match_reference[d]} | "
                         f"{s.identical_to_duckdb.get(d, '–')} | {s.errors[d]} |")
        lines += ["", f"{s.passed}/{s.cases} monitors agree everywhere."]
    else:
        lines.append(f"SQL proof {report.sql_status}.")
    secs = report.seconds
    lines += ["", "## Time", "", "| stage | seconds |", "|---|---|"]
    lines += [f"| {k} | {v:.2f} |" for k, v in secs.items()]
    failing = [r for r in report.reader_cases if not r.passed
               or (r.is_refusal_case and r.refusal_code != r.expected_refusal)]
    if failing:
        lines += ["", f"## Failing reader cases ({len(failing)})", ""]
        for failed in failing:
            lines += _reader_failure(failed)
    sql_failing = [r for r in report.sql_cases if not r.passed]
    if sql_failing:
        lines += ["", f"## Failing SQL cases ({len(sql_failing)})", ""]
        for sql_failed in sql_failing:
            lines += _sql_failure(sql_failed)
    return "\n".join(lines).rstrip() + "\n"


# -- console ------------------------------------------------------------------------------
def print_summary(report: EvalReport, console: Console, paths: tuple[Path, Path]) -> None:
    if report.reader_summary:
        table = Table(title=f"Reader `{report.backend}`, split `{report.split}`")
        for column in ("lang", "cases", "alert acc.", "exact spec", "refusal P", "refusal R",
                       "code", "errors", "p50", "p95"):
            table.add_column(column)
        for lang, s in report.reader_summary.items():
            table.add_row(lang, str(s.cases), _pct(s.alert_accuracy),
                          _pct(s.exact_spec_accuracy), _pct(s.refusal_precision),
                          _pct(s.refusal_recall), _pct(s.refusal_code_accuracy),
                          str(s.errors), _ms(s.latency_p50_ms), _ms(s.latency_p95_ms))
        console.print(table)
        failing = [r.id for r in report.reader_cases if not r.passed]
        if failing:
            console.print(f"failing ({len(failing)}): " + ", ".join(failing[:30])
                          + (" ..." if len(failing) > 30 else ""))
    else:
        console.print(f"reader: {report.reader_status}")
    if report.sql_summary is not None:
        sql = report.sql_summary
        parts = [f"{d} {sql.matches_reference[d]}/{sql.cases}" for d in sql.dialects]
        console.print("SQL proof (alerts equal reference): " + ", ".join(parts)
                      + f"; agree everywhere {sql.passed}/{sql.cases}")
    else:
        console.print(f"SQL proof: {report.sql_status}")
    console.print(f"reports: {paths[0]} and {paths[1]}")
