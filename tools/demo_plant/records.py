"""The generator's working records: batches, lots and maintenance events as they are built,
before they become rows of the reference tables (ids are given once everything exists)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class InspectionRecord:
    characteristic: str
    value: float | None
    unit: str | None
    result: str
    inspected_at: dt.datetime


@dataclass
class LotRecord:
    part_id: str
    material: str
    supplier_id: str
    received_at: dt.datetime
    z: float  # the lot's latent quality, in lot-to-lot standard deviations
    batches: int
    inspections: list[InspectionRecord] = field(default_factory=list)
    key: str | None = None  # the incident that planted this lot, if any
    lot_id: str = ""

    @property
    def accepted(self) -> bool:
        return all(i.result == "pass" for i in self.inspections)


@dataclass
class BatchRecord:
    part_id: str
    line_id: str
    machine_id: str
    tool_id: str | None
    shift: str
    operator_id: str
    started_at: dt.datetime
    ended_at: dt.datetime
    qty_produced: int
    wear: float  # the tool's wear: service interval used up, 0 after service
    lot: LotRecord | None = None
    qty_defective: int = 0
    batch_id: str = ""


@dataclass
class EventRecord:
    asset_id: str
    asset_type: str
    kind: str
    performed_at: dt.datetime
    description: str
    key: str | None = None  # "INC-07:cause", "INC-07:fix", "DEC-01:decoy" for planted events
    event_id: str = ""


def assign_ids(records: list[BatchRecord] | list[LotRecord] | list[EventRecord]) -> None:
    """Number records in time order: B-000001, L-0001, ME-0001."""
    if not records:
        return
    first = records[0]
    if isinstance(first, BatchRecord):
        batches = sorted((r for r in records if isinstance(r, BatchRecord)),
                         key=lambda b: (b.started_at, b.machine_id))
        for n, batch in enumerate(batches, 1):
            batch.batch_id = f"B-{n:06d}"
    elif isinstance(first, LotRecord):
        lots = sorted((r for r in records if isinstance(r, LotRecord)),
                      key=lambda lot: (lot.received_at, lot.material, lot.supplier_id))
        for n, lot in enumerate(lots, 1):
            lot.lot_id = f"L-{n:04d}"
    else:
        events = sorted((r for r in records if isinstance(r, EventRecord)),
                        key=lambda e: (e.performed_at, e.asset_id, e.kind))
        for n, event in enumerate(events, 1):
            event.event_id = f"ME-{n:04d}"


@dataclass
class ChangeRecord:
    part_id: str
    effective_at: dt.datetime
    kind: str
    description: str
    key: str  # the incident or decoy that planted it
    change_id: str = ""
