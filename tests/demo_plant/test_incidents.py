"""Planted incidents: every one is in the data, where and as big as the manifest says, found
with a simple statistic computed here (affected batches against nearby unaffected ones)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import numpy as np
import pandas as pd
import pytest

from tests.demo_plant.conftest import frames_for, load_fixture, plant_for
from tools.demo_plant import Incident, PlantData, PlantManifest
from tools.demo_plant.plan_config import load_incident_plan

DET = load_fixture("detection.yaml")
EXPECT = load_fixture("plant_expectations.yaml")
BATCH_INCIDENTS = [i.id for i in load_incident_plan().incidents]
BATCH_MEASURES = ("characteristic", "defect_code", "defect_rate")


def batch_level(plant: PlantData) -> list[Incident]:
    return [i for i in plant.manifest.incidents if i.measure in BATCH_MEASURES]


def groups(plant: PlantData, frames: dict[str, pd.DataFrame], inc: Incident,
           ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Affected batches, and unaffected batches of the part near the incident window."""
    b = frames["batches"][frames["batches"].part_id == inc.part_id]
    hit = {x for i in batch_level(plant) for x in i.affected_batch_ids}
    near = dt.timedelta(days=DET["control_days"])
    control = b[~b.batch_id.isin(hit) & (b.started_at >= inc.start - near)
                & (b.started_at < inc.end + near)]
    return b[b.batch_id.isin(inc.affected_batch_ids)], control


def batch_stats(frames: dict[str, pd.DataFrame], part_id: str, name: str) -> pd.DataFrame:
    chars = frames["characteristics"]
    cid = chars[(chars.part_id == part_id) & (chars.name == name)].characteristic_id.iloc[0]
    m = frames["measurements"][frames["measurements"].characteristic_id == cid]
    return m.groupby("batch_id").value.agg(["mean", "var"])


def observed_effect(frames: dict[str, pd.DataFrame], inc: Incident, a: pd.DataFrame,
                    c: pd.DataFrame) -> tuple[float, float]:
    """The statistic's change (difference or ratio, as the manifest states it) and, for mean
    shifts, its t value."""
    if inc.measure == "characteristic":
        stats = batch_stats(frames, str(inc.part_id), inc.target)
        sa, sc = stats.loc[a.batch_id], stats.loc[c.batch_id]
        if inc.statistic == "mean":
            diff = sa["mean"].mean() - sc["mean"].mean()
            se = np.sqrt(sa["mean"].var() / len(sa) + sc["mean"].var() / len(sc))
            return float(diff), float(diff / se)
        return float(np.sqrt(sa["var"].mean() / sc["var"].mean())), np.inf
    if inc.measure == "defect_code":
        d = frames["defects"]
        counts = d[d.defect_code == inc.target].groupby("batch_id").quantity.sum()

        def rate(x: pd.DataFrame) -> float:
            return float(counts.reindex(x.batch_id).fillna(0).sum() / x.qty_produced.sum())
    else:
        def rate(x: pd.DataFrame) -> float:
            return float(x.qty_defective.sum() / x.qty_produced.sum())
    return rate(a) / rate(c), np.inf


@pytest.mark.parametrize("seed", DET["seeds"])
@pytest.mark.parametrize("incident_id", BATCH_INCIDENTS)
def test_incident_is_detectable_with_its_planted_size(seed: int, incident_id: str) -> None:
    plant, frames = plant_for(seed), frames_for(seed)
    inc = plant.manifest.incident(incident_id)
    a, c = groups(plant, frames, inc)
    tol = DET["tolerance"][inc.statistic]
    assert len(a) >= DET["tolerance"]["min_affected_batches"]
    assert len(c) >= DET["tolerance"]["min_affected_batches"]
    effect, t = observed_effect(frames, inc, a, c)
    ratio = effect / inc.effect_size
    assert tol["min_ratio"] <= ratio <= tol["max_ratio"], (
        f"{incident_id} {inc.statistic} of {inc.target}: planted {inc.effect_size}, "
        f"observed {effect:.4g}")
    if inc.statistic == "mean":
        assert abs(t) >= tol["min_t"] and np.sign(t) == np.sign(inc.effect_size)
    assert inc.direction == ("up" if effect > (0 if inc.effect_scale == "absolute" else 1)
                             else "down")


def carriers(frames: dict[str, pd.DataFrame], inc: Incident) -> set[str]:
    """Batches of the part that carry the incident's cause, read from the tables."""
    b = frames["batches"][frames["batches"].part_id == inc.part_id]
    window = b[(b.started_at >= inc.start) & (b.started_at < inc.end)]
    column = {"tool": "tool_id", "machine": "machine_id", "operator": "operator_id",
              "shift": "shift"}.get(inc.cause_kind)
    if column:
        return set(window[window[column] == inc.cause_id].batch_id)
    if inc.cause_kind == "material_lot":
        return set(b[b.material_lot_id == inc.cause_id].batch_id)
    if inc.cause_kind == "supplier":
        lots = frames["material_lots"]
        mine = set(lots[lots.lot_id.isin(inc.affected_lot_ids)
                        & (lots.supplier_id == inc.cause_id)].lot_id)
        return set(b[b.material_lot_id.isin(mine)].batch_id)
    if inc.cause_kind == "maintenance_event":
        ev = frames["maintenance_events"].set_index("event_id").loc[inc.cause_id]
        assert ev.performed_at == inc.start
        column = {"tool": "tool_id", "machine": "machine_id"}.get(ev.asset_type)
        return set(window[window[column] == ev.asset_id].batch_id) if column else set(
            window.batch_id)
    if inc.cause_kind == "engineering_change":
        ec = frames["engineering_changes"].set_index("change_id").loc[inc.cause_id]
        assert ec.part_id == inc.part_id and ec.effective_at == inc.start
        return set(window.batch_id)
    params = frames["process_parameters"]
    values = params[params.name == inc.cause_id].set_index("batch_id").value
    affected = values.reindex(list(inc.affected_batch_ids))
    others = values.reindex(list(set(window.batch_id) - set(inc.affected_batch_ids)))
    assert affected.min() > others.max() or affected.max() < others.min(), (
        "the parameter excursion must separate affected batches from the rest")
    return set(window.batch_id) & set(values[(values >= affected.min())
                                             & (values <= affected.max())].index)


@pytest.mark.parametrize("seed", DET["seeds"])
def test_affected_batches_are_exactly_those_carrying_the_cause(seed: int) -> None:
    plant, frames = plant_for(seed), frames_for(seed)
    for inc in batch_level(plant):
        assert carriers(frames, inc) == set(inc.affected_batch_ids), inc.incident_id


@pytest.mark.parametrize("seed", DET["seeds"])
def test_every_cause_kind_is_planted_several_times(seed: int) -> None:
    rule = EXPECT["incidents"]
    kinds = pd.Series([i.cause_kind for i in plant_for(seed).manifest.incidents
                       if i.measure != "complaints"]).value_counts()
    assert set(kinds.index) == set(rule["cause_kinds"])
    assert kinds.between(rule["min_per_kind"], rule["max_per_kind"]).all(), kinds.to_dict()


@pytest.mark.parametrize("seed", DET["seeds"])
def test_incidents_do_not_overlap_on_a_part(seed: int) -> None:
    by_part: dict[str, list[Incident]] = {}
    for inc in batch_level(plant_for(seed)):
        by_part.setdefault(str(inc.part_id), []).append(inc)
    for part_id, items in by_part.items():
        items.sort(key=lambda i: i.start)
        for first, second in itertools.pairwise(items):
            assert first.end <= second.start, (part_id, first.incident_id, second.incident_id)
            assert not set(first.affected_batch_ids) & set(second.affected_batch_ids)


def test_confounded_tool_and_machine_cannot_be_separated(plant: PlantData,
                                                         frames: dict[str, pd.DataFrame]) -> None:
    pairs = [(inc, ref) for inc in batch_level(plant) for ref in inc.confounded_with
             if inc.cause_kind == "tool" and ref.kind == "machine"]
    assert len(pairs) >= 1
    b = frames["batches"]
    for inc, ref in pairs:
        in_window = b[(b.part_id == inc.part_id) & (b.started_at >= inc.start)
                      & (b.started_at < inc.end)]
        on_machine = set(in_window[in_window.machine_id == ref.id].batch_id)
        with_tool = set(in_window[in_window.tool_id == inc.cause_id].batch_id)
        assert on_machine == with_tool == set(inc.affected_batch_ids)
        assert any(d.reason == "confounded" and d.id == ref.id and
                   d.near_incident == inc.incident_id for d in plant.manifest.decoys)


def test_decoys_look_like_causes_and_are_not(plant: PlantData,
                                            frames: dict[str, pd.DataFrame]) -> None:
    rule = EXPECT["decoys"]
    decoys = plant.manifest.decoys
    assert {d.reason for d in decoys} == set(rule["reasons"])
    events = frames["maintenance_events"].set_index("event_id")
    changes = frames["engineering_changes"].set_index("change_id")
    for decoy in decoys:
        if decoy.reason == "near_in_time":
            assert decoy.id in events.index and decoy.at is not None
            near = plant.manifest.incident(str(decoy.near_incident))
            gap = abs((decoy.at - near.start).total_seconds()) / 86400
            assert rule["min_days_from_incident_start"] <= gap <= rule[
                "max_days_from_incident_start"]
            assert_not_aligned(frames, near, decoy.at)
        elif decoy.reason == "no_effect":
            assert changes.loc[decoy.id].part_id == decoy.part_id
            assert_no_shift(plant, frames, decoy.part_id or "", changes.loc[decoy.id].effective_at)
    assert "drawing" in set(changes.loc[[d.id for d in decoys if d.reason == "no_effect"]].kind)


def assert_not_aligned(frames: dict[str, pd.DataFrame], near: Incident,
                       at: dt.datetime) -> None:
    """Production separates the decoy from the incident: affected batches ran before a decoy
    placed after the start; unaffected batches of the part ran between an earlier decoy and
    the start."""
    b = frames["batches"]
    if at > near.start:
        before = b[b.batch_id.isin(near.affected_batch_ids) & (b.started_at < at)]
    else:
        before = b[(b.part_id == near.part_id) & (b.started_at >= at)
                   & (b.started_at < near.start) & ~b.batch_id.isin(near.affected_batch_ids)]
    assert len(before) >= 2, (near.incident_id, at)


def assert_no_shift(plant: PlantData, frames: dict[str, pd.DataFrame], part_id: str,
                    at: dt.datetime) -> None:
    hit = {x for i in batch_level(plant) for x in i.affected_batch_ids}
    b = frames["batches"]
    b = b[(b.part_id == part_id) & ~b.batch_id.isin(hit)]
    span = dt.timedelta(days=DET["decoy_change"]["days"])
    before = b[(b.started_at >= at - span) & (b.started_at < at)].batch_id
    after = b[(b.started_at >= at) & (b.started_at < at + span)].batch_id
    chars = frames["characteristics"]
    for name in chars[chars.part_id == part_id].name:
        stats = batch_stats(frames, part_id, name)
        within = np.sqrt(stats["var"].mean())
        shift = abs(stats.loc[after, "mean"].mean() - stats.loc[before, "mean"].mean()) / within
        assert shift < DET["decoy_change"]["max_mean_shift_sigma"], (part_id, name, shift)


def test_incoming_inspection_drift(plant: PlantData, frames: dict[str, pd.DataFrame]) -> None:
    drifts = [i for i in plant.manifest.incidents if i.measure == "incoming_inspection"]
    assert drifts
    ii = frames["incoming_inspections"].merge(frames["material_lots"], on="lot_id")
    for inc in drifts:
        rows = ii[ii.lot_id.isin(inc.affected_lot_ids) & (ii.characteristic == inc.target)]
        assert (rows.supplier_id == inc.cause_id).all()
        rows = rows.sort_values("received_at")
        days = (rows.received_at - rows.received_at.min()).dt.total_seconds() / 86400
        slope = np.polyfit(days, rows.value, 1)[0]
        assert np.sign(slope) == (-1 if inc.direction == "down" else 1)
        assert (rows.result == "fail").sum() >= DET["inspection_drift"]["min_failed_lots"]
        before = ii[(ii.supplier_id == inc.cause_id) & (ii.characteristic == inc.target)
                    & (ii.received_at < inc.start)]
        assert abs(before.value.mean() - inc.baseline) < abs(inc.effect_size) / 3
        assert (before.result == "pass").all()


def test_complaint_spike_follows_its_incident(plant: PlantData,
                                             frames: dict[str, pd.DataFrame]) -> None:
    spikes = [i for i in plant.manifest.incidents if i.measure == "complaints"]
    assert spikes
    cp = frames["complaints"]
    for spike in spikes:
        mine = cp[cp.part_id == spike.part_id]
        inside = mine[(mine.received_at >= spike.start) & (mine.received_at <= spike.end)]
        weeks_in = max(1.0, (spike.end - spike.start).days / 7)
        weeks_out = (plant.manifest.history_end - plant.manifest.history_start).days / 7 - weeks_in
        ratio = (len(inside) / weeks_in) / max(len(mine) - len(inside), 1) * weeks_out
        assert ratio >= DET["complaint_spike"]["min_ratio_to_background"]
        source = next(i for i in batch_level(plant) if i.cause == spike.cause)
        assert set(spike.affected_batch_ids) <= set(source.affected_batch_ids)
        assert set(inside.batch_id.dropna()) >= set(spike.affected_batch_ids)


def test_manifest_is_json_round_trip_and_bilingual(plant: PlantData) -> None:
    manifest = plant.manifest
    again = PlantManifest.model_validate_json(manifest.model_dump_json())
    assert again == manifest
    for inc in manifest.incidents:
        assert inc.description_en.isascii() and inc.cause_id in inc.description_en
        assert any("\u4e00" <= ch <= "\u9fff" for ch in inc.description_zh)
        assert "{" not in inc.description_en + inc.description_zh
        assert inc.start < inc.end


def test_manifest_records_the_plan(plant: PlantData) -> None:
    """Every planned incident, spike and drift made it into the default plant."""
    plan = load_incident_plan()
    planned = {i.id for i in plan.incidents} | {i.id for i in plan.inspection_incidents} | {
        s.id for s in plan.complaint_spikes}
    assert {i.incident_id for i in plant.manifest.incidents} == planned


def test_plan_shapes(plant: PlantData) -> None:
    expected: dict[str, Any] = EXPECT["incidents"]
    assert len(plant.manifest.incidents) >= expected["min_per_kind"] * len(
        expected["cause_kinds"])
