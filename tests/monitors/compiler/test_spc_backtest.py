"""SPC monitors backtested on hand-built series (tests/fixtures/monitors/spc/) on DuckDB,
PostgreSQL, MariaDB and SQLite, and on the demo plant against the SPC engine run on the
same data read straight from the tables with pandas."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest
import yaml

from tests.conftest import FIXTURES
from tests.monitors.compiler.conftest import CASE_DIALECTS, SERVER_DIALECTS
from tests.monitors.compiler.tiny_plant import CasePlant
from tools.database import connect
from tools.monitors.backtest import backtest
from tools.monitors.spc_spec import SpcMonitorSpec
from tools.spc import RuleSpec, control_chart

CASES: list[dict[str, Any]] = yaml.safe_load(
    (FIXTURES / "monitors" / "spc" / "spc_backtest_cases.yaml").read_text(encoding="utf-8"))
START = dt.datetime(2026, 3, 2, 6, tzinfo=dt.UTC)


def _tiny_case(case: dict[str, Any]) -> dict[str, Any]:
    """The series of a case as a tiny-plant case (tiny_plant.py's format)."""
    series: list[Any] = (case.get("values") or case.get("subgroups")
                         or case.get("defective") or case.get("flash") or [])
    batches: list[list[Any]] = []
    samples: dict[str, dict[str, Any]] = {}
    defects: dict[str, dict[str, Any]] = {}
    for number, entry in enumerate(series, start=1):
        batch = f"B{number:02d}"
        at = (START + dt.timedelta(hours=number - 1)).strftime("%Y-%m-%d %H:%M")
        extra = {"defective": entry} if "defective" in case else {}
        batches.append([batch, "P1", at, extra])
        if "values" in case:
            samples[batch] = {"W1": [entry]}
        elif "subgroups" in case:
            samples[batch] = {"W1": entry}
        elif "flash" in case:
            defects[batch] = {"flash": entry}
    return {"batches": batches, "samples": samples, "defects": defects}


@pytest.mark.parametrize("dialect", CASE_DIALECTS)
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_spc_case_alerts(case: dict[str, Any], dialect: str,
                         case_plants: dict[str, CasePlant]) -> None:
    plant = case_plants[dialect]
    plant.load(_tiny_case(case))
    spec = SpcMonitorSpec.model_validate(case["spec"])
    result = backtest(spec, db=plant.db)
    assert [a.unit_id for a in result.alerts] == case["alerts"], case["why"]
    for alert in result.alerts:
        assert alert.group["part_id"] == "P1" and alert.rules == ("nelson-1",)
    if not case["alerts"] and "too_few" in case["id"]:
        assert result.notes and "nothing to judge" in result.notes[0]


DEMO_SPECS: list[dict[str, Any]] = [
    {"chart": "xbar-r", "name": "diameter", "scope": {"part_ids": ["P-310"]},
     "rules": [{"rule": f"nelson-{i}"} for i in range(1, 9)]},
    {"chart": "imr", "name": "weight", "rules": [{"rule": "nelson-1"}, {"rule": "nelson-2"},
                                                 {"rule": "nelson-3", "k": 7}]},
    {"chart": "p", "scope": {"processes": ["stamping"]},
     "rules": [{"rule": f"we-{i}"} for i in range(1, 5)], "baseline": 30},
    {"chart": "u", "name": "flash", "scope": {"part_ids": ["P-100", "P-120"]},
     "rules": [{"rule": "nelson-1"}, {"rule": "nelson-5"}]},
]


def _independent_alerts(spec: SpcMonitorSpec, url: str) -> list[tuple[str, str]]:
    """The same monitor from the tables read whole with pandas: series per part, the SPC
    engine, phase-II points flagged, the first of each run."""
    with connect(url) as db:
        def frame(sql: str) -> pd.DataFrame:
            result = db.query(sql)
            return pd.DataFrame(result.rows, columns=[c.lower() for c in result.columns])
        batches = frame("SELECT batch_id, part_id, line_id, started_at, qty_produced, "
                        "qty_defective FROM batches")
        lines = frame("SELECT line_id, process FROM lines")
        measurements = frame("SELECT m.batch_id, m.sample_no, m.value, c.name FROM "
                             "measurements m JOIN characteristics c ON "
                             "c.characteristic_id = m.characteristic_id")
        defects = frame("SELECT batch_id, defect_code, quantity FROM defects")
    batches = batches.merge(lines, on="line_id")
    if spec.scope.part_ids:
        batches = batches[batches.part_id.isin(spec.scope.part_ids)]
    if spec.scope.processes:
        batches = batches[batches.process.isin(spec.scope.processes)]
    batches = batches.sort_values(["part_id", "started_at", "batch_id"])
    rules = [RuleSpec(rule=r.rule, k=r.k) for r in spec.rules]
    found: list[tuple[str, str]] = []
    for part, group in batches.groupby("part_id", sort=True):
        if spec.chart in ("xbar-r", "imr"):
            samples = measurements[measurements.name == spec.name].merge(
                group[["batch_id", "started_at"]], on="batch_id").sort_values(
                ["started_at", "batch_id", "sample_no"])
            if samples.empty:
                continue
            order = list(dict.fromkeys(samples.batch_id))
            if spec.chart == "imr":
                means = samples.groupby("batch_id").value.mean()
                result = control_chart("imr", [float(means[b]) for b in order],
                                       baseline=spec.baseline, iterate=True, rules=rules)
            else:
                result = control_chart("xbar-r", samples.value.astype(float).tolist(),
                                       labels=samples.batch_id.tolist(),
                                       baseline=spec.baseline, iterate=True, rules=rules)
        else:
            order = group.batch_id.tolist()
            if spec.chart == "p":
                counts = group.qty_defective.astype(float).tolist()
            else:
                code = defects[defects.defect_code == spec.name].groupby("batch_id").quantity.sum()
                counts = [float(code.get(b, 0)) for b in order]
            result = control_chart(spec.chart, counts, sizes=group.qty_produced.astype(
                float).tolist(), baseline=spec.baseline, iterate=True, rules=rules)
        if len(order) <= spec.baseline:
            continue
        flagged = {p for v in result.charts[0].violations for p in v.points
                   if p > spec.baseline}
        found += [(str(part), order[p - 1]) for p in sorted(flagged) if p - 1 not in flagged]
    return found


@pytest.mark.parametrize("spec_data", DEMO_SPECS, ids=[s["chart"] for s in DEMO_SPECS])
def test_demo_plant_matches_the_engine_on_the_tables(spec_data: dict[str, Any],
                                                     demo_urls: dict[str, str]) -> None:
    spec = SpcMonitorSpec.model_validate(spec_data)
    expected = _independent_alerts(spec, demo_urls["duckdb"])
    assert expected, "the demo plant should give this monitor something to find"
    for dialect in SERVER_DIALECTS:
        with connect(demo_urls[dialect]) as db:
            result = backtest(spec, db=db)
        got = [(a.group["part_id"], a.unit_id) for a in result.alerts]
        assert got == expected, dialect
