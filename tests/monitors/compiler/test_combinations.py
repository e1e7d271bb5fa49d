"""Every measure x statistic x window the spec model allows (combinations.yaml): compiled
for every dialect, and run through the guarded backtest on the demo plant (DuckDB)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.monitors.compiler.tiny_plant import load_yaml
from tools.database import connect
from tools.monitors.backtest import backtest
from tools.monitors.compiler import SUPPORTED_DIALECTS, compile_monitor
from tools.monitors.spec import POOLABLE_STATISTICS, STATISTICS_BY_MEASURE, parse_spec

SETUP: dict[str, Any] = load_yaml("combinations.yaml")


def _combinations(window: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for measure, statistics in sorted(STATISTICS_BY_MEASURE.items()):
        for statistic in sorted(statistics):
            if window["kind"] in ("rolling", "time") and statistic not in POOLABLE_STATISTICS:
                continue
            comparator, threshold = SETUP["thresholds"][statistic]
            signal = {"measure": measure, "statistic": statistic,
                      "name": SETUP["names"].get(measure)}
            spec = {"conditions": [{"signal": signal, "comparator": comparator,
                                    "threshold": threshold}], "window": window}
            found.append((f"{measure}-{statistic}", spec))
    return found


@pytest.mark.parametrize("window", SETUP["windows"], ids=[w["kind"] for w in SETUP["windows"]])
def test_every_combination_runs(window: dict[str, Any], demo_urls: dict[str, str]) -> None:
    combinations = _combinations(window)
    assert len(combinations) >= 14
    fired = 0
    with connect(demo_urls["duckdb"]) as db:
        for combination_id, body in combinations:
            spec = parse_spec(body)
            for dialect in SUPPORTED_DIALECTS:
                compile_monitor(spec, dialect=dialect)
            result = backtest(spec, db=db)
            assert not result.truncated, combination_id
            fired += bool(result.alerts)
    assert fired >= len(combinations) * 0.75  # most thresholds are crossed somewhere


@pytest.mark.parametrize("measure", sorted(STATISTICS_BY_MEASURE))
def test_every_measure_has_names_and_thresholds(measure: str) -> None:
    for statistic in STATISTICS_BY_MEASURE[measure]:
        assert statistic in SETUP["thresholds"]
    if measure not in ("batch", "complaints"):
        assert measure in SETUP["names"]
