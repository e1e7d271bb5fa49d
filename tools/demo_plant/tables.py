"""Working records and master data turned into rows of the reference tables, each row a tuple
in the reference column order."""

from __future__ import annotations

from typing import Any

from tools.demo_plant.config import PlantConfig
from tools.demo_plant.quality import QualityRows, characteristic_id, defect_rows_with_ids
from tools.demo_plant.records import BatchRecord, ChangeRecord, EventRecord, LotRecord
from tools.reference_schema import TABLES

Rows = list[tuple[Any, ...]]


def master_rows(config: PlantConfig) -> dict[str, Rows]:
    """Plants, lines, machines, tools, suppliers, parts and characteristics."""
    plant_id = config.plant["plant_id"]
    characteristics: Rows = []
    for part in config.parts:
        for k, c in enumerate(part.characteristics):
            characteristics.append((characteristic_id(part, k), part.part_id, c.name, c.unit,
                                    c.nominal, c.lsl, c.usl))
    return {
        "plants": [(plant_id, config.plant["name"])],
        "lines": [(li.line_id, plant_id, li.name, li.process) for li in config.lines],
        "machines": [(m.machine_id, li.line_id, m.name, m.machine_type)
                     for li in config.lines for m in li.machines],
        "tools": [(t.tool_id, t.name, t.tool_type, t.part_id) for t in config.tools],
        "suppliers": [(s.supplier_id, s.name, s.country) for s in config.suppliers],
        "parts": [(p.part_id, p.name, p.family, p.material) for p in config.parts],
        "characteristics": characteristics,
    }


def lot_rows(lots: list[LotRecord]) -> tuple[Rows, Rows]:
    """``material_lots`` and ``incoming_inspections`` (numbered II-00001... by time)."""
    ordered = sorted(lots, key=lambda lot: lot.lot_id)
    lot_table = [(lot.lot_id, lot.supplier_id, lot.material, lot.received_at) for lot in ordered]
    checks = sorted(((lot.lot_id, i) for lot in ordered for i in lot.inspections),
                    key=lambda pair: (pair[1].inspected_at, pair[0], pair[1].characteristic))
    inspections = [(f"II-{n:05d}", lot_id, i.characteristic, i.value, i.unit, i.result,
                    i.inspected_at) for n, (lot_id, i) in enumerate(checks, 1)]
    return lot_table, inspections


def batch_rows(batches: list[BatchRecord]) -> Rows:
    return [(b.batch_id, b.part_id, b.line_id, b.machine_id, b.tool_id,
             b.lot.lot_id if b.lot else None, b.shift, b.operator_id, b.started_at, b.ended_at,
             b.qty_produced, b.qty_defective) for b in batches]


def all_rows(config: PlantConfig, batches: list[BatchRecord], lots: list[LotRecord],
             quality: QualityRows, events: list[EventRecord], changes: list[ChangeRecord],
             complaints: Rows) -> dict[str, Rows]:
    """Every reference table, in the schema's table order."""
    lot_table, inspections = lot_rows(lots)
    rows = master_rows(config) | {
        "material_lots": lot_table,
        "batches": batch_rows(batches),
        "measurements": quality.measurements,
        "process_parameters": quality.parameters,
        "maintenance_events": [(e.event_id, e.asset_id, e.asset_type, e.kind, e.performed_at,
                                e.description) for e in events],
        "defects": defect_rows_with_ids(quality.defects),
        "incoming_inspections": inspections,
        "complaints": complaints,
        "engineering_changes": [(c.change_id, c.part_id, c.effective_at, c.kind,
                                 c.description) for c in changes],
    }
    return {table.name: rows[table.name] for table in TABLES}
