"""Planted incidents resolved on the generated schedule: exactly which batches carry each
cause, the per-batch effects those batches receive, and the manifest entry that says so."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from tools.demo_plant.config import PartConfig, PlantConfig
from tools.demo_plant.models import CauseRef, EffectScale, Incident, Measure
from tools.demo_plant.plan import IncidentWindow, ScheduleRules
from tools.demo_plant.records import BatchRecord
from tools.demo_plant.timeline import rng_for

WITHIN_SHARE = 0.8  # within-batch share of a characteristic's total standard deviation
MEASURES: dict[str, Measure] = {"mean": "characteristic", "stdev": "characteristic",
                                "count": "defect_code", "rate": "defect_rate"}


def sigma_within(part: PartConfig, characteristic: str) -> float:
    return WITHIN_SHARE * part.characteristic(characteristic).sigma_total


def total_defect_rate(part: PartConfig) -> float:
    return sum(d.rate for d in part.defects)


def _nested() -> defaultdict[int, dict[str, float]]:
    return defaultdict(dict)


@dataclass
class BatchEffects:
    """Effects keyed by batch position in the batch list, then by characteristic/code/name."""

    mean_shift: defaultdict[int, dict[str, float]] = field(default_factory=_nested)
    sd_ratio: defaultdict[int, dict[str, float]] = field(default_factory=_nested)
    code_ratio: defaultdict[int, dict[str, float]] = field(default_factory=_nested)
    extra_rate: defaultdict[int, dict[str, float]] = field(default_factory=_nested)
    param_delta: defaultdict[int, dict[str, float]] = field(default_factory=_nested)


@dataclass(frozen=True)
class CauseLookup:
    """Database ids of planted things, known only once ids are assigned."""

    event_ids: dict[str, str]  # "INC-07:cause" -> ME-0042
    change_ids: dict[str, str]  # "INC-06" -> EC-003


# cause kinds a batch carries in one of its columns: batch attribute, incident config field
_CARRIED_BY = {"tool": ("tool_id", "tool"), "machine": ("machine_id", "machine"),
               "operator": ("operator_id", "operator"), "shift": ("shift", "shift")}


def _in_window(b: BatchRecord, win: IncidentWindow) -> bool:
    return b.part_id == win.config.part and win.start <= b.started_at < win.end


def _select(win: IncidentWindow, batches: list[BatchRecord], ids: CauseLookup,
            rng: np.random.Generator) -> tuple[list[int], str, list[CauseRef]]:
    """Positions of the batches that carry the cause, the cause id, confounded causes."""
    inc = win.config
    confounded: list[CauseRef] = []
    if inc.parameter is not None and inc.kind != "process_parameter":
        confounded.append(CauseRef(kind="process_parameter", id=inc.parameter.name))
    here = [i for i, b in enumerate(batches) if _in_window(b, win)]
    if inc.kind == "process_parameter" and inc.parameter:
        picks = [i for i, draw in zip(here, rng.random(len(here)), strict=True)
                 if draw < inc.parameter.share]
        return picks or here[:1], inc.parameter.name, confounded
    if inc.kind == "tool" and inc.confound_machine:
        confounded.append(CauseRef(kind="machine", id=inc.confound_machine))
    if inc.kind in _CARRIED_BY:
        attribute, field_name = _CARRIED_BY[inc.kind]
        wanted = getattr(inc, field_name)
        return ([i for i in here if getattr(batches[i], attribute) == wanted], str(wanted or ""),
                confounded)
    if inc.kind == "maintenance_event" and inc.event:
        ev = inc.event
        keep = {"tool": lambda b: b.tool_id == ev.asset,
                "machine": lambda b: b.machine_id == ev.asset,
                "gauge": lambda b: True}[ev.asset_type]
        return ([i for i in here if keep(batches[i])],
                ids.event_ids.get(f"{inc.id}:cause", ""), confounded)
    if inc.kind == "material_lot":
        lots = [(i, b.lot.lot_id) for i, b in enumerate(batches)
                if b.lot is not None and b.lot.key == inc.id]
        return [i for i, _ in lots], lots[0][1] if lots else "", confounded
    if inc.kind == "supplier" and inc.supplier:
        picks = [i for i, b in enumerate(batches)
                 if b.part_id == inc.part and b.lot is not None
                 and b.lot.supplier_id == inc.supplier
                 and win.start <= b.lot.received_at < win.end]
        return picks, inc.supplier, confounded
    return here, ids.change_ids.get(inc.id, ""), confounded


def _apply(win: IncidentWindow, part: PartConfig, picks: list[int], eff: BatchEffects) -> None:
    inc, effect = win.config, win.config.effect
    for i in picks:
        if effect.statistic == "mean":
            shift = effect.size * sigma_within(part, effect.target)
            eff.mean_shift[i][effect.target] = eff.mean_shift[i].get(effect.target, 0.0) + shift
        elif effect.statistic == "stdev":
            eff.sd_ratio[i][effect.target] = eff.sd_ratio[i].get(effect.target, 1.0) * effect.size
        elif effect.statistic == "count":
            eff.code_ratio[i][effect.target] = (eff.code_ratio[i].get(effect.target, 1.0)
                                                * effect.size)
        elif effect.code is not None:
            extra = (effect.size - 1.0) * total_defect_rate(part)
            eff.extra_rate[i][effect.code] = eff.extra_rate[i].get(effect.code, 0.0) + extra
        if inc.parameter is not None:
            name = inc.parameter.name
            eff.param_delta[i][name] = eff.param_delta[i].get(name, 0.0) + inc.parameter.delta


def _entry(win: IncidentWindow, part: PartConfig, picks: list[int], batches: list[BatchRecord],
           cause_id: str, confounded: list[CauseRef]) -> Incident:
    inc, effect = win.config, win.config.effect
    unit: str | None = None
    scale: EffectScale = "ratio"
    size = effect.size
    if effect.statistic == "mean":
        char = part.characteristic(effect.target)
        size = round(effect.size * sigma_within(part, effect.target), char.decimals + 1)
        unit, scale = char.unit, "absolute"
        baseline = char.process_mean
        expected = baseline + size
    elif effect.statistic == "stdev":
        unit = part.characteristic(effect.target).unit
        baseline = sigma_within(part, effect.target)
        expected = baseline * size
    elif effect.statistic == "count":
        baseline = next(d.rate for d in part.defects if d.code == effect.target) * (
            sum(part.qty) / 2.0)
        expected = baseline * size
    else:
        baseline = total_defect_rate(part)
        expected = baseline * size
    chosen = [batches[i] for i in picks]
    start, end = win.start, win.end
    if inc.kind in ("material_lot", "supplier") and chosen:
        start, end = min(b.started_at for b in chosen), max(b.ended_at for b in chosen)
    lot_ids = sorted({b.lot.lot_id for b in chosen if b.lot}) if inc.kind in (
        "material_lot", "supplier") else []
    names = {"part": inc.part, "cause_id": cause_id, "machine": inc.confound_machine
             or inc.machine or (inc.event.asset if inc.event else ""),
             "tool": inc.event.asset if inc.event else (inc.tool or "")}
    return Incident(
        incident_id=inc.id, cause_kind=inc.kind, cause_id=cause_id, part_id=inc.part,
        measure=MEASURES[effect.statistic], target=effect.target, unit=unit,
        statistic=effect.statistic,
        direction="up" if size > (0.0 if scale == "absolute" else 1.0) else "down",
        effect_size=size, effect_scale=scale, baseline=round(baseline, 6),
        expected=round(expected, 6), start=start, end=end,
        affected_batch_ids=sorted(b.batch_id for b in chosen), affected_lot_ids=lot_ids,
        confounded_with=confounded, description_en=inc.en.format(**names),
        description_zh=inc.zh.format(**names))


def resolve_incidents(config: PlantConfig, rules: ScheduleRules, batches: list[BatchRecord],
                      ids: CauseLookup, seed: int) -> tuple[BatchEffects, list[Incident]]:
    """Per-batch effects of every planted incident and its manifest entry (incidents without
    any affected batch, possible in very short histories, are left out)."""
    effects = BatchEffects()
    entries: list[Incident] = []
    for win in rules.windows:
        rng = rng_for(seed, "incident", win.config.id)
        picks, cause_id, confounded = _select(win, batches, ids, rng)
        if not picks or not cause_id:
            continue
        part = config.part(win.config.part)
        _apply(win, part, picks, effects)
        entries.append(_entry(win, part, picks, batches, cause_id, confounded))
    return effects, entries

