"""The plant is believable: the lines, parts, suppliers, shifts, parameters, events and normal
process behaviour a quality engineer expects to find (expectations in plant_expectations.yaml)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from tests.demo_plant.conftest import frames_for, load_fixture
from tools.demo_plant import PlantData

SEEDS = load_fixture("detection.yaml")["seeds"]


def normal_batch_ids(plant: PlantData) -> set[str]:
    hit = {b for i in plant.manifest.incidents for b in i.affected_batch_ids}
    return {row[0] for row in plant.tables["batches"]} - hit


def test_lines_parts_and_characteristics(frames: dict[str, pd.DataFrame],
                                         expect: dict[str, Any]) -> None:
    lines, parts, chars = frames["lines"], frames["parts"], frames["characteristics"]
    assert len(lines) >= expect["lines"]["min_count"]
    assert set(expect["lines"]["required_processes"]) <= set(lines.process)
    per_line = frames["machines"].groupby("line_id").size()
    assert (per_line >= expect["lines"]["min_machines_per_line"]).all()
    assert len(parts) >= expect["parts"]["min_count"]
    assert parts.family.nunique() >= expect["parts"]["min_families"]
    lo, hi = expect["parts"]["characteristics_per_part"]
    assert chars.groupby("part_id").size().between(lo, hi).all()
    assert set(chars.name) <= set(expect["parts"]["characteristic_names"])
    assert set(chars.unit) <= set(expect["parts"]["units"])
    two_sided = chars.dropna(subset=["lsl", "usl"])
    assert (two_sided.lsl < two_sided.usl).all()
    nominal = two_sided.dropna(subset=["nominal"])
    assert ((nominal.lsl < nominal.nominal) & (nominal.nominal < nominal.usl)).all()


def test_tools_suppliers_and_lots(frames: dict[str, pd.DataFrame],
                                  expect: dict[str, Any]) -> None:
    tools = frames["tools"]
    assert set(expect["tools"]["required_types"]) <= set(tools.tool_type)
    assert (tools.groupby("part_id").size() >= 2).sum() >= expect["tools"][
        "min_parts_with_two_tools"]
    used = frames["material_lots"].merge(frames["suppliers"], on="supplier_id")
    assert used.country.nunique() >= expect["suppliers"]["min_countries"]
    assert (used.groupby("material").supplier_id.nunique() >= 2).all()


@pytest.mark.parametrize("seed", SEEDS)
def test_normal_process_is_capable(seed: int, expect: dict[str, Any]) -> None:
    from tests.demo_plant.conftest import plant_for

    f = frames_for(seed)
    normal = normal_batch_ids(plant_for(seed))
    m = f["measurements"][f["measurements"].batch_id.isin(normal)]
    lo, hi = expect["parts"]["ppk_range"]
    for spec in f["characteristics"].itertuples():
        values = m[m.characteristic_id == spec.characteristic_id].value
        mean, sd = values.mean(), values.std()
        gaps = [g for g in (spec.usl - mean, mean - spec.lsl) if not np.isnan(g)]
        ppk = min(gaps) / (3 * sd)
        assert lo <= ppk <= hi, f"{spec.part_id} {spec.name}: Ppk {ppk:.2f}"


def test_shifts_crews_and_parameters(plant: PlantData, frames: dict[str, pd.DataFrame],
                                     expect: dict[str, Any]) -> None:
    b = frames["batches"]
    prod = expect["production"]
    assert set(b["shift"]) == set(prod["shifts"])
    per_day = b.assign(day=b.started_at.dt.date).groupby(["line_id", "day"]).size()
    assert per_day.groupby("line_id").mean().min() >= prod["min_batches_per_line_and_day"]
    crews = b.groupby(["line_id", "shift"]).operator_id.nunique()
    assert (crews >= prod["min_operators_per_shift_and_line"]).all()
    params = frames["process_parameters"].merge(b, on="batch_id").merge(
        frames["lines"][["line_id", "process"]], on="line_id")
    for process, names in expect["parameters"].items():
        assert set(names) <= set(params[params.process == process].name), process
    hit = {(i.part_id, i.target): set(i.affected_batch_ids) for i in plant.manifest.incidents}
    m = frames["measurements"].merge(b, on="batch_id").merge(
        frames["characteristics"][["characteristic_id", "name"]], on="characteristic_id")
    for (cid, part_id, name), rows in m.groupby(["characteristic_id", "part_id", "name"]):
        rows = rows[~rows.batch_id.isin(hit.get((part_id, name), set()))]
        by_shift = rows.groupby("shift").value.mean()
        gap = (by_shift.max() - by_shift.min()) / rows.value.std()
        assert gap <= prod["max_shift_mean_gap_sigma"], f"{cid}: shift gap {gap:.2f} sigma"


def test_events_inspections_complaints_changes(frames: dict[str, pd.DataFrame],
                                               expect: dict[str, Any]) -> None:
    ev = frames["maintenance_events"]
    assert set(ev.kind) == set(expect["maintenance"]["kinds"])
    assert set(ev.asset_type) == set(expect["maintenance"]["asset_types"])
    assets = set(frames["machines"].machine_id) | set(frames["tools"].tool_id)
    assert set(ev[ev.asset_type != "gauge"].asset_id) <= assets
    ii = frames["incoming_inspections"]
    assert set(expect["incoming_inspections"]["required_characteristics"]) <= set(
        ii.dropna(subset=["value"]).characteristic)
    cp = frames["complaints"]
    assert set(cp.severity) <= set(expect["complaints"]["severities"])
    assert cp.batch_id.notna().mean() >= expect["complaints"]["min_traced_share"]
    assert set(frames["engineering_changes"].kind) == set(expect["engineering_changes"]["kinds"])


def test_tool_wear_raises_burrs_between_services(plant: PlantData,
                                                 frames: dict[str, pd.DataFrame]) -> None:
    """Burr rates of dies climb with the batches run since the die's last service."""
    b = frames["batches"][frames["batches"].batch_id.isin(normal_batch_ids(plant))]
    services = frames["maintenance_events"][frames["maintenance_events"].asset_type == "tool"]
    burrs = frames["defects"][frames["defects"].defect_code == "burr"].groupby(
        "batch_id").quantity.sum()
    rows = []
    for tool_id, runs in b.dropna(subset=["tool_id"]).groupby("tool_id"):
        if not tool_id.startswith("T-2"):
            continue
        stamps = services[services.asset_id == tool_id].performed_at.sort_values().to_numpy()
        runs = runs.sort_values("started_at")
        last = np.searchsorted(stamps, runs.started_at.to_numpy(), side="right")
        age = runs.groupby(last).cumcount()
        rate = burrs.reindex(runs.batch_id).fillna(0).to_numpy() / runs.qty_produced.to_numpy()
        rows.append(pd.DataFrame({"age": age.to_numpy(), "rate": rate}))
    data = pd.concat(rows)
    rule = load_fixture("detection.yaml")["tool_wear"]
    young = data[data.age < rule["young_below"]].rate.mean()
    old = data[data.age >= rule["old_from"]].rate.mean()
    assert old / young >= rule["min_ratio"]
    assert data.age.rank().corr(data.rate.rank()) > 0  # Spearman


def test_lot_to_lot_variation_is_visible(frames: dict[str, pd.DataFrame]) -> None:
    """Strip thickness of the contact terminal varies more between lots than within."""
    chars = frames["characteristics"]
    cid = chars[(chars.part_id == "P-220") & (chars.name == "wall_thickness")].characteristic_id
    m = frames["measurements"][frames["measurements"].characteristic_id == cid.iloc[0]]
    m = m.merge(frames["batches"], on="batch_id")
    means = m.groupby(["material_lot_id", "batch_id"]).value.mean().reset_index()
    between = means.groupby("material_lot_id").value.mean().var()
    within = means.groupby("material_lot_id").value.var().mean()
    per_lot = means.groupby("material_lot_id").size().mean()
    assert between / (within / per_lot) > 4.0  # F-like ratio of lot means
