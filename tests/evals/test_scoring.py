"""Field comparison, the reader summary figures, scoring one case with a reader, and the
reports, on fixture cases and the tiny plant."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from evals.monitors.backends import read_request
from evals.monitors.compare import FIELDS, AlertDiff, alert_diff, field_diffs, field_matches
from evals.monitors.dataset import Case
from evals.monitors.frames import load_frames
from evals.monitors.report import markdown, write_reports
from evals.monitors.runner import EvalReport, ReferenceCache, score_case
from evals.monitors.scoring import ReaderCaseResult, summarize_by_language
from tests.conftest import FIXTURES
from tools.catalog import Catalog
from tools.errors import UnknownPart
from tools.monitors.spec import MonitorSpec, parse_spec

COMPARE = yaml.safe_load((FIXTURES / "evals" / "compare_cases.yaml").read_text())["cases"]
SUMMARY = yaml.safe_load((FIXTURES / "evals" / "summary_cases.yaml").read_text())
REFERENCE = yaml.safe_load((FIXTURES / "evals" / "reference_cases.yaml").read_text())["cases"]


@pytest.mark.parametrize("case", COMPARE, ids=[c["id"] for c in COMPARE])
def test_field_matches(case: dict[str, Any]) -> None:
    expected, produced = parse_spec(case["expected"]), parse_spec(case["produced"])
    matches = field_matches(expected, produced)
    assert set(matches) == set(FIELDS)
    assert sorted(f for f, ok in matches.items() if not ok) == sorted(case["wrong"])
    diffs = field_diffs(expected, produced)
    assert bool(diffs) == bool(case["wrong"])


def _result(row: dict[str, Any]) -> ReaderCaseResult:
    outcome = row["outcome"]
    result = ReaderCaseResult(id=row["id"], lang=row["lang"], request=row["id"],
                              expected_refusal=row.get("expected_refusal"),
                              latency_ms=row["latency_ms"])
    if outcome.startswith("refused:"):
        result.refusal_code = outcome.split(":", 1)[1]
    elif outcome == "error":
        result.error = "RuntimeError: boom"
    elif outcome in ("alerts_ok", "alerts_wrong"):
        result.alert_diff = AlertDiff(missing=[] if outcome == "alerts_ok" else
                                      [{"group": {"part_id": "P"}, "unit_id": "B1"}])
    return result


def test_summary_figures() -> None:
    summaries = summarize_by_language([_result(r) for r in SUMMARY["results"]])
    assert set(summaries) == set(SUMMARY["expected"])
    for lang, figures in SUMMARY["expected"].items():
        got = summaries[lang].model_dump()
        for name, value in figures.items():
            assert math.isclose(got[name], value), (lang, name, got[name], value)


def _spec_of(case_id: str) -> MonitorSpec:
    return parse_spec(next(c for c in REFERENCE if c["id"] == case_id)["spec"])


def _raise_unknown_part(text: str, catalog: Catalog) -> Any:
    raise UnknownPart(f"unknown part in {text!r}")


def _crash(text: str, catalog: Catalog) -> Any:
    raise ValueError("reader bug")


CATALOG = Catalog(schema_version=1, dialect="duckdb", tables_present=[], tables_missing=[])


def test_score_case_with_readers(tiny_plant_url: str) -> None:
    cache = ReferenceCache(load_frames(tiny_plant_url))
    expected = _spec_of("stdev-null-breaks-episode")
    other = _spec_of("consecutive-two")
    case = Case(id="t-1", lang="en", request="weight stdev > 0.5", expected=expected)
    right = score_case(case, lambda text, catalog: expected, CATALOG, cache)
    assert right.passed and right.exact and right.expected_alerts == 2
    as_json = score_case(case, lambda t, c: expected.model_dump(mode="json"), CATALOG, cache)
    assert as_json.passed
    wrong = score_case(case, lambda t, c: other, CATALOG, cache)
    assert not wrong.passed and wrong.alert_diff is not None
    # both monitors fire at B05; only the expected one at B02
    assert [a["unit_id"] for a in wrong.alert_diff.missing] == ["B02"]
    assert wrong.alert_diff.extra == []
    assert {d.field for d in wrong.field_diffs} >= {"window"}
    refused = score_case(case, _raise_unknown_part, CATALOG, cache)
    assert refused.refusal_code == "unknown_part" and not refused.passed
    crashed = score_case(case, _crash, CATALOG, cache)
    assert crashed.error == "ValueError: reader bug" and not crashed.passed
    invalid = read_request(lambda t, c: {"conditions": []}, "x", CATALOG)
    assert invalid.spec is None and invalid.error and "invalid spec" in invalid.error
    refusal_case = Case(id="t-2", lang="zh", request="你好", refusal="not_a_monitor")
    assert not score_case(refusal_case, lambda t, c: expected, CATALOG, cache).passed
    assert score_case(refusal_case, _raise_unknown_part, CATALOG, cache).passed


def test_alert_diff_keys() -> None:
    from tools.monitors.alerts import Alert

    at = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    a = Alert(group={"part_id": "P"}, unit_id="B1", at=at, value=1.0)
    b = Alert(group={"part_id": "P"}, unit_id="B2", at=at, value=2.0)
    diff = alert_diff([a, b], [b.model_copy(update={"value": 9.0})])
    assert [x["unit_id"] for x in diff.missing] == ["B1"] and diff.extra == []


def test_reports_written(tiny_plant_url: str, tmp_path: Path) -> None:
    cache = ReferenceCache(load_frames(tiny_plant_url))
    case = Case(id="t-3", lang="en", request="mean > 10.5 twice",
                expected=_spec_of("consecutive-two"))
    result = score_case(case, lambda t, c: _spec_of("k-of-n-from-nth-unit"), CATALOG, cache)
    report = EvalReport(backend="stub", created_at=dt.datetime.now(dt.UTC), seed=7, months=6,
                        databases={"duckdb": tiny_plant_url},
                        dataset={"cases": 1, "en": 1, "zh": 0, "refusals": 0},
                        reader_status="ok", reader_summary=summarize_by_language([result]),
                        sql_status="not run", reader_cases=[result])
    text = markdown(report)
    assert "t-3" in text and "| window |" in text and "0.0% (0/1)" in text
    md_path, json_path = write_reports(report, tmp_path / "out")
    assert md_path.name == "monitors-stub.md" and md_path.read_text() == text
    data = json.loads(json_path.read_text())
    assert data["reader_cases"][0]["alert_diff"]["missing"][0]["unit_id"] == "B05"
