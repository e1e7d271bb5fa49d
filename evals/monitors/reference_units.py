"""The evaluation units of a monitor, per group, in order (docs/monitors.md, "Units, groups
and order"), each with the inputs its conditions' statistics are computed from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from evals.monitors.frames import PlantFrames
from evals.monitors.reference_stats import Limits, LotInput
from tools.monitors.spec import Condition, MonitorSpec, Scope

BATCH_FILTERS = {"part_ids": "part_id", "families": "family", "processes": "process",
                 "line_ids": "line_id", "machine_ids": "machine_id", "tool_ids": "tool_id",
                 "supplier_ids": "supplier_id", "materials": "material", "shifts": "shift"}
LOT_FILTERS = {"supplier_ids": "supplier_id", "materials": "material"}
GROUP_KEY = {"characteristic": "characteristic", "parameter": "parameter",
             "defect_code": "defect_code", "incoming": "characteristic"}


@dataclass
class GroupUnits:
    """One group's units in order: ids, times, and per condition the units' inputs."""

    group: dict[str, str]
    unit_ids: list[str] = field(default_factory=list)
    times: list[pd.Timestamp] = field(default_factory=list)
    inputs: list[list[Any]] = field(default_factory=list)
    limits: list[Limits] = field(default_factory=list)


def _filtered(frame: pd.DataFrame, scope: Scope, filters: dict[str, str]) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    for name, column in filters.items():
        wanted = getattr(scope, name)
        if wanted:
            mask &= frame[column].isin(list(wanted))
    return frame[mask]


def _group(spec: MonitorSpec, owner_key: str, owner: str) -> dict[str, str]:
    group = {owner_key: owner}
    name = spec.group_characteristic
    if name is not None:
        group[GROUP_KEY[spec.conditions[0].signal.measure]] = name
    return group


# -- batches ------------------------------------------------------------------------------
def _parts_with_signal(frames: PlantFrames, condition: Condition,
                       scoped_parts: set[str]) -> set[str]:
    signal = condition.signal
    if signal.measure == "characteristic":
        chars = frames.characteristics
        return set(chars.loc[chars["name"] == signal.name, "part_id"])
    if signal.measure == "parameter":
        params = frames.parameters
        carrying = set(params.loc[params["name"] == signal.name, "batch_id"])
        batches = frames.batches
        return set(batches.loc[batches["batch_id"].isin(carrying), "part_id"])
    return set(scoped_parts)  # batch quantities and defect codes: every part in scope


def _batch_inputs(frames: PlantFrames, condition: Condition,
                  batches: pd.DataFrame) -> tuple[dict[str, Any], Any, dict[str, Limits]]:
    """(input per batch id, input of a batch absent from the map, limits per part)."""
    signal = condition.signal
    if signal.measure == "characteristic":
        rows = frames.measurements[frames.measurements["name"] == signal.name]
        samples = _samples_by_batch(rows)
        chars = frames.characteristics[frames.characteristics["name"] == signal.name]
        limits = {str(r.part_id): Limits(_num(r.lsl), _num(r.usl))
                  for r in chars.itertuples()}
        return samples, _EMPTY, limits
    if signal.measure == "batch":
        pairs = {str(r.batch_id): (float(r.qty_defective), float(r.qty_produced))
                 for r in batches.itertuples()}
        return pairs, (0.0, 0.0), {}
    if signal.measure == "defect_code":
        rows = frames.defects[frames.defects["defect_code"] == signal.name]
        sums = rows.groupby("batch_id")["quantity"].sum()
        return {str(k): float(v) for k, v in sums.items()}, 0.0, {}
    rows = frames.parameters[frames.parameters["name"] == signal.name]
    means = rows.groupby("batch_id")["value"].mean()
    return {str(k): _num(v) for k, v in means.items()}, None, {}


_EMPTY: Any = ()


def _samples_by_batch(rows: pd.DataFrame) -> dict[str, np.ndarray]:
    """Each batch's sample values (rows sorted by batch, then cut where the batch changes)."""
    rows = rows.sort_values(["batch_id", "sample_no"], kind="stable")
    ids = rows["batch_id"].to_numpy()
    values = rows["value"].to_numpy(dtype=float)
    if len(ids) == 0:
        return {}
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    return {str(ids[i]): chunk for i, chunk in zip(starts, np.split(values, starts[1:]),
                                                   strict=True)}


def _num(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def batch_groups(spec: MonitorSpec, frames: PlantFrames) -> list[GroupUnits]:
    """Groups of batch-unit monitors: one per part (and characteristic / parameter / code)."""
    batches = _filtered(frames.batches, spec.scope, BATCH_FILTERS)
    batches = batches.sort_values(["started_at", "batch_id"], kind="stable")
    scoped_parts = set(batches["part_id"])
    parts: set[str] = set()
    for condition in spec.conditions:
        parts |= _parts_with_signal(frames, condition, scoped_parts)
    inputs = [_batch_inputs(frames, c, batches) for c in spec.conditions]
    groups = []
    for part_id, rows in batches.groupby("part_id", sort=True):
        if part_id not in parts:
            continue
        ids = [str(x) for x in rows["batch_id"]]
        unit = GroupUnits(group=_group(spec, "part_id", str(part_id)), unit_ids=ids,
                          times=list(rows["started_at"]))
        for by_id, missing, limits in inputs:
            unit.inputs.append([by_id.get(i, missing) for i in ids])
            unit.limits.append(limits.get(str(part_id), Limits()))
        groups.append(unit)
    return groups


# -- material lots ------------------------------------------------------------------------
def lot_groups(spec: MonitorSpec, frames: PlantFrames) -> list[GroupUnits]:
    """Groups of incoming-inspection monitors: one per supplier (and characteristic)."""
    inspections = _filtered(frames.inspections, spec.scope, LOT_FILTERS)
    names = {c.signal.name for c in spec.conditions}
    relevant = inspections if None in names else \
        inspections[inspections["characteristic"].isin(list(names))]
    lots = (relevant.groupby("lot_id")
            .agg(supplier_id=("supplier_id", "first"), at=("inspected_at", "min"))
            .reset_index().sort_values(["at", "lot_id"], kind="stable"))
    per_condition = [_lot_inputs(inspections, c.signal.name) for c in spec.conditions]
    groups = []
    for supplier_id, rows in lots.groupby("supplier_id", sort=True):
        ids = [str(x) for x in rows["lot_id"]]
        unit = GroupUnits(group=_group(spec, "supplier_id", str(supplier_id)), unit_ids=ids,
                          times=list(rows["at"]))
        for by_lot in per_condition:
            unit.inputs.append([by_lot.get(i, LotInput(None, 0, 0)) for i in ids])
            unit.limits.append(Limits())
        groups.append(unit)
    return groups


def _lot_inputs(inspections: pd.DataFrame, name: str | None) -> dict[str, LotInput]:
    rows = inspections if name is None else \
        inspections[inspections["characteristic"] == name]
    out = {}
    for lot_id, lot in rows.groupby("lot_id"):
        values = lot["value"].dropna()
        out[str(lot_id)] = LotInput(
            value=float(values.mean()) if len(values) else None,
            passes=int((lot["result"] == "pass").sum()), inspections=len(lot))
    return out


# -- complaint weeks ----------------------------------------------------------------------
def week_start(at: pd.Series) -> pd.Series:
    """Monday 00:00 UTC of the ISO week of each timestamp."""
    days = at.dt.tz_convert("UTC").dt.normalize()
    return days - pd.to_timedelta(days.dt.day_of_week, unit="D")


def iso_week_id(monday: pd.Timestamp) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def week_groups(spec: MonitorSpec, frames: PlantFrames) -> list[GroupUnits]:
    """Groups of complaint monitors: one per part in scope, over every ISO week in which
    the plant ran a batch."""
    weeks = sorted(set(week_start(frames.batches["started_at"])))
    parts = frames.parts
    scope = spec.scope
    if scope.part_ids:
        parts = parts[parts["part_id"].isin(list(scope.part_ids))]
    if scope.families:
        parts = parts[parts["family"].isin(list(scope.families))]
    if scope.processes:
        batches = frames.batches
        making = set(batches.loc[batches["process"].isin(list(scope.processes)), "part_id"])
        parts = parts[parts["part_id"].isin(making)]
    complaints = frames.complaints.assign(week=week_start(frames.complaints["received_at"]))
    counts = complaints.groupby(["part_id", "week"]).size()
    ids = [iso_week_id(w) for w in weeks]
    groups = []
    for part_id in sorted(str(p) for p in parts["part_id"]):
        unit = GroupUnits(group=_group(spec, "part_id", part_id), unit_ids=ids, times=weeks)
        for _ in spec.conditions:
            unit.inputs.append([float(counts.get((part_id, w), 0)) for w in weeks])
            unit.limits.append(Limits())
        groups.append(unit)
    return groups


def groups_of(spec: MonitorSpec, frames: PlantFrames) -> list[GroupUnits]:
    """Every group of the monitor with its ordered units."""
    unit = spec.evaluation_unit
    if unit == "batch":
        return batch_groups(spec, frames)
    if unit == "lot":
        return lot_groups(spec, frames)
    return week_groups(spec, frames)
