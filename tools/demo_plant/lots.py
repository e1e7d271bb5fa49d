"""Material lots and their incoming inspections, consumed batch after batch by each part.

Each lot carries a latent quality (``z``, lot-to-lot variation) that shows in its first
incoming inspection and nudges the product; rejected lots are never used. Planted lots
(a bad lot, a supplier's weak lots, a supplier whose cobalt content drifts) are made here.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from tools.demo_plant.config import MaterialConfig, PartConfig, PlantConfig
from tools.demo_plant.plan import IncidentWindow, ScheduleRules
from tools.demo_plant.plan_config import IncidentPlanConfig, InspectionIncidentConfig
from tools.demo_plant.records import BatchRecord, InspectionRecord, LotRecord
from tools.demo_plant.timeline import Timeline, rng_for

VISUAL_FAIL_SHARE = 0.015
LATENT_CLIP = 2.5
MAX_REJECTIONS = 20  # a generator fault, not a plant event, if lots keep failing


class _PartLots:
    def __init__(self, config: PlantConfig, part: PartConfig, rules: ScheduleRules,
                 inspection_incidents: list[tuple[InspectionIncidentConfig, dt.datetime,
                                                  dt.datetime]], seed: int) -> None:
        self.part = part
        self.material: MaterialConfig = config.material(part.material)
        self.rng = rng_for(seed, "lots", part.part_id)
        self.supplier_windows = [w for w in rules.windows
                                 if w.config.kind == "supplier" and w.config.part == part.part_id]
        self.bad_lots = [w for w in rules.windows
                         if w.config.kind == "material_lot" and w.config.part == part.part_id]
        self.drifts = [(inc, s, e) for inc, s, e in inspection_incidents
                       if inc.material == part.material]
        self.alternation: dict[str, int] = {}
        self.lots: list[LotRecord] = []

    def _supplier(self, received: dt.datetime, avoid: set[str]) -> tuple[str, str | None]:
        """The lot's supplier, and the planted window whose turn it is, if any.

        Weighted choice; inside a planted supplier window the planted supplier and the others
        take turns (a turn passes only with an accepted lot), so the window holds affected and
        unaffected lots. Suppliers in ``avoid`` just had a lot rejected for this batch.
        """
        names = [n for n in self.material.suppliers if n not in avoid] or list(
            self.material.suppliers)
        turns = [(w.config.id, w.config.supplier, w.start, w.end)
                 for w in self.supplier_windows] + [(i.id, i.supplier, s, e)
                                                    for i, s, e in self.drifts]
        for key, supplier, start, end in turns:
            if start <= received < end and supplier:
                if self.alternation.get(key, 0) % 2 == 0 and supplier in names:
                    return supplier, key
                names = [n for n in names if n != supplier] or names
                weights = np.array([self.material.suppliers[n] for n in names], dtype=float)
                return names[int(self.rng.choice(len(names), p=weights / weights.sum()))], key
        weights = np.array([self.material.suppliers[n] for n in names], dtype=float)
        return names[int(self.rng.choice(len(names), p=weights / weights.sum()))], None

    def _shift(self, lot: LotRecord, characteristic: str, bad: IncidentWindow | None) -> float:
        shift = 0.0
        spread = next(i.spread for i in self.material.inspections
                      if i.characteristic == characteristic)
        if bad is not None and bad.config.lot and bad.config.lot.inspection == characteristic:
            shift += spread * bad.config.lot.z
        for win in self.supplier_windows:
            insp = win.config.inspection
            if (insp and insp.characteristic == characteristic
                    and lot.supplier_id == win.config.supplier
                    and win.start <= lot.received_at < win.end):
                shift += insp.delta
        for inc, start, end in self.drifts:
            if (inc.characteristic == characteristic and lot.supplier_id == inc.supplier
                    and start <= lot.received_at < end):
                shift += inc.drift * (lot.received_at - start) / (end - start)
        return shift

    def _inspect(self, lot: LotRecord, bad: IncidentWindow | None) -> None:
        for k, insp in enumerate(self.material.inspections):
            at = lot.received_at + dt.timedelta(hours=float(self.rng.uniform(1.0, 6.0)))
            at = at.replace(microsecond=0, second=0)
            if not insp.has_value or insp.nominal is None:
                failed = self.rng.random() < VISUAL_FAIL_SHARE and bad is None
                lot.inspections.append(InspectionRecord(insp.characteristic, None, None,
                                                        "fail" if failed else "pass", at))
                continue
            deviation = lot.z if k == 0 else float(np.clip(self.rng.normal(), -LATENT_CLIP,
                                                           LATENT_CLIP))
            value = round(insp.nominal + insp.spread * deviation
                          + self._shift(lot, insp.characteristic, bad), insp.decimals)
            lot.inspections.append(InspectionRecord(
                insp.characteristic, value, insp.unit,
                "pass" if insp.passes(value) else "fail", at))

    def _new_lot(self, batch: BatchRecord, lead_days: tuple[float, float],
                 avoid: set[str]) -> LotRecord:
        received = batch.started_at - dt.timedelta(days=float(self.rng.uniform(*lead_days)))
        received = received.replace(hour=int(self.rng.integers(8, 16)), minute=0, second=0,
                                    microsecond=0)
        if received > batch.started_at - dt.timedelta(hours=8):
            received -= dt.timedelta(days=1)
        if received.weekday() == 6:
            received -= dt.timedelta(days=1)
        bad = next((w for w in self.bad_lots if batch.started_at >= w.start
                    and not any(lot.key == w.config.id and lot.accepted
                                for lot in self.lots)), None)
        size = bad.config.lot.batches if bad and bad.config.lot else int(
            self.rng.integers(self.material.lot_batches[0], self.material.lot_batches[1] + 1))
        z = 0.0 if bad else float(np.clip(self.rng.normal(), -LATENT_CLIP, LATENT_CLIP))
        supplier, turn = self._supplier(received, avoid)
        lot = LotRecord(self.part.part_id, self.material.material, supplier, received, z, size,
                        key=bad.config.id if bad else None)
        self._inspect(lot, bad)
        self.lots.append(lot)
        if turn is not None and lot.accepted:
            self.alternation[turn] = self.alternation.get(turn, 0) + 1
        return lot

    def run(self, batches: list[BatchRecord]) -> None:
        current: LotRecord | None = None
        left = 0
        for batch in batches:
            if left == 0:
                current = self._new_lot(batch, (1.5, 6.0), set())
                rejected: list[str] = []
                while not current.accepted:  # the lot goes back; another supplier delivers
                    rejected.append(current.supplier_id)
                    if len(rejected) > MAX_REJECTIONS:
                        raise RuntimeError(f"no acceptable lot for {self.part.part_id}")
                    current = self._new_lot(batch, (0.6, 1.2), set(rejected))
                left = current.batches
            batch.lot = current
            left -= 1


def build_lots(config: PlantConfig, plan: IncidentPlanConfig, rules: ScheduleRules,
               timeline: Timeline, batches: list[BatchRecord], seed: int) -> list[LotRecord]:
    """Give every batch its material lot; returns all lots, rejected ones included."""
    drifts = [(inc, *timeline.window(inc.at, inc.days)) for inc in plan.inspection_incidents]
    lots: list[LotRecord] = []
    for part in config.parts:
        mine = sorted((b for b in batches if b.part_id == part.part_id),
                      key=lambda b: b.started_at)
        part_lots = _PartLots(config, part, rules, drifts, seed)
        part_lots.run(mine)
        lots.extend(part_lots.lots)
    return lots
