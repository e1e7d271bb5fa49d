"""Builds the ``Catalog`` of a plant database by reading it through canonical queries.

Every query is a sqlglot tree over the reference table names; with a table mapping it is
expanded onto the physical tables first, then rendered in the database's dialect and run
through the read-only ``Database.query``. Nothing here knows any particular plant.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlglot import exp

from tools.catalog.catalog import Catalog
from tools.catalog.mapping import TableMapping
from tools.catalog.models import (
    Characteristic,
    DefectCode,
    InspectionCharacteristic,
    Line,
    Machine,
    Material,
    Part,
    Plant,
    ProcessParameter,
    Supplier,
    Tool,
)
from tools.database import Database, redact_url
from tools.errors import InvalidInput
from tools.reference_schema import SCHEMA_VERSION, TABLES

CORE_TABLES = ("parts", "characteristics", "batches", "measurements")
CATALOG_TIMEOUT_S = 60.0


class _Reader:
    """Runs canonical SELECTs against the database, through the mapping if there is one."""

    def __init__(self, db: Database, mapping: TableMapping | None, present: set[str],
                 timeout_s: float) -> None:
        self.db, self.mapping, self.present, self.timeout_s = db, mapping, present, timeout_s

    def has(self, *tables: str) -> bool:
        return all(t in self.present for t in tables)

    def rows(self, query: exp.Expression) -> list[tuple[Any, ...]]:
        tree = self.mapping.expand(query) if self.mapping is not None else query
        return self.db.query(tree.sql(dialect=self.db.dialect), timeout_s=self.timeout_s).rows

    def select(self, table: str, *columns: str) -> list[tuple[Any, ...]]:
        if not self.has(table):
            return []
        return self.rows(exp.select(*columns).from_(table))


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def _f(value: Any) -> float | None:
    return None if value is None else float(value)


def _t(value: Any) -> dt.datetime | None:
    """A timestamp as an aware UTC datetime (SQLite hands back text)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if not isinstance(value, dt.datetime):
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _present_tables(db: Database, mapping: TableMapping | None) -> tuple[list[str], list[str]]:
    """Reference tables that can be read (mapped, or physical with every column)."""
    physical = set(db.table_names())
    mapped = set(mapping.mapped_tables) if mapping is not None else set()
    present, notes = [], []
    for table in TABLES:
        if table.name in mapped:
            present.append(table.name)
            continue
        if table.name not in physical:
            continue
        columns = {c.lower() for c, _ in db.column_names(table.name)}
        lacking = [c for c in table.column_names if c not in columns]
        if lacking:
            message = (f"table {table.name} lacks the reference columns {', '.join(lacking)}; "
                       "map it with a YAML table mapping")
            if table.name in CORE_TABLES:
                raise InvalidInput(message)
            notes.append(message + " (it is ignored)")
            continue
        present.append(table.name)
    return present, notes


def build_catalog(db: Database, mapping: TableMapping | None = None, *,
                  timeout_s: float = CATALOG_TIMEOUT_S) -> Catalog:
    """Introspect a plant database in the reference schema (directly or through ``mapping``)
    and return its catalog: plants, lines, machines, parts with the lines and processes
    they run on, characteristics with limits, process parameters, suppliers, materials,
    tools, defect codes in use, incoming-inspection characteristics and shifts.

    Raises ``InvalidInput`` when the core tables (parts, characteristics, batches,
    measurements) are missing or the mapping does not fit the database.
    """
    if mapping is not None:
        mapping.check(db)
    present, notes = _present_tables(db, mapping)
    missing_core = [t for t in CORE_TABLES if t not in present]
    if missing_core:
        raise InvalidInput(
            f"the database {redact_url(db.url)} has no {', '.join(missing_core)} table"
            f"{'s' if len(missing_core) > 1 else ''} of the reference schema; build the demo "
            "plant or pass a YAML table mapping for your own tables")
    reader = _Reader(db, mapping, set(present), timeout_s)
    lines = sorted((Line(line_id=_s(r[0]), plant_id=_s(r[1]), name=_s(r[2]), process=_s(r[3]))
                    for r in reader.select("lines", "line_id", "plant_id", "name", "process")),
                   key=lambda x: x.line_id)
    process_of = {ln.line_id: ln.process for ln in lines}
    parts = _parts(reader, process_of)
    return Catalog(
        schema_version=SCHEMA_VERSION,
        dialect=db.dialect,
        mapping=mapping.name if mapping is not None else None,
        tables_present=present,
        tables_missing=[t.name for t in TABLES if t.name not in present],
        notes=notes,
        plants=sorted((Plant(plant_id=_s(r[0]), name=_s(r[1]))
                       for r in reader.select("plants", "plant_id", "name")),
                      key=lambda x: x.plant_id),
        lines=lines,
        machines=sorted((Machine(machine_id=_s(r[0]), line_id=_s(r[1]), name=_s(r[2]),
                                 machine_type=_s(r[3]))
                         for r in reader.select("machines", "machine_id", "line_id", "name",
                                                "machine_type")),
                        key=lambda x: x.machine_id),
        parts=parts,
        characteristics=sorted(
            (Characteristic(characteristic_id=_s(r[0]), part_id=_s(r[1]), name=_s(r[2]),
                            unit=_s(r[3]), nominal=_f(r[4]), lsl=_f(r[5]), usl=_f(r[6]))
             for r in reader.select("characteristics", "characteristic_id", "part_id", "name",
                                    "unit", "nominal", "lsl", "usl")),
            key=lambda x: (x.part_id, x.name, x.characteristic_id)),
        parameters=_parameters(reader, process_of),
        suppliers=_suppliers(reader),
        materials=_materials(reader, parts),
        tools=sorted((Tool(tool_id=_s(r[0]), name=_s(r[1]), tool_type=_s(r[2]),
                           part_id=None if r[3] is None else _s(r[3]))
                      for r in reader.select("tools", "tool_id", "name", "tool_type", "part_id")),
                     key=lambda x: x.tool_id),
        defect_codes=_defect_codes(reader),
        inspection_characteristics=_inspections(reader),
        shifts=sorted({_s(r[0]) for r in reader.rows(
            exp.select("shift").distinct().from_("batches"))}),
    )


def _parts(reader: _Reader, process_of: dict[str, str]) -> list[Part]:
    usage: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in reader.rows(exp.select("part_id", "line_id", "COUNT(*)", "MIN(started_at)",
                                      "MAX(started_at)").from_("batches")
                           .group_by("part_id", "line_id")):
        usage[_s(row[0])].append(row)
    parts = []
    for r in reader.select("parts", "part_id", "name", "family", "material"):
        rows = usage.get(_s(r[0]), [])
        line_ids = sorted({_s(u[1]) for u in rows})
        firsts = [t for u in rows if (t := _t(u[3])) is not None]
        lasts = [t for u in rows if (t := _t(u[4])) is not None]
        parts.append(Part(
            part_id=_s(r[0]), name=_s(r[1]), family=_s(r[2]), material=_s(r[3]),
            line_ids=line_ids,
            processes=sorted({process_of[x] for x in line_ids if x in process_of}),
            batch_count=sum(int(u[2]) for u in rows),
            first_batch_at=min(firsts) if firsts else None,
            last_batch_at=max(lasts) if lasts else None))
    return sorted(parts, key=lambda x: x.part_id)


def _parameters(reader: _Reader, process_of: dict[str, str]) -> list[ProcessParameter]:
    if not reader.has("process_parameters"):
        return []
    query = (exp.select("pp.name", "pp.unit", "b.part_id", "b.line_id").distinct()
             .from_(exp.to_table("process_parameters").as_("pp"))
             .join(exp.to_table("batches").as_("b"), on="pp.batch_id = b.batch_id"))
    seen: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for name, unit, part_id, line_id in reader.rows(query):
        entry = seen[_s(name)]
        if unit is not None:
            entry["unit"].add(_s(unit))
        entry["part"].add(_s(part_id))
        entry["line"].add(_s(line_id))
    return [ProcessParameter(
        name=name, unit=min(e["unit"]) if e["unit"] else None,
        part_ids=sorted(e["part"]), line_ids=sorted(e["line"]),
        processes=sorted({process_of[x] for x in e["line"] if x in process_of}))
        for name, e in sorted(seen.items())]


def _lots(reader: _Reader) -> list[tuple[str, str, int]]:
    if not reader.has("material_lots"):
        return []
    query = (exp.select("material", "supplier_id", "COUNT(*)").from_("material_lots")
             .group_by("material", "supplier_id"))
    return [(_s(m), _s(s), int(n)) for m, s, n in reader.rows(query)]


def _suppliers(reader: _Reader) -> list[Supplier]:
    materials: dict[str, set[str]] = defaultdict(set)
    for material, supplier_id, _ in _lots(reader):
        materials[supplier_id].add(material)
    return sorted((Supplier(supplier_id=_s(r[0]), name=_s(r[1]), country=_s(r[2]),
                            materials=sorted(materials.get(_s(r[0]), set())))
                   for r in reader.select("suppliers", "supplier_id", "name", "country")),
                  key=lambda x: x.supplier_id)


def _materials(reader: _Reader, parts: list[Part]) -> list[Material]:
    suppliers: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    for material, supplier_id, n in _lots(reader):
        suppliers[material].add(supplier_id)
        counts[material] += n
    names = set(suppliers) | {p.material for p in parts if p.material}
    return [Material(name=name, supplier_ids=sorted(suppliers.get(name, set())),
                     part_ids=sorted(p.part_id for p in parts if p.material == name),
                     lot_count=counts.get(name, 0))
            for name in sorted(names)]


def _defect_codes(reader: _Reader) -> list[DefectCode]:
    if not reader.has("defects"):
        return []
    query = (exp.select("defect_code", "COUNT(*)", "SUM(quantity)").from_("defects")
             .group_by("defect_code"))
    return sorted((DefectCode(code=_s(c), records=int(n), quantity=int(q or 0))
                   for c, n, q in reader.rows(query)), key=lambda x: x.code)


def _inspections(reader: _Reader) -> list[InspectionCharacteristic]:
    if not reader.has("incoming_inspections"):
        return []
    if reader.has("material_lots"):
        query = (exp.select("ii.characteristic", "ii.unit", "ml.supplier_id").distinct()
                 .from_(exp.to_table("incoming_inspections").as_("ii"))
                 .join(exp.to_table("material_lots").as_("ml"), on="ii.lot_id = ml.lot_id",
                       join_type="left"))
    else:
        query = (exp.select("characteristic", "unit", "NULL").distinct()
                 .from_("incoming_inspections"))
    seen: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for name, unit, supplier_id in reader.rows(query):
        entry = seen[_s(name)]
        if unit is not None:
            entry["unit"].add(_s(unit))
        if supplier_id is not None:
            entry["supplier"].add(_s(supplier_id))
    return [InspectionCharacteristic(name=name, unit=min(e["unit"]) if e["unit"] else None,
                                     supplier_ids=sorted(e["supplier"]))
            for name, e in sorted(seen.items())]
