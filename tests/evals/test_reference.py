"""The reference evaluator on the tiny hand-built plant: every alert computed by hand in
tests/fixtures/evals/reference_cases.yaml, on DuckDB, PostgreSQL and MariaDB."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest
import yaml

from evals.monitors.frames import forget_frames
from evals.monitors.reference import near_threshold_units, reference_alerts, reference_traces
from tests.conftest import FIXTURES
from tests.evals.conftest import write_fixture_plant
from tools.monitors.alerts import Alert
from tools.monitors.spec import parse_spec

CASES = yaml.safe_load((FIXTURES / "evals" / "reference_cases.yaml").read_text())["cases"]


def _check(alerts: list[Alert], expected: list[dict[str, Any]], case_id: str) -> None:
    got = [(a.key(), a) for a in alerts]
    want = [((tuple(sorted(e["group"].items())), e["unit_id"]), e) for e in expected]
    assert [k for k, _ in got] == [k for k, _ in want], case_id
    for (_, alert), (_, exp) in zip(got, want, strict=True):
        assert alert.value is not None and math.isclose(alert.value, exp["value"],
                                                        rel_tol=1e-9, abs_tol=1e-12), \
            (case_id, alert.unit_id, alert.value, exp["value"])
        if "at" in exp:
            at = dt.datetime.fromisoformat(exp["at"].replace("Z", "+00:00"))
            assert alert.at == at, (case_id, alert.unit_id)
        assert alert.at.tzinfo is not None


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_hand_computed_alerts(case: dict[str, Any], tiny_plant_url: str) -> None:
    spec = parse_spec(case["spec"])
    _check(reference_alerts(spec, tiny_plant_url), case["alerts"], case["id"])


@pytest.mark.parametrize("backend", ["postgresql", "mysql"])
def test_same_alerts_from_server_databases(backend: str,
                                           request: pytest.FixtureRequest) -> None:
    url = write_fixture_plant(request.getfixturevalue(
        "pg_url" if backend == "postgresql" else "mysql_url"))
    try:
        for case in CASES:
            _check(reference_alerts(parse_spec(case["spec"]), url), case["alerts"], case["id"])
    finally:
        forget_frames(url)


def test_traces_follow_units_and_flag_ties(tiny_plant_url: str) -> None:
    case = next(c for c in CASES if c["id"] == "time-window-open-start")
    spec = parse_spec(case["spec"])
    traces = reference_traces(spec, tiny_plant_url)
    assert [t.group for t in traces] == [{"part_id": "PA", "characteristic": "weight"}]
    trace = traces[0]
    assert trace.unit_ids == ["B01", "B02", "B03", "B04", "B05", "B06"]
    assert trace.full == [False, False, True, True, True, True]
    # the pooled mean at B03 is 10.6: a threshold of 10.6 lies on it
    on_value = spec.model_copy(update={"conditions": (spec.conditions[0].model_copy(
        update={"threshold": 10.6}),)})
    assert near_threshold_units(on_value, reference_traces(on_value, tiny_plant_url)) == 1
    assert near_threshold_units(spec, traces) == 0
