"""The attack corpus: every entry refused by the guard with its rule, and a replay showing the
plant's tables unchanged after every attack went (a) through ``run_sql`` and (b) raw to the
read-only ``Database.query`` of a least-privileged reader (defense in depth)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from tests.sql_guard.plant_fixture import (
    attack_sql,
    entry_dialects,
    expected_rule,
    load_corpus,
    reader_account,
)
from tools.database import Database, connect
from tools.errors import AndonError, SqlRejected
from tools.run_sql import RunSqlArgs, run_sql
from tools.sql_guard import GuardPolicy, guard_sql

ATTACKS = load_corpus("attacks.yaml")
CASES = [(entry, dialect) for entry in ATTACKS for dialect in entry_dialects(entry)]
RAW_TIMEOUT_S = 0.5


def test_corpus_is_large_and_well_formed() -> None:
    ids = [entry["id"] for entry in ATTACKS]
    assert len(ATTACKS) >= 60
    assert len(ids) == len(set(ids)), "attack ids must be unique"
    per_dialect = Counter(dialect for _, dialect in CASES)
    assert min(per_dialect[d] for d in ("duckdb", "postgres", "mysql")) >= 40, per_dialect


@pytest.mark.parametrize(("entry", "dialect"), CASES,
                         ids=[f"{e['id']}-{d}" for e, d in CASES])
def test_attack_is_refused_with_its_rule(entry: dict[str, Any], dialect: str) -> None:
    policy = GuardPolicy.for_role(entry.get("role", "engineer"))
    with pytest.raises(SqlRejected) as refused:
        guard_sql(attack_sql(entry), dialect=dialect, policy=policy)
    error = refused.value
    assert error.details["rule"] == expected_rule(entry, dialect), error.message
    assert error.code == "sql_rejected"
    assert "\n" not in error.message and 10 < len(error.message) < 400, error.message


def _checksums(db: Database) -> dict[str, tuple[int, str]]:
    return {table: db.table_checksum(table) for table in db.table_names()}


def _raw_replay(url: str) -> Counter[str]:
    """Send every attack text, of every dialect, unguarded to the engine as a reader."""
    outcomes: Counter[str] = Counter()
    with reader_account(url) as reader_url, connect(reader_url) as db:
        for entry in ATTACKS:
            if entry.get("raw_replay") is False:
                outcomes["not replayed raw (memory bomb)"] += 1
                continue
            try:
                db.query(attack_sql(entry), timeout_s=RAW_TIMEOUT_S, max_rows=5)
                outcomes["ran (read only)"] += 1
            except AndonError:
                outcomes["refused by the engine"] += 1
            except Exception as exc:  # a connection-layer fault, reported in the figures
                outcomes[f"failed with {type(exc).__name__}"] += 1
    return outcomes


def test_replayed_attacks_leave_every_table_unchanged(fresh_plant_url: str) -> None:
    with connect(fresh_plant_url) as db:
        before = _checksums(db)
        dialect = db.dialect
        mine = [e for e in ATTACKS if dialect in entry_dialects(e)]
        refused = 0
        for entry in mine:
            args = RunSqlArgs(query=attack_sql(entry), role=entry.get("role", "engineer"))
            with pytest.raises(SqlRejected):
                run_sql(args, db=db)
            refused += 1
    raw = _raw_replay(fresh_plant_url)
    with connect(fresh_plant_url) as db:
        after = _checksums(db)
    assert len(before) == 16 and all(rows > 0 for rows, _ in before.values())
    assert after == before
    print(f"\n[{dialect}] run_sql refused {refused} of {len(mine)} attacks; raw replay of "
          f"{len(ATTACKS)}: {dict(raw)}; {len(before)} table checksums unchanged")
