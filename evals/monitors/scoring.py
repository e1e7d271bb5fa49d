"""Per-case results and the figures drawn from them: alert-set accuracy, field accuracy,
refusal precision/recall, reading latency, and the SQL proof's agreement counts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from evals.monitors.compare import FIELDS, AlertDiff, FieldDiff


class ReaderCaseResult(BaseModel):
    """One request read by one reader backend, and how the reading compares."""

    id: str
    lang: str
    request: str
    expected_refusal: str | None = None
    produced_spec: dict[str, Any] | None = None
    understood: str | None = None
    refusal_code: str | None = None
    refusal_message: str | None = None
    error: str | None = None
    latency_ms: float = 0.0
    fields: dict[str, bool] = Field(default_factory=dict)
    field_diffs: list[FieldDiff] = Field(default_factory=list)
    expected_alerts: int | None = None
    produced_alerts: int | None = None
    alert_diff: AlertDiff | None = None

    @property
    def is_refusal_case(self) -> bool:
        return self.expected_refusal is not None

    @property
    def refused(self) -> bool:
        return self.refusal_code is not None

    @property
    def alerts_equal(self) -> bool:
        return self.alert_diff is not None and self.alert_diff.equal

    @property
    def passed(self) -> bool:
        """A monitor case passes when its alert set is right; a refusal case when it is
        refused (whatever the code; code agreement is reported on its own)."""
        return self.refused if self.is_refusal_case else self.alerts_equal

    @property
    def exact(self) -> bool:
        return bool(self.fields) and all(self.fields.values())


class SqlCaseResult(BaseModel):
    """One expected monitor: reference alerts against the compiled SQL in each dialect."""

    id: str
    lang: str
    reference_alerts: int
    near_threshold_units: int = 0
    compiled_alerts: dict[str, int] = Field(default_factory=dict)
    errors: dict[str, str] = Field(default_factory=dict)
    matches_reference: dict[str, bool] = Field(default_factory=dict,
                                               description="alert keys equal the reference's")
    values_match_reference: dict[str, bool] = Field(default_factory=dict,
                                                    description="times and values equal too")
    identical_to_duckdb: dict[str, bool] = Field(
        default_factory=dict, description="keys, times and values equal DuckDB's compiled "
        "alerts (server dialects)")
    diffs: dict[str, AlertDiff] = Field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not self.errors and all(self.matches_reference.values()) \
            and all(self.identical_to_duckdb.values())


class ReaderSummary(BaseModel):
    """The figures of one language (or all) for one reader backend."""

    cases: int
    monitor_cases: int
    refusal_cases: int
    alert_correct: int
    alert_accuracy: float | None
    exact_spec_accuracy: float | None
    field_accuracy: dict[str, float | None]
    refused: int
    refused_correctly: int
    refusal_precision: float | None
    refusal_recall: float | None
    refusal_code_accuracy: float | None
    false_refusals: int = Field(description="monitor requests the reader refused")
    errors: int = Field(description="reader crashes and invalid specs")
    latency_p50_ms: float | None
    latency_p95_ms: float | None


def _share(numerator: int, denominator: int) -> float | None:
    return None if denominator == 0 else numerator / denominator


def percentile(values: Sequence[float], q: float) -> float | None:
    return None if not values else float(np.percentile(np.asarray(values, dtype=float), q))


def summarize_reader(results: Sequence[ReaderCaseResult]) -> ReaderSummary:
    monitors = [r for r in results if not r.is_refusal_case]
    refusals = [r for r in results if r.is_refusal_case]
    refused = [r for r in results if r.refused]
    alert_correct = sum(r.alerts_equal for r in monitors)
    field_accuracy = {
        name: _share(sum(r.fields.get(name, False) for r in monitors), len(monitors))
        for name in FIELDS
    }
    latencies = [r.latency_ms for r in results if r.error is None]
    return ReaderSummary(
        cases=len(results), monitor_cases=len(monitors), refusal_cases=len(refusals),
        alert_correct=alert_correct, alert_accuracy=_share(alert_correct, len(monitors)),
        exact_spec_accuracy=_share(sum(r.exact for r in monitors), len(monitors)),
        field_accuracy=field_accuracy,
        refused=len(refused), refused_correctly=sum(r.is_refusal_case for r in refused),
        refusal_precision=_share(sum(r.is_refusal_case for r in refused), len(refused)),
        refusal_recall=_share(sum(r.refused for r in refusals), len(refusals)),
        refusal_code_accuracy=_share(sum(r.refusal_code == r.expected_refusal
                                         for r in refusals), len(refusals)),
        false_refusals=sum(r.refused for r in monitors),
        errors=sum(r.error is not None for r in results),
        latency_p50_ms=percentile(latencies, 50), latency_p95_ms=percentile(latencies, 95))


def summarize_by_language(results: Sequence[ReaderCaseResult]) -> dict[str, ReaderSummary]:
    """``en``, ``zh`` and ``all``."""
    out = {lang: summarize_reader([r for r in results if r.lang == lang])
           for lang in sorted({r.lang for r in results})}
    out["all"] = summarize_reader(results)
    return out


class SqlSummary(BaseModel):
    """The SQL proof over every expected monitor."""

    cases: int
    dialects: list[str]
    matches_reference: dict[str, int]
    values_match_reference: dict[str, int]
    identical_to_duckdb: dict[str, int]
    errors: dict[str, int]
    passed: int
    near_threshold_cases: int


def summarize_sql(results: Sequence[SqlCaseResult], dialects: Sequence[str]) -> SqlSummary:
    return SqlSummary(
        cases=len(results), dialects=list(dialects),
        matches_reference={d: sum(r.matches_reference.get(d, False) for r in results)
                           for d in dialects},
        values_match_reference={d: sum(r.values_match_reference.get(d, False)
                                       for r in results) for d in dialects},
        identical_to_duckdb={d: sum(r.identical_to_duckdb.get(d, False) for r in results)
                             for d in dialects if d != "duckdb"},
        errors={d: sum(d in r.errors for r in results) for d in dialects},
        passed=sum(r.passed for r in results),
        near_threshold_cases=sum(r.near_threshold_units > 0 for r in results))
