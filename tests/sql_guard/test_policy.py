"""Roles as data, the policy's narrowing, the function lists, the mapping hook and the JSON
values of ``run_sql``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlglot import exp

from tests.sql_guard.plant_fixture import plant_rows
from tools.database import Database, connect
from tools.errors import InvalidInput, SqlRejected
from tools.reference_schema import TABLES, TABLES_BY_NAME
from tools.run_sql import RunSqlArgs, json_value, run_sql
from tools.sql_guard import GuardPolicy, guard_sql, load_function_rules, load_roles

ROLES = load_roles()


def _select(columns: list[str] | None, table: str) -> str:
    projection = [exp.column(c) for c in columns] if columns else [exp.Star()]
    return exp.select(*projection).from_(table).sql("duckdb")


def test_function_lists_name_only_real_sqlglot_classes() -> None:
    rules = load_function_rules()
    assert rules.unknown_names == ()
    assert rules.allowed and not rules.allowed & rules.denied_expressions


def test_unknown_role_is_refused_with_the_known_ones() -> None:
    with pytest.raises(InvalidInput) as refused:
        GuardPolicy.for_role("superuser")
    assert refused.value.details["known_roles"] == sorted(ROLES)


@pytest.mark.parametrize("role", sorted(ROLES))
def test_star_shows_exactly_the_visible_columns(role: str,
                                                plant_dbs: dict[str, Database]) -> None:
    visible = ROLES[role].visible({t.name: frozenset(t.column_names) for t in TABLES})
    for table, columns in visible.items():
        result = run_sql(RunSqlArgs(query=_select(None, table), role=role),
                         db=plant_dbs["duckdb"])
        expected = [c for c in TABLES_BY_NAME[table].column_names if c in columns]
        assert result.columns == expected
        assert len(result.rows) == len(plant_rows()[table][1])


@pytest.mark.parametrize("role", sorted(ROLES))
def test_hidden_columns_and_tables_are_refused_by_name(role: str) -> None:
    policy = GuardPolicy.for_role(role)
    for table in TABLES:
        hidden = set(table.column_names) - policy.tables.get(table.name, frozenset())
        if table.name not in policy.tables:
            with pytest.raises(SqlRejected) as refused:
                guard_sql(_select(None, table.name), dialect="duckdb", policy=policy)
            assert refused.value.details == {"rule": "table_not_allowed", "table": table.name,
                                             "role": role}
            continue
        for column in sorted(hidden):
            with pytest.raises(SqlRejected) as refused:
                guard_sql(_select([column], table.name), dialect="postgres", policy=policy)
            assert refused.value.details["rule"] == "column_not_allowed"
            assert column in refused.value.message


def test_a_role_argument_never_widens_the_configured_policy(
        plant_dbs: dict[str, Database]) -> None:
    viewer = GuardPolicy.for_role("viewer")
    with pytest.raises(SqlRejected):
        run_sql(RunSqlArgs(query="SELECT operator_id FROM batches", role="engineer"),
                db=plant_dbs["duckdb"], policy=viewer)
    with pytest.raises(SqlRejected):
        run_sql(RunSqlArgs(query="SELECT operator_id FROM batches", role="viewer"),
                db=plant_dbs["duckdb"], policy=GuardPolicy.for_role("engineer"))
    narrowed = GuardPolicy.for_role("engineer", row_cap=5000).narrowed_to_role("viewer")
    assert narrowed.row_cap == ROLES["viewer"].max_row_cap


def test_row_cap_is_bounded() -> None:
    assert GuardPolicy.for_role("viewer", row_cap=10**5).row_cap == ROLES["viewer"].max_row_cap
    with pytest.raises(InvalidInput):
        GuardPolicy.for_role("engineer", row_cap=0)
    with pytest.raises(ValidationError):
        RunSqlArgs(query="SELECT 1", max_rows=0)


def _item_master_plant(path: Path) -> str:
    """A DuckDB plant whose parts live in a differently named physical table."""
    url = f"duckdb:///{path}"
    columns, rows = plant_rows()["parts"]
    with connect(url, writable=True) as db:
        db.execute("CREATE TABLE item_master (item_no VARCHAR, descr VARCHAR, grp VARCHAR, "
                   "mat VARCHAR)")
        db.insert_rows("item_master", ["item_no", "descr", "grp", "mat"], rows)
    assert columns == ("part_id", "name", "family", "material")
    return url


def _expand_parts(tree: exp.Expression) -> exp.Expression:
    physical = exp.select(
        exp.alias_(exp.column("item_no"), "part_id"), exp.alias_(exp.column("descr"), "name"),
        exp.alias_(exp.column("grp"), "family"), exp.alias_(exp.column("mat"), "material"),
    ).from_("item_master")
    for table in list(tree.find_all(exp.Table)):
        if table.name == "parts":
            table.replace(physical.subquery(table.alias_or_name))
    return tree


def test_expand_hook_maps_canonical_names_after_validation(duckdb_path: Path) -> None:
    url = _item_master_plant(duckdb_path)
    policy = GuardPolicy(expand=_expand_parts)
    with connect(url) as db:
        result = run_sql(RunSqlArgs(query="SELECT family, COUNT(*) AS n FROM parts "
                                          "GROUP BY family ORDER BY family"),
                         db=db, policy=policy)
        assert "item_master" in result.sql
        families = sorted({row[2] for row in plant_rows()["parts"][1]})
        assert [row[0] for row in result.rows] == families
        with pytest.raises(SqlRejected) as refused:
            run_sql(RunSqlArgs(query="SELECT * FROM item_master"), db=db, policy=policy)
        assert refused.value.details["rule"] == "unknown_table"


def test_values_are_json_ready(plant_dbs: dict[str, Database]) -> None:
    first_start = min(row[8] for row in plant_rows()["batches"][1])
    for db in plant_dbs.values():
        result = run_sql(RunSqlArgs(query="SELECT MIN(started_at) AS first_start, "
                                          "AVG(qty_produced) AS mean_qty FROM batches"), db=db)
        stamp = result.rows[0][0]
        assert isinstance(stamp, str) and stamp.endswith("Z"), (db.dialect, stamp)
        assert dt.datetime.fromisoformat(stamp) == first_start
        assert isinstance(result.rows[0][1], float)


@pytest.mark.parametrize(("value", "expected"), [
    (dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC), "2026-03-02T06:00:00Z"),
    (dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.timezone(dt.timedelta(hours=1))),
     "2026-03-02T06:00:00Z"),
    (dt.date(2026, 3, 2), "2026-03-02"),
    (dt.timedelta(minutes=90), 5400.0),
    (float("nan"), None),
    (b"\x01\xff", "01ff"),
])
def test_json_value_conversions(value: object, expected: object) -> None:
    assert json_value(value) == expected
