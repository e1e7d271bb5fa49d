"""Realistic monitors (tests/fixtures/monitors/compiler/demo_specs.yaml) on the demo plant:
the same alerts on DuckDB, PostgreSQL and MariaDB, and enough of them to mean something."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import pytest

from tests.monitors.compiler.conftest import SERVER_DIALECTS
from tests.monitors.compiler.tiny_plant import load_yaml
from tools.database import Database, connect
from tools.monitors.alerts import Alert
from tools.monitors.backtest import backtest
from tools.monitors.spec import parse_spec

SPECS: list[dict[str, Any]] = load_yaml("demo_specs.yaml")


@pytest.fixture(scope="module")
def demo_dbs(demo_urls: dict[str, str]) -> Iterator[dict[str, Database]]:
    dbs = {dialect: connect(url) for dialect, url in demo_urls.items()}
    yield dbs
    for db in dbs.values():
        db.close()


def _same(left: list[Alert], right: list[Alert]) -> bool:
    if [(*a.key(), a.at) for a in left] != [(*a.key(), a.at) for a in right]:
        return False
    for a, b in zip(left, right, strict=True):
        if (a.value is None) != (b.value is None):
            return False
        if a.value is not None and b.value is not None and not math.isclose(
                a.value, b.value, rel_tol=1e-9, abs_tol=1e-12):
            return False
    return True


@pytest.mark.parametrize("case", SPECS, ids=[s["id"] for s in SPECS])
def test_same_alerts_on_every_server(case: dict[str, Any],
                                     demo_dbs: dict[str, Database]) -> None:
    spec = parse_spec(case["spec"])
    results = {dialect: backtest(spec, db=demo_dbs[dialect]) for dialect in SERVER_DIALECTS}
    reference = results["duckdb"].alerts
    assert len(reference) >= case["min_alerts"]
    for dialect, result in results.items():
        assert not result.truncated
        assert _same(result.alerts, reference), dialect
    # Alerts come in group, time, unit order, one per episode.
    keys = [(tuple(a.group.values()), a.at, a.unit_id) for a in reference]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
