"""Every generated table conforms to the reference schema and to the plant's own rules."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd
import pytest

from tests.demo_plant.conftest import frames_for, load_fixture, plant_for
from tools.demo_plant.config import load_plant_config
from tools.reference_schema import TABLES, TABLES_BY_NAME

SEEDS = load_fixture("detection.yaml")["seeds"]
FOREIGN_KEYS = load_fixture("foreign_keys.yaml")
PY_TYPES: dict[str, tuple[type, ...]] = {"TEXT": (str,), "DOUBLE": (float,), "INTEGER": (int,),
                                         "TIMESTAMP": (dt.datetime,)}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("table", [t.name for t in TABLES])
def test_types_nulls_and_keys(seed: int, table: str) -> None:
    spec = TABLES_BY_NAME[table]
    rows = plant_for(seed).tables[table]
    assert rows, f"{table} is empty"
    for row in rows:
        assert len(row) == len(spec.columns)
        for column, value in zip(spec.columns, row, strict=True):
            if value is None:
                assert column.nullable, f"{table}.{column.name} is NULL"
                continue
            assert isinstance(value, PY_TYPES[column.type]), (table, column.name, value)
            assert not isinstance(value, bool)
            if isinstance(value, float):
                assert math.isfinite(value), (table, column.name)
            if isinstance(value, dt.datetime):
                assert value.utcoffset() == dt.timedelta(0), (table, column.name)
    key = [spec.column_names.index(c) for c in spec.primary_key]
    keys = [tuple(row[i] for i in key) for row in rows]
    assert len(set(keys)) == len(keys), f"duplicate primary keys in {table}"


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("link", FOREIGN_KEYS, ids=lambda f: f["child"])
def test_foreign_keys_resolve(seed: int, link: dict[str, str]) -> None:
    frames = frames_for(seed)
    child_table, child_col = link["child"].split(".")
    parent_table, parent_col = link["parent"].split(".")
    values = set(frames[child_table][child_col].dropna())
    assert values, f"{link['child']} is never filled"
    missing = values - set(frames[parent_table][parent_col])
    assert not missing, f"{link['child']} has unresolved values {sorted(missing)[:5]}"


@pytest.mark.parametrize("seed", SEEDS)
def test_batches_are_consistent(seed: int) -> None:
    f = frames_for(seed)
    b = f["batches"]
    assert (b.started_at < b.ended_at).all()
    assert (b.qty_defective >= 0).all() and (b.qty_defective <= b.qty_produced).all()
    defects = f["defects"].groupby("batch_id")["quantity"].sum()
    assert (b.set_index("batch_id").qty_defective == defects.reindex(b.batch_id).fillna(0)
            .astype(int)).all(), "qty_defective must equal the batch's defect quantities"
    assert (f["defects"].quantity > 0).all()
    machines = f["machines"].set_index("machine_id").line_id
    assert (machines.reindex(b.machine_id).to_numpy() == b.line_id.to_numpy()).all()
    tools = f["tools"].set_index("tool_id").part_id
    with_tool = b.dropna(subset=["tool_id"])
    assert (tools.reindex(with_tool.tool_id).to_numpy() == with_tool.part_id.to_numpy()).all()
    overlaps = b.sort_values("started_at").groupby("machine_id").apply(
        lambda g: (g.started_at.iloc[1:].to_numpy() < g.ended_at.iloc[:-1].to_numpy()).sum(),
        include_groups=False)
    assert overlaps.sum() == 0, "a machine ran two batches at once"


@pytest.mark.parametrize("seed", SEEDS)
def test_measurements_have_five_samples_within_the_batch(seed: int, expect: dict[str, Any],
                                                         ) -> None:
    f = frames_for(seed)
    m = f["measurements"].merge(f["batches"], on="batch_id")
    n = expect["production"]["samples_per_characteristic"]
    groups = m.groupby(["batch_id", "characteristic_id"]).sample_no
    assert (groups.count() == n).all()
    assert (groups.min() == 1).all() and (groups.max() == n).all()
    assert (groups.nunique() == n).all()
    assert ((m.measured_at >= m.started_at) & (m.measured_at <= m.ended_at)).all()
    chars = f["characteristics"].set_index("characteristic_id").part_id
    assert (chars.reindex(m.characteristic_id).to_numpy() == m.part_id.to_numpy()).all()
    per_part = f["characteristics"].groupby("part_id").size().to_dict()
    measured = m.groupby("batch_id").characteristic_id.nunique()
    batch_part = f["batches"].set_index("batch_id").part_id
    assert all(measured[b] == per_part[batch_part[b]] for b in measured.index)
    assert len(measured) == len(f["batches"])


@pytest.mark.parametrize("seed", SEEDS)
def test_events_and_other_timestamps_lie_in_the_history(seed: int) -> None:
    data = plant_for(seed)
    f = frames_for(seed)
    start, end = data.manifest.history_start, data.manifest.history_end
    for table, column in (("maintenance_events", "performed_at"), ("complaints", "received_at"),
                          ("engineering_changes", "effective_at"), ("defects", "detected_at")):
        values = f[table][column]
        assert values.min() >= start and values.max() <= end, table
    d = f["defects"].merge(f["batches"], on="batch_id")
    assert (d.detected_at >= d.started_at).all()
    c = f["complaints"].dropna(subset=["batch_id"]).merge(f["batches"], on="batch_id")
    assert (c.received_at > c.ended_at).all(), "a complaint predates its batch"
    lots = f["material_lots"].set_index("lot_id").received_at
    used = f["batches"].dropna(subset=["material_lot_id"])
    assert (lots.reindex(used.material_lot_id).to_numpy() < used.started_at.to_numpy()).all()


@pytest.mark.parametrize("seed", SEEDS)
def test_incoming_inspections_agree_with_limits_and_rejections(seed: int) -> None:
    f = frames_for(seed)
    config = load_plant_config()
    limits = {(m.material, i.characteristic): i for m in config.materials for i in m.inspections}
    ii = f["incoming_inspections"].merge(f["material_lots"], on="lot_id")
    for row in ii.itertuples():
        spec = limits[(row.material, row.characteristic)]
        if pd.isna(row.value):
            assert spec.nominal is None and pd.isna(row.unit)
            continue
        assert row.unit == spec.unit
        inside = (spec.lsl is None or row.value >= spec.lsl) and (
            spec.usl is None or row.value <= spec.usl)
        assert row.result == ("pass" if inside else "fail"), row
        assert row.inspected_at > row.received_at
    failed = set(ii[ii.result == "fail"].lot_id)
    assert failed, "some lots fail incoming inspection"
    assert not failed & set(f["batches"].material_lot_id.dropna()), "a rejected lot was used"
    every_lot = set(f["material_lots"].lot_id)
    assert every_lot == set(ii.lot_id), "every lot is inspected"
