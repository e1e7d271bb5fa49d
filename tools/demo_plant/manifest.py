"""The incident manifest: incoming-inspection incidents, decoys, and the whole ground truth."""

from __future__ import annotations

from tools.demo_plant.config import PlantConfig
from tools.demo_plant.models import Decoy, Incident, PlantManifest
from tools.demo_plant.plan_config import IncidentPlanConfig
from tools.demo_plant.records import ChangeRecord, EventRecord, LotRecord
from tools.demo_plant.timeline import Timeline


def inspection_incidents(config: PlantConfig, plan: IncidentPlanConfig, timeline: Timeline,
                         lots: list[LotRecord]) -> list[Incident]:
    """Suppliers whose incoming-inspection values drift (measured per lot, not per batch)."""
    entries: list[Incident] = []
    for inc in plan.inspection_incidents:
        start, end = timeline.window(inc.at, inc.days)
        spec = next(i for i in config.material(inc.material).inspections
                    if i.characteristic == inc.characteristic)
        hit = sorted(lot.lot_id for lot in lots if lot.supplier_id == inc.supplier
                     and lot.material == inc.material and start <= lot.received_at < end)
        if not hit or spec.nominal is None:
            continue
        names = {"cause_id": inc.supplier, "part": ""}
        entries.append(Incident(
            incident_id=inc.id, cause_kind="supplier", cause_id=inc.supplier, part_id=None,
            measure="incoming_inspection", target=inc.characteristic, unit=spec.unit,
            statistic="value", direction="down" if inc.drift < 0 else "up",
            effect_size=inc.drift, effect_scale="absolute", baseline=spec.nominal,
            expected=round(spec.nominal + inc.drift, 6), start=start, end=end,
            affected_batch_ids=[], affected_lot_ids=hit,
            description_en=inc.en.format(**names), description_zh=inc.zh.format(**names)))
    return entries


def _confounded_decoys(incidents: list[Incident]) -> list[Decoy]:
    decoys: list[Decoy] = []
    for inc in incidents:
        if inc.measure == "complaints":
            continue
        for ref in inc.confounded_with:
            decoys.append(Decoy(
                decoy_id=f"DEC-{inc.incident_id}-{ref.id}", kind=ref.kind, id=ref.id,
                part_id=inc.part_id, at=inc.start, near_incident=inc.incident_id,
                reason="confounded",
                description_en=(f"{ref.kind} {ref.id} moved together with the cause of "
                                f"{inc.incident_id} in every affected batch, so the data cannot "
                                f"separate them; the planted cause is {inc.cause_kind} "
                                f"{inc.cause_id}."),
                description_zh=(f"在 {inc.incident_id} 的所有受影响批次中，{ref.id} 与根因同时"
                                f"出现，数据上无法区分；设定的根因是 {inc.cause_kind} "
                                f"{inc.cause_id}。")))
    return decoys


def planted_decoys(plan: IncidentPlanConfig, events: list[EventRecord],
                   changes: list[ChangeRecord], incidents: list[Incident]) -> list[Decoy]:
    """Decoy maintenance events and engineering changes, and confounded causes."""
    decoys: list[Decoy] = []
    known = {i.incident_id: i for i in incidents}
    for cfg in plan.decoys:
        event = next((e for e in events if e.key == f"{cfg.id}:decoy"), None)
        change = next((c for c in changes if c.key == cfg.id), None)
        if event is not None:
            near = known.get(cfg.near or "")
            decoys.append(Decoy(
                decoy_id=cfg.id, kind="maintenance_event", id=event.event_id,
                part_id=near.part_id if near else None, at=event.performed_at,
                near_incident=cfg.near, reason="near_in_time", description_en=cfg.en,
                description_zh=cfg.zh))
        elif change is not None:
            decoys.append(Decoy(
                decoy_id=cfg.id, kind="engineering_change", id=change.change_id,
                part_id=change.part_id, at=change.effective_at, near_incident=None,
                reason="no_effect", description_en=cfg.en, description_zh=cfg.zh))
    return decoys + _confounded_decoys(incidents)


def build_manifest(seed: int, months: int, timeline: Timeline, incidents: list[Incident],
                   decoys: list[Decoy]) -> PlantManifest:
    return PlantManifest(seed=seed, months=months, history_start=timeline.start,
                         history_end=timeline.end,
                         incidents=sorted(incidents, key=lambda i: i.incident_id),
                         decoys=decoys)
