"""Hand-built monitor cases (tests/fixtures/monitors/compiler/cases_*.yaml) as reference
rows, and the databases they are written to.

A case lists only what matters to it, compactly::

    batches:      [[B1, P1, "2026-03-02 06:00", {defective: 30, line: L2}], ...]
    samples:      {B1: {W1: [10.0, 10.2]}}          # measurements per characteristic
    parameters:   {B1: {melt_temp: 285}}
    defects:      {B1: {flash: 3, burr: [2, 2]}}    # a list is several defect rows
    lots:         [[LA1, S1, PA66, "2026-03-01 08:00"]]
    inspections:  [[LA1, moisture, 0.05, pass, "2026-03-01 10:00"]]
    complaints:   [[P1, "2026-03-03 10:00"]]
    spec:         {...a MonitorSpec...}
    alerts:       [["P1/weight", B2, "2026-03-02 07:00", 10.7]]   # group keys joined by /

Everything else comes from base_plant.yaml and the batch defaults.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from sqlglot import exp

from tests.conftest import FIXTURES
from tools.database import Database
from tools.reference_schema import TABLES, TABLES_BY_NAME, create_table_sql

CASES_DIR: Path = FIXTURES / "monitors" / "compiler"
Rows = dict[str, list[tuple[Any, ...]]]


def utc(text: str) -> dt.datetime:
    """A fixture time ("2026-03-02 06:00") as an aware UTC datetime."""
    parsed = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def load_yaml(name: str) -> Any:
    return yaml.safe_load((CASES_DIR / name).read_text(encoding="utf-8"))


@cache
def load_cases() -> list[dict[str, Any]]:
    """Every hand-built case of every cases_*.yaml file, with its file name."""
    cases: list[dict[str, Any]] = []
    for path in sorted(CASES_DIR.glob("cases_*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            cases.append({**case, "file": path.name})
    ids = [c["id"] for c in cases]
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates, f"duplicate case ids: {sorted(duplicates)}"
    return cases


def _base_rows() -> Rows:
    base = load_yaml("base_plant.yaml")
    received = {lot[0]: utc(lot[3]) for lot in base["lots"]}
    return {
        "plants": [tuple(p) for p in base["plants"]],
        "lines": [(line, "PLT", f"line {line}", process) for line, process in base["lines"]],
        "machines": [(m, line, f"machine {m}", "press") for m, line in base["machines"]],
        "tools": [(t, f"tool {t}", kind, part) for t, kind, part in base["tools"]],
        "suppliers": [(s, f"supplier {s}", "DE") for s in base["suppliers"]],
        "material_lots": [(lot, s, material, received[lot])
                          for lot, s, material, _ in base["lots"]],
        "parts": [(p, f"part {p}", family, material) for p, family, material in base["parts"]],
        "characteristics": [tuple(c) for c in base["characteristics"]],
    }


def case_rows(case: dict[str, Any]) -> Rows:
    """All reference rows of one case: the base plant plus what the case lists."""
    rows: Rows = {t.name: [] for t in TABLES}
    rows.update(_base_rows())
    for lot, supplier, material, received in case.get("lots", []):
        rows["material_lots"].append((lot, supplier, material, utc(received)))
    started: dict[str, dt.datetime] = {}
    for entry in case.get("batches", []):
        batch, part, at = entry[0], entry[1], utc(entry[2])
        extra: dict[str, Any] = entry[3] if len(entry) > 3 else {}
        started[batch] = at
        rows["batches"].append((
            batch, part, extra.get("line", "L1"), extra.get("machine", "M1"),
            extra.get("tool", "T1"), extra.get("lot", "LOT1"), extra.get("shift", "A"),
            "OP1", at, at + dt.timedelta(hours=1), int(extra.get("produced", 1000)),
            int(extra.get("defective", 0))))
    for batch, per_characteristic in (case.get("samples") or {}).items():
        for characteristic, values in per_characteristic.items():
            for number, value in enumerate(values, start=1):
                rows["measurements"].append((batch, characteristic, number, float(value),
                                             started[batch] + dt.timedelta(minutes=number)))
    for batch, values in (case.get("parameters") or {}).items():
        for name, value in values.items():
            rows["process_parameters"].append((batch, name, float(value), "C"))
    for batch, codes in (case.get("defects") or {}).items():
        for code, quantities in codes.items():
            for quantity in quantities if isinstance(quantities, list) else [quantities]:
                number = len(rows["defects"]) + 1
                rows["defects"].append((f"D{number}", batch, code, int(quantity),
                                        started[batch], "visual"))
    for number, (lot, item, value, result, at) in enumerate(case.get("inspections", []), 1):
        rows["incoming_inspections"].append((f"I{number}", lot, item,
                                             None if value is None else float(value),
                                             None if value is None else "%", result, utc(at)))
    for number, (part, at) in enumerate(case.get("complaints", []), 1):
        rows["complaints"].append((f"C{number}", "customer", part, None, utc(at),
                                   "complaint", "medium"))
    return rows


CASE_TABLES = ("material_lots", "batches", "measurements", "process_parameters", "defects",
               "incoming_inspections", "complaints")
"""The tables a case writes; the others hold the base plant for every case."""


class CasePlant:
    """A database holding the base plant, into which each case writes its own rows."""

    def __init__(self, db: Database) -> None:
        self.db = db
        for table in TABLES:
            db.execute(create_table_sql(table, db.dialect))
        base = case_rows({})
        for name in TABLES_BY_NAME:
            if name not in CASE_TABLES and base[name]:
                db.insert_rows(name, TABLES_BY_NAME[name].column_names, base[name])
        self._written: set[str] = set()

    def load(self, case: dict[str, Any]) -> None:
        """Replace the previous case's rows with this case's (base lots included)."""
        rows = case_rows(case)
        for name in sorted(self._written):
            self.db.execute(exp.delete(exp.to_table(name)).sql(dialect=self.db.dialect))
        self._written = {name for name in CASE_TABLES if rows[name]}
        for name in sorted(self._written):
            self.db.insert_rows(name, TABLES_BY_NAME[name].column_names, rows[name])
