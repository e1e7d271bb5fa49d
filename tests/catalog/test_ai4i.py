"""AI4I 2020 loaded as it is, read through tools/catalog/mappings/ai4i2020.yaml.

The expectations come from the CSV itself (pandas), on DuckDB, PostgreSQL and MariaDB.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import pandas as pd
import pytest
import sqlglot
from sqlglot import exp

from tests.catalog.plant_db import load_fixture
from tools.catalog import MAPPINGS_DIR, Catalog, TableMapping, build_catalog
from tools.database import connect

pytestmark = pytest.mark.shared_data

QUERIES = load_fixture("ai4i_queries.yaml")["queries"]
FAILURE_MODES = ("TWF", "HDF", "PWF", "OSF", "RNF")
_HEADER = re.compile(r"^(?P<name>.+?) \[(?P<unit>[^\]]+)\]$")


@pytest.fixture(scope="module")
def mapping() -> TableMapping:
    return TableMapping.from_yaml(MAPPINGS_DIR / "ai4i2020.yaml")


@pytest.fixture(scope="module")
def catalog(ai4i_url: str, mapping: TableMapping) -> Catalog:
    with connect(ai4i_url) as db:
        return build_catalog(db, mapping)


def _sensor_columns(frame: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """'Torque [Nm]' -> ('torque', 'Nm'): the characteristics the CSV header promises."""
    out = {}
    for column in frame.columns:
        match = _HEADER.match(column)
        if match:
            out[column] = (match["name"].lower().replace(" ", "_"), match["unit"])
    return out


def test_catalog_sees_parts_characteristics_and_failure_codes(
        catalog: Catalog, ai4i_frame: pd.DataFrame) -> None:
    assert [p.part_id for p in catalog.parts] == sorted(ai4i_frame["Type"].unique())
    counts = ai4i_frame["Type"].value_counts()
    assert {p.part_id: p.batch_count for p in catalog.parts} == counts.to_dict()
    assert all(p.processes == ["machining"] for p in catalog.parts)
    sensors = _sensor_columns(ai4i_frame)
    assert len(sensors) == 5
    assert {(c.name, c.unit) for c in catalog.characteristics} == set(sensors.values())
    assert len(catalog.characteristics) == 5 * len(catalog.parts)
    assert {d.code: d.records for d in catalog.defect_codes} == {
        code: int(ai4i_frame[code].sum()) for code in FAILURE_MODES}
    assert catalog.shifts == ["A", "B", "C"]
    assert catalog.mapping == "ai4i2020"
    assert catalog.parameters == [] and catalog.suppliers == []
    assert catalog.require_characteristic("扭矩")[0].unit == "Nm"  # lexicon synonym


def _pandas_answer(frame: pd.DataFrame, recipe: dict) -> dict | float:
    rows = frame
    for column, value in recipe.get("where", {}).items():
        rows = rows[rows[column] == value]
    if "group_by" not in recipe:
        if recipe["agg"] == "size":
            return float(len(rows))
        return float(getattr(rows[recipe["column"]], recipe["agg"])())
    groups = rows.groupby(recipe["group_by"])
    result = groups.size() if recipe["agg"] == "size" else getattr(
        groups[recipe["column"]], recipe["agg"])()
    return {str(k): float(v) for k, v in result.items()}


@pytest.mark.parametrize("case", QUERIES, ids=[q["id"] for q in QUERIES])
def test_canonical_query_matches_pandas(ai4i_url: str, mapping: TableMapping,
                                        ai4i_frame: pd.DataFrame, case: dict) -> None:
    expected = _pandas_answer(ai4i_frame, case["pandas"])
    with connect(ai4i_url) as db:
        tree = mapping.expand(sqlglot.parse_one(case["sql"]))
        rows = db.query(tree.sql(dialect=db.dialect)).rows
    if isinstance(expected, dict):
        got = {str(k): float(v) for k, v in rows}
        assert got.keys() == expected.keys()
        for key, value in expected.items():
            assert math.isclose(got[key], value, rel_tol=1e-9), (key, got[key], value)
    else:
        ((value,),) = rows
        assert math.isclose(float(value), expected, rel_tol=1e-9), (value, expected)


def test_time_order_follows_udi(ai4i_url: str, mapping: TableMapping,
                                ai4i_frame: pd.DataFrame) -> None:
    query = (exp.select("batch_id", "started_at", "ended_at", "shift")
             .from_("batches").order_by("started_at").limit(3))
    with connect(ai4i_url) as db:
        rows = db.query(mapping.expand(query).sql(dialect=db.dialect)).rows
    first = ai4i_frame.sort_values("UDI").head(3)
    assert [r[0] for r in rows] == list(first["Product ID"])
    epoch = dt.datetime(2020, 1, 1, 6, tzinfo=dt.UTC)
    for (_, started, ended, shift), udi in zip(rows, first["UDI"], strict=True):
        assert started == epoch + dt.timedelta(minutes=int(udi) - 1)
        assert ended - started == dt.timedelta(minutes=1)
        assert shift == "A"


def test_guarded_sql_runs_through_the_mapping(ai4i_url: str, mapping: TableMapping,
                                              ai4i_frame: pd.DataFrame) -> None:
    """The SQL guard's ``expand`` hook: a canonical query typed by a person or an agent."""
    run_sql_module = pytest.importorskip("tools.run_sql")
    guard = pytest.importorskip("tools.sql_guard")
    policy = guard.GuardPolicy.for_role("engineer", expand=mapping.expand)
    query = ("SELECT b.part_id, COUNT(*) AS n FROM defects d JOIN batches b "
             "ON b.batch_id = d.batch_id WHERE d.defect_code = 'OSF' GROUP BY b.part_id")
    with connect(ai4i_url) as db:
        result = run_sql_module.run_sql(run_sql_module.RunSqlArgs(query=query), db=db,
                                        policy=policy)
    expected = ai4i_frame[ai4i_frame["OSF"] == 1].groupby("Type").size().to_dict()
    assert {row[0]: row[1] for row in result.rows} == expected
    assert "ai4i2020" in result.sql and not result.truncated
