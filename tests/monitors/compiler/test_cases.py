"""Hand-built cases (tests/fixtures/monitors/compiler/cases_*.yaml): each spec, run through
the guarded backtest on a tiny plant, must return exactly the alerts written in the case,
on DuckDB, PostgreSQL, MariaDB and SQLite alike."""

from __future__ import annotations

import math
from typing import Any

import pytest

from tests.monitors.compiler.conftest import CASE_DIALECTS
from tests.monitors.compiler.tiny_plant import CasePlant, load_cases, utc
from tools.monitors.alerts import Alert
from tools.monitors.backtest import backtest
from tools.monitors.spec import parse_spec

CASES = load_cases()


def _as_rows(alerts: list[Alert]) -> list[list[Any]]:
    """Alerts as [group keys joined by /, unit, time, value] (keys in the query's order)."""
    return [["/".join(a.group.values()), a.unit_id, a.at, a.value] for a in alerts]


def _expected(case: dict[str, Any]) -> list[list[Any]]:
    return [[str(group), str(unit), utc(at), value] for group, unit, at, value in case["alerts"]]


def _same_value(got: float | None, want: float | None) -> bool:
    if got is None or want is None:
        return got is None and want is None
    return math.isclose(got, float(want), rel_tol=1e-9, abs_tol=1e-12)


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 40
    assert sum(1 for c in CASES if c["alerts"]) >= 35  # most cases expect alerts


@pytest.mark.parametrize("dialect", CASE_DIALECTS)
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case_alerts(case: dict[str, Any], dialect: str,
                     case_plants: dict[str, CasePlant]) -> None:
    plant = case_plants[dialect]
    plant.load(case)
    spec = parse_spec(case["spec"])
    result = backtest(spec, db=plant.db)
    assert not result.truncated
    got, want = _as_rows(result.alerts), _expected(case)
    assert [row[:3] for row in got] == [row[:3] for row in want], case["why"]
    for got_row, want_row in zip(got, want, strict=True):
        assert _same_value(got_row[3], want_row[3]), (got_row, want_row)
