"""Accepted but bounded or neutralized queries: row cap, caller's max_rows, timeout, and the
re-rendering that drops comments and re-quotes strings."""

from __future__ import annotations

from typing import Any

import pytest
import sqlglot

from tests.sql_guard.plant_fixture import entry_dialects, load_corpus, plant_rows
from tools.database import Database
from tools.errors import AndonError
from tools.run_sql import RunSqlArgs, run_sql
from tools.sql_guard import DEFAULT_ROW_CAP, DEFAULT_TIMEOUT_S, GuardPolicy, guard_sql

EDGE_CASES = load_corpus("edge_cases.yaml")
CASES = [(entry, dialect) for entry in EDGE_CASES for dialect in entry_dialects(entry)]


def _policy(entry: dict[str, Any]) -> GuardPolicy:
    return GuardPolicy.for_role(entry.get("role", "engineer"),
                                row_cap=entry.get("row_cap", DEFAULT_ROW_CAP),
                                timeout_s=entry.get("timeout_s", DEFAULT_TIMEOUT_S))


@pytest.mark.parametrize(("entry", "dialect"), CASES,
                         ids=[f"{e['id']}-{d}" for e, d in CASES])
def test_edge_case_is_bounded_or_neutralized(entry: dict[str, Any], dialect: str,
                                             plant_dbs: dict[str, Database]) -> None:
    expect = entry["expect"]
    policy = _policy(entry)
    args = RunSqlArgs(query=entry["sql"], role=entry.get("role", "engineer"),
                      max_rows=entry.get("max_rows"))
    if "error" in expect:
        guard_sql(entry["sql"], dialect=dialect, policy=policy)  # the guard accepts it
        with pytest.raises(AndonError) as failed:
            run_sql(args, db=plant_dbs[dialect], policy=policy)
        assert failed.value.code == expect["error"]
        assert "timeout" in failed.value.message
        return
    result = run_sql(args, db=plant_dbs[dialect], policy=policy)
    if "rows" in expect:
        assert len(result.rows) == expect["rows"]
    if "rows_of_table" in expect:
        assert len(result.rows) == len(plant_rows()[expect["rows_of_table"]][1])
    if "truncated" in expect:
        assert result.truncated is expect["truncated"]
    if "limit" in expect:
        limit = sqlglot.parse_one(result.sql, read=dialect).args["limit"]
        assert limit.expression.sql() == str(expect["limit"]), result.sql
    if "columns" in expect:
        assert [c.lower() for c in result.columns] == expect["columns"]
    for text in expect.get("sql_excludes", []):
        assert text.lower() not in result.sql.lower(), result.sql

