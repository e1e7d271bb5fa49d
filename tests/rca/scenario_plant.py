"""Small hand-built plants with one planted cause each (tests/fixtures/rca/scenarios.yaml),
written to DuckDB, PostgreSQL or MariaDB in the reference schema.

The schedule is simple and explicit (see the fixture's header); only the noise is drawn,
from a seeded generator, so every database gets the same rows.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from tests.conftest import FIXTURES
from tools.database import connect
from tools.reference_schema import TABLES, TABLES_BY_NAME, create_table_sql

RCA_FIXTURES: Path = FIXTURES / "rca"
SHIFTS = (("A", 6), ("B", 14), ("C", 22))
CREWS = (("OP1", "OP2"), ("OP3", "OP4"), ("OP5", "OP6"))
MACHINES = ("M1", "M2", "M3")
TOOLS = ("T1", "T2")
Rows = dict[str, list[tuple[Any, ...]]]


def load(name: str) -> Any:
    return yaml.safe_load((RCA_FIXTURES / name).read_text(encoding="utf-8"))


@cache
def scenarios() -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in load("scenarios.yaml")}


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def _base(base: dict[str, Any]) -> Rows:
    return {
        "plants": [tuple(p) for p in base["plants"]],
        "lines": [(line, "PLT", f"line {line}", process) for line, process in base["lines"]],
        "machines": [(m, "L1", f"machine {m}", "injection_press") for m in base["machines"]],
        "tools": [(t, f"tool {t}", kind, part) for t, kind, part in base["tools"]],
        "suppliers": [(s, f"supplier {s}", "DE") for s in base["suppliers"]],
        "parts": [tuple(p) for p in base["parts"]],
        "characteristics": [tuple(c) for c in base["characteristics"]],
    }


def _at(start: dt.datetime, day: float) -> dt.datetime:
    return start + dt.timedelta(days=float(day))


class _Batch:
    def __init__(self, index: int, day: int, shift: str, hour: int, start: dt.datetime) -> None:
        self.index, self.day, self.shift = index, day, shift
        self.batch_id = f"B{index:04d}"
        self.started = start + dt.timedelta(days=day, hours=hour)
        week = day // 7
        crew = CREWS[(("A", "B", "C").index(shift) + week) % 3]
        self.operator = crew[day % 2]
        self.tool = TOOLS[(day // 4) % 2]
        self.machine = MACHINES[(day // 3) % 3]
        self.lot = ""
        self.supplier = ""


def _schedule(scenario: dict[str, Any], start: dt.datetime) -> list[_Batch]:
    batches: list[_Batch] = []
    for day in range(int(scenario["days"])):
        for shift, hour in SHIFTS:
            batches.append(_Batch(len(batches), day, shift, hour, start))
    pin = scenario.get("pin")
    for b in batches:
        if pin and pin["from"] <= b.day < pin["to"]:
            b.machine = pin["machine"] if b.tool == pin["tool"] else \
                ("M2" if b.day % 2 else "M3")
    size = int(scenario.get("lot_batches", 6))
    for b in batches:
        k = b.index // size
        b.lot, b.supplier = f"LOT-{k:03d}", ("S1", "S2")[k % 2]
    return batches


def _selected(b: _Batch, effect: dict[str, Any], scenario: dict[str, Any],
              start: dt.datetime, draw: float) -> bool:
    where = effect.get("where") or {}
    if "lot" in where:  # the lot holding the first batch of the effect's window
        first = next(x for x in _schedule(scenario, start) if x.day >= effect["from"])
        return b.lot == first.lot
    if not _at(start, effect["from"]) <= b.started < _at(start, effect["to"]):
        return False
    for key, attribute in (("machine", "machine"), ("tool", "tool"), ("shift", "shift"),
                           ("operator", "operator"), ("supplier", "supplier")):
        if key in where and getattr(b, attribute) != where[key]:
            return False
    if "share" in where and draw >= float(where["share"]):
        return False
    if "after_event" in where:
        event = next(e for e in scenario["events"] if e[0] == where["after_event"])
        return getattr(b, "tool" if event[2] == "tool" else "machine") == event[1]
    return True


def scenario_rows(scenario: dict[str, Any]) -> Rows:
    """Every reference row of one scenario (the base plant included)."""
    base = load("base_plant.yaml")
    start = utc(base["start"])
    rows: Rows = {t.name: [] for t in TABLES}
    rows.update(_base(base))
    rng = np.random.default_rng(int(scenario.get("seed", 5)))
    batches = _schedule(scenario, start)
    seen_lots: dict[str, str] = {}
    for b in batches:
        seen_lots.setdefault(b.lot, b.supplier)
    for lot, supplier in seen_lots.items():
        first = next(x for x in batches if x.lot == lot)
        received = first.started - dt.timedelta(days=2)
        rows["material_lots"].append((lot, supplier, "PA66", received))
        rows["incoming_inspections"].append((f"I-{lot}", lot, "moisture",
                                             round(float(0.1 + 0.01 * rng.normal()), 3), "%",
                                             "pass", received + dt.timedelta(hours=2)))
    for b in batches:
        draws = rng.random(len(scenario.get("effects", [])))
        mean, ratio, defects = 0.0, 1.0, 1.0
        params = {"hold_pressure": 600.0 + 3.0 * rng.normal(),
                  "cycle_time": 30.0 + 0.1 * rng.normal()}
        for effect, draw in zip(scenario.get("effects", []), draws, strict=True):
            if _selected(b, effect, scenario, start, float(draw)):
                mean += float(effect.get("mean", 0.0))
                ratio *= float(effect.get("sd_ratio", 1.0))
                defects *= float(effect.get("defect_ratio", 1.0))
                for name, delta in (effect.get("parameter") or {}).items():
                    params[name] += float(delta)
        level = 10.0 + mean + 0.02 * rng.normal()
        for n, value in enumerate(level + 0.03 * ratio * rng.normal(size=5), start=1):
            rows["measurements"].append((b.batch_id, "C1", n, round(float(value), 4),
                                         b.started + dt.timedelta(minutes=10 * n)))
        for name, value in params.items():
            rows["process_parameters"].append((b.batch_id, name, round(value, 2), "bar"))
        flash = int(rng.poisson(1000 * 0.002 * defects))
        if flash:
            rows["defects"].append((f"D{b.index:04d}", b.batch_id, "flash", flash,
                                    b.started + dt.timedelta(hours=1), "visual"))
        rows["batches"].append((b.batch_id, "P1", "L1", b.machine, b.tool, b.lot, b.shift,
                                b.operator, b.started, b.started + dt.timedelta(hours=7),
                                1000, flash))
    for event_id, asset, asset_type, kind, day, text in scenario.get("events", []):
        rows["maintenance_events"].append((event_id, asset, asset_type, kind,
                                           _at(start, day), text))
    for change_id, part, day, kind, text in scenario.get("changes", []):
        rows["engineering_changes"].append((change_id, part, _at(start, day), kind, text))
    return rows


def build_scenario(url: str, scenario_id: str) -> None:
    """Write one scenario's plant to an empty database at ``url``."""
    rows = scenario_rows(scenarios()[scenario_id])
    with connect(url, writable=True) as db:
        for table in TABLES:
            db.execute(create_table_sql(table, db.dialect))
            if rows[table.name]:
                db.insert_rows(table.name, TABLES_BY_NAME[table.name].column_names,
                               rows[table.name])
