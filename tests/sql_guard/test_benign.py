"""The benign corpus: realistic analytical queries accepted by the guard and run on DuckDB,
PostgreSQL and MariaDB, with the same rows on every engine."""

from __future__ import annotations

from typing import Any

import pytest

from tests.sql_guard.plant_fixture import (
    SERVER_DIALECTS,
    load_corpus,
    query_for,
    same_rows,
)
from tools.database import Database
from tools.run_sql import RunSqlArgs, SqlResult, run_sql
from tools.sql_guard import GuardPolicy, guard_sql

BENIGN = load_corpus("benign.yaml")


def test_corpus_is_large_and_well_formed() -> None:
    ids = [entry["id"] for entry in BENIGN]
    assert len(BENIGN) >= 40
    assert len(ids) == len(set(ids)), "benign ids must be unique"


@pytest.mark.parametrize("entry", BENIGN, ids=[e["id"] for e in BENIGN])
def test_benign_query_runs_alike_everywhere(entry: dict[str, Any],
                                           plant_dbs: dict[str, Database]) -> None:
    results: dict[str, SqlResult] = {}
    for dialect in SERVER_DIALECTS:
        args = RunSqlArgs(query=query_for(entry, dialect), role=entry.get("role", "engineer"))
        results[dialect] = run_sql(args, db=plant_dbs[dialect])
    reference = results["duckdb"]
    assert len(reference.rows) >= entry.get("min_rows", 1)
    assert not reference.truncated
    for dialect, result in results.items():
        assert len(result.columns) == len(reference.columns), dialect
        assert same_rows(result.rows, reference.rows), (dialect, result.sql)
        result.model_dump_json()  # every value is JSON-serialisable


@pytest.mark.parametrize("entry", BENIGN, ids=[e["id"] for e in BENIGN])
def test_guarded_sql_passes_the_guard_again_unchanged(entry: dict[str, Any]) -> None:
    for dialect in SERVER_DIALECTS:
        policy = GuardPolicy.for_role(entry.get("role", "engineer"))
        first = guard_sql(query_for(entry, dialect), dialect=dialect, policy=policy)
        second = guard_sql(first.sql, dialect=dialect, policy=policy)
        assert second.sql == first.sql
        assert second.tables == first.tables and first.tables
