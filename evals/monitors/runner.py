"""The evaluation run: read every request with a reader backend and score it against the
expected monitor (alerts on the demo plant, fields, refusals, latency), then prove the
compiled SQL right against the reference evaluator on every dialect."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence

from pydantic import BaseModel, Field

from evals.monitors.backends import (
    BackendUnavailable,
    ReaderFn,
    compiled_alerts,
    read_request,
    reader_backend,
)
from evals.monitors.compare import alert_diff, alerts_identical, field_diffs, field_matches
from evals.monitors.dataset import Case, Split, load_cases
from evals.monitors.frames import PlantFrames, load_frames
from evals.monitors.plants import DIALECTS, ensure_plant, plant_urls
from evals.monitors.reference import GroupTrace, near_threshold_units, reference_traces
from evals.monitors.scoring import (
    ReaderCaseResult,
    ReaderSummary,
    SqlCaseResult,
    SqlSummary,
    summarize_by_language,
    summarize_sql,
)
from tools.catalog import Catalog, build_catalog
from tools.database import Database, connect, redact_url
from tools.monitors.alerts import Alert
from tools.monitors.spec import MonitorSpec

Progress = Callable[[str, int, int], None]


class RunOptions(BaseModel):
    """What to evaluate and where."""

    backend: str = "deterministic"
    split: Split = Field(default="main",
                         description="dataset split: main, heldout, heldout2 or all")
    dialects: list[str] = Field(default_factory=lambda: list(DIALECTS))
    duckdb_url: str | None = None
    servers: dict[str, str] = Field(default_factory=dict)
    seed: int = 7
    months: int = 6
    rebuild: bool = False
    only: list[str] = Field(default_factory=list, description="case id prefixes to keep")
    reader: bool = True
    sql: bool = True


class EvalReport(BaseModel):
    """Everything one run measured (the JSON report)."""

    backend: str
    split: str = "main"
    created_at: dt.datetime
    seed: int
    months: int
    databases: dict[str, str]
    dataset: dict[str, int]
    reader_status: str
    reader_summary: dict[str, ReaderSummary] = Field(default_factory=dict)
    sql_status: str
    sql_summary: SqlSummary | None = None
    seconds: dict[str, float] = Field(default_factory=dict)
    reader_cases: list[ReaderCaseResult] = Field(default_factory=list)
    sql_cases: list[SqlCaseResult] = Field(default_factory=list)


class ReferenceCache:
    """Reference evaluations by spec, so a monitor read right twice is evaluated once."""

    def __init__(self, frames: PlantFrames) -> None:
        self.frames = frames
        self.seconds = 0.0
        self.evaluations = 0
        self._traces: dict[str, list[GroupTrace]] = {}

    def traces(self, spec: MonitorSpec) -> list[GroupTrace]:
        key = spec.model_dump_json(exclude={"language", "actions"})
        if key not in self._traces:
            started = time.perf_counter()
            self._traces[key] = reference_traces(spec, frames=self.frames)
            self.seconds += time.perf_counter() - started
            self.evaluations += 1
        return self._traces[key]

    def alerts(self, spec: MonitorSpec) -> list[Alert]:
        alerts = [a for trace in self.traces(spec) for a in trace.alerts]
        return sorted(alerts, key=lambda a: (sorted(a.group.items()), a.at, a.unit_id))


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def score_case(case: Case, reader: ReaderFn, catalog: Catalog,
               cache: ReferenceCache) -> ReaderCaseResult:
    """Read one request and compare the reading with the expected monitor or refusal."""
    outcome = read_request(reader, case.request, catalog)
    result = ReaderCaseResult(
        id=case.id, lang=case.lang, request=case.request, expected_refusal=case.refusal,
        produced_spec=None if outcome.spec is None else outcome.spec.model_dump(mode="json"),
        understood=outcome.understood, refusal_code=outcome.refusal_code,
        refusal_message=outcome.refusal_message, error=outcome.error,
        latency_ms=outcome.latency_ms)
    if case.expected is None:
        return result
    expected = cache.alerts(case.expected)
    result.expected_alerts = len(expected)
    if outcome.spec is None:
        return result
    result.fields = field_matches(case.expected, outcome.spec)
    result.field_diffs = field_diffs(case.expected, outcome.spec)
    try:
        produced = cache.alerts(outcome.spec)
    except Exception as exc:  # a spec the reference cannot evaluate is a failed case
        result.error = f"reference evaluator failed on the produced spec: {exc}"
        return result
    result.produced_alerts = len(produced)
    result.alert_diff = alert_diff(expected, produced)
    return result


def run_reader(cases: Sequence[Case], reader: ReaderFn, catalog: Catalog,
               cache: ReferenceCache, progress: Progress = _quiet) -> list[ReaderCaseResult]:
    results = []
    for n, case in enumerate(cases, 1):
        results.append(score_case(case, reader, catalog, cache))
        progress("reading", n, len(cases))
    return results


def prove_case(case: Case, spec: MonitorSpec, databases: dict[str, Database],
               cache: ReferenceCache) -> SqlCaseResult:
    """Compiled alerts in every dialect against the reference (and servers against DuckDB).
    Raises ``BackendUnavailable`` when the compiler is missing."""
    reference = cache.alerts(spec)
    result = SqlCaseResult(id=case.id, lang=case.lang, reference_alerts=len(reference),
                           near_threshold_units=near_threshold_units(spec, cache.traces(spec)))
    compiled: dict[str, list[Alert]] = {}
    for dialect, db in databases.items():
        try:
            compiled[dialect] = compiled_alerts(spec, db)
        except BackendUnavailable:
            raise
        except Exception as exc:  # one failing dialect is a result, not a stop
            result.errors[dialect] = f"{type(exc).__name__}: {exc}"
            continue
        alerts = compiled[dialect]
        result.compiled_alerts[dialect] = len(alerts)
        diff = alert_diff(reference, alerts)
        result.matches_reference[dialect] = diff.equal
        result.values_match_reference[dialect] = alerts_identical(reference, alerts)
        if not diff.equal:
            result.diffs[dialect] = diff
    if "duckdb" in compiled:
        for dialect, alerts in compiled.items():
            if dialect != "duckdb":
                result.identical_to_duckdb[dialect] = alerts_identical(
                    compiled["duckdb"], alerts, rel_tol=1e-9)
    return result


def run_sql_proof(cases: Sequence[Case], urls: dict[str, str], cache: ReferenceCache,
                  progress: Progress = _quiet) -> tuple[list[SqlCaseResult], float]:
    monitors = [c for c in cases if c.expected is not None]
    databases = {dialect: connect(url) for dialect, url in urls.items()}
    started = time.perf_counter()
    try:
        results = []
        for n, case in enumerate(monitors, 1):
            assert case.expected is not None
            results.append(prove_case(case, case.expected, databases, cache))
            progress("SQL proof", n, len(monitors))
    finally:
        for db in databases.values():
            db.close()
    return results, time.perf_counter() - started


def _dataset_counts(cases: Sequence[Case]) -> dict[str, int]:
    return {"cases": len(cases), "en": sum(c.lang == "en" for c in cases),
            "zh": sum(c.lang == "zh" for c in cases),
            "refusals": sum(c.is_refusal for c in cases)}


def run_evaluation(options: RunOptions, progress: Progress = _quiet,
                   say: Callable[[str], None] = print) -> EvalReport:
    """Build (or reuse) the plants, then score the reader and prove the SQL."""
    cases = [c for c in load_cases(split=options.split)
             if not options.only or any(c.id.startswith(p) for p in options.only)]
    urls = plant_urls(options.dialects if options.sql else ["duckdb"],
                      duckdb_url=options.duckdb_url, seed=options.seed,
                      months=options.months, servers=options.servers)
    started = time.perf_counter()
    counts = ensure_plant(urls["duckdb"], seed=options.seed, months=options.months,
                          rebuild=options.rebuild, say=say)
    for dialect, url in urls.items():
        if dialect != "duckdb":
            ensure_plant(url, seed=options.seed, months=options.months,
                         rebuild=options.rebuild, expected_counts=counts, say=say)
    seconds = {"plants": time.perf_counter() - started}
    cache = ReferenceCache(load_frames(urls["duckdb"]))
    report = EvalReport(backend=options.backend, split=options.split,
                        created_at=dt.datetime.now(dt.UTC),
                        seed=options.seed, months=options.months,
                        databases={d: redact_url(u) for d, u in urls.items()},
                        dataset=_dataset_counts(cases), reader_status="not run",
                        sql_status="not run")
    if options.reader:
        _score_reader(report, options, cases, urls["duckdb"], cache, progress)
    if options.sql:
        try:
            report.sql_cases, report.seconds["sql_proof"] = run_sql_proof(
                cases, {d: urls[d] for d in options.dialects if d in urls}, cache, progress)
            report.sql_summary = summarize_sql(report.sql_cases,
                                               [d for d in options.dialects if d in urls])
            report.sql_status = "ok"
        except BackendUnavailable as exc:
            report.sql_status = f"unavailable: {exc}"
    report.seconds.update(seconds)
    report.seconds["reference"] = cache.seconds
    report.seconds["reference_per_monitor_ms"] = 1000 * cache.seconds / max(1, cache.evaluations)
    return report


def _score_reader(report: EvalReport, options: RunOptions, cases: Sequence[Case],
                  duckdb_url: str, cache: ReferenceCache, progress: Progress) -> None:
    try:
        reader = reader_backend(options.backend)
    except BackendUnavailable as exc:
        report.reader_status = f"unavailable: {exc}"
        return
    with connect(duckdb_url) as db:
        catalog = build_catalog(db)
    started = time.perf_counter()
    report.reader_cases = run_reader(cases, reader, catalog, cache, progress)
    report.seconds["reader"] = time.perf_counter() - started
    report.reader_summary = summarize_by_language(report.reader_cases)
    report.reader_status = "ok"
