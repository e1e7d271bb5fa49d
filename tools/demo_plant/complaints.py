"""Customer complaints: a thin background for every part (some traced to a batch) and the
planted spikes that follow an incident, each traced to one of its batches."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from tools.demo_plant.config import PlantConfig
from tools.demo_plant.models import Incident
from tools.demo_plant.plan_config import ComplaintSpikeConfig, IncidentPlanConfig
from tools.demo_plant.records import BatchRecord
from tools.demo_plant.timeline import Timeline, rng_for

BACKGROUND_PER_WEEK = 0.12  # complaints per part and week in normal times
TRACED_SHARE = 0.6  # background complaints that name a batch
SEVERITIES = ("low", "medium", "high", "critical")
SEVERITY_WEIGHTS = np.array([0.35, 0.45, 0.17, 0.03])

ComplaintRow = tuple[dt.datetime, str, str, str | None, str, str]


def _business_time(moment: dt.datetime, rng: np.random.Generator) -> dt.datetime:
    """Complaints arrive in office hours in China (01:00-10:00 UTC)."""
    return moment.replace(hour=int(rng.integers(1, 10)), minute=int(rng.integers(0, 60)),
                          second=0, microsecond=0)


def _background(config: PlantConfig, timeline: Timeline, batches: list[BatchRecord],
                rng: np.random.Generator) -> list[ComplaintRow]:
    rows: list[ComplaintRow] = []
    for part in config.parts:
        mine = [b for b in batches if b.part_id == part.part_id]
        texts = config.complaint_texts[part.family]
        for week in range(int(timeline.days // 7)):
            for _ in range(int(rng.poisson(BACKGROUND_PER_WEEK))):
                received = _business_time(timeline.start + dt.timedelta(
                    days=7 * week + float(rng.uniform(0, 7))), rng)
                earlier = [b for b in mine if received - dt.timedelta(days=56)
                           <= b.ended_at <= received - dt.timedelta(days=7)]
                traced = rng.random() < TRACED_SHARE and earlier
                batch = earlier[int(rng.integers(0, len(earlier)))].batch_id if traced else None
                text = str(texts[int(rng.integers(0, len(texts)))]).format(part=part.part_id)
                severity = SEVERITIES[int(rng.choice(4, p=SEVERITY_WEIGHTS))]
                customer = config.customers[int(rng.integers(0, len(config.customers)))]
                if received < timeline.end:
                    rows.append((received, customer, part.part_id, batch, text, severity))
    return rows


def _spike(spike: ComplaintSpikeConfig, source: Incident, batches: list[BatchRecord],
           timeline: Timeline, rng: np.random.Generator,
           ) -> tuple[list[ComplaintRow], Incident | None]:
    affected = [b for b in batches if b.batch_id in set(source.affected_batch_ids)]
    if not affected or source.part_id is None:
        return [], None
    last = max(b.ended_at for b in affected)
    rows: list[ComplaintRow] = []
    for _ in range(spike.count):
        received = _business_time(last + dt.timedelta(days=float(rng.uniform(
            *spike.delay_days))), rng)
        batch = affected[int(rng.integers(0, len(affected)))]
        if received < timeline.end:
            rows.append((received, spike.customer, source.part_id, batch.batch_id,
                         spike.text.format(part=source.part_id, batch=batch.batch_id),
                         spike.severity))
    if not rows:
        return [], None
    start, end = min(r[0] for r in rows), max(r[0] for r in rows)
    weekly = len(rows) / max(1.0, (end - start).total_seconds() / (7 * 86400))
    names = {"part": source.part_id, "cause_id": source.cause_id}
    entry = Incident(
        incident_id=spike.id, cause_kind=source.cause_kind, cause_id=source.cause_id,
        part_id=source.part_id, measure="complaints", target="count", unit=None,
        statistic="count", direction="up", effect_size=round(weekly / BACKGROUND_PER_WEEK, 2),
        effect_scale="ratio", baseline=BACKGROUND_PER_WEEK, expected=round(weekly, 3),
        start=start, end=end, affected_batch_ids=sorted({str(r[3]) for r in rows}),
        affected_lot_ids=source.affected_lot_ids, confounded_with=source.confounded_with,
        description_en=spike.en.format(**names), description_zh=spike.zh.format(**names))
    return rows, entry


def build_complaints(config: PlantConfig, plan: IncidentPlanConfig, timeline: Timeline,
                     batches: list[BatchRecord], incidents: list[Incident], seed: int,
                     ) -> tuple[list[tuple[Any, ...]], list[Incident]]:
    """Complaint rows (numbered CP-0001... by arrival) and the manifest entries of spikes."""
    rng = rng_for(seed, "complaints")
    rows = _background(config, timeline, batches, rng)
    entries: list[Incident] = []
    for spike in plan.complaint_spikes:
        source = next((i for i in incidents if i.incident_id == spike.follows), None)
        if source is None:
            continue
        spike_rows, entry = _spike(spike, source, batches, timeline, rng)
        rows += spike_rows
        if entry is not None:
            entries.append(entry)
    rows.sort(key=lambda r: (r[0], r[2]))
    table = [(f"CP-{n:04d}", r[1], r[2], r[3], r[0], r[4], r[5]) for n, r in enumerate(rows, 1)]
    return table, entries
