"""A small handmade reference plant (tests/fixtures/sql_guard/plant.yaml) written to any
database URL, plus the corpus loaders and least-privileged reader accounts of these tests."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pymysql
import sqlglot
import yaml
from psycopg import sql as pgsql

from tests.conftest import FIXTURES
from tools.database import connect
from tools.reference_schema import TABLES, TABLES_BY_NAME, create_table_sql

GUARD_FIXTURES = FIXTURES / "sql_guard"
SERVER_DIALECTS = ("duckdb", "postgres", "mysql")
SAMPLE_SPACING = dt.timedelta(minutes=10)


def _timestamp(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


@cache
def plant_rows() -> dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]]:
    """Every reference table's (columns, rows) from plant.yaml, timestamps as UTC datetimes."""
    raw = yaml.safe_load((GUARD_FIXTURES / "plant.yaml").read_text(encoding="utf-8"))
    started = {b["batch_id"]: _timestamp(b["started_at"]) for b in raw["batches"]}
    raw["measurements"] = [
        {"batch_id": batch, "characteristic_id": char, "sample_no": i + 1, "value": value,
         "measured_at": started[batch] + SAMPLE_SPACING * i}
        for batch, per_char in raw["measurements"].items()
        for char, values in per_char.items()
        for i, value in enumerate(values)
    ]
    tables: dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]] = {}
    for table in TABLES:
        timestamps = {c.name for c in table.columns if c.type == "TIMESTAMP"}
        rows = [tuple(_timestamp(r[c]) if c in timestamps and isinstance(r[c], str) else r[c]
                      for c in table.column_names) for r in raw[table.name]]
        tables[table.name] = (table.column_names, rows)
    return tables


def build_plant(url: str) -> None:
    """Create the reference tables at ``url`` and fill them with the handmade plant."""
    with connect(url, writable=True) as db:
        for name, (columns, rows) in plant_rows().items():
            db.execute(create_table_sql(TABLES_BY_NAME[name], db.dialect))
            db.insert_rows(name, columns, rows)


@cache
def load_corpus(name: str) -> list[dict[str, Any]]:
    """The entries of one corpus file (attacks.yaml, benign.yaml, edge_cases.yaml)."""
    entries: list[dict[str, Any]] = yaml.safe_load(
        (GUARD_FIXTURES / name).read_text(encoding="utf-8"))
    return entries


def entry_dialects(entry: dict[str, Any]) -> tuple[str, ...]:
    dialects = entry.get("dialects", "all")
    return SERVER_DIALECTS if dialects == "all" else tuple(dialects)


def attack_sql(entry: dict[str, Any]) -> str:
    if entry.get("repeat"):
        return str(entry["sql"]) * int(entry["repeat"]) + "SELECT 1"
    return str(entry["sql"])


def expected_rule(entry: dict[str, Any], dialect: str) -> str:
    rules = entry.get("rules") or {}
    return str(rules.get(dialect, rules.get("default", entry.get("rule"))))


def query_for(entry: dict[str, Any], dialect: str) -> str:
    """A benign query in a dialect: its override, or its portable text transpiled by sqlglot."""
    overrides = entry.get("sql_by_dialect") or {}
    if dialect in overrides:
        return str(overrides[dialect])
    source = entry.get("read", "postgres")
    if source == dialect:
        return str(entry["sql"])
    return sqlglot.transpile(entry["sql"], read=source, write=dialect)[0]


@contextmanager
def reader_account(url: str) -> Iterator[str]:
    """A URL for a fresh login that may only SELECT from the database at ``url`` (no file,
    program or admin privileges), dropped afterwards. DuckDB URLs are returned unchanged."""
    parts = urlsplit(url)
    if parts.scheme == "duckdb":
        yield url
        return
    user = f"andon_reader_{uuid.uuid4().hex[:8]}"
    database = parts.path.lstrip("/")
    reader = urlunsplit((parts.scheme, f"{user}@{parts.hostname}:{parts.port}",
                         parts.path, "", ""))
    if parts.scheme.startswith("postgres"):
        role, db_ident = pgsql.Identifier(user), pgsql.Identifier(database)
        with psycopg.connect(host=parts.hostname, port=parts.port, dbname=database,
                             user=parts.username or "root", autocommit=True) as conn:
            conn.execute(pgsql.SQL("CREATE ROLE {} LOGIN").format(role))
            conn.execute(pgsql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(db_ident, role))
            conn.execute(pgsql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role))
            conn.execute(pgsql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {}")
                         .format(role))
        try:
            yield reader
        finally:
            with psycopg.connect(host=parts.hostname, port=parts.port, dbname=database,
                                 user=parts.username or "root", autocommit=True) as conn:
                conn.execute(pgsql.SQL("DROP OWNED BY {}").format(role))
                conn.execute(pgsql.SQL("DROP ROLE {}").format(role))
        return
    admin_my = {"host": parts.hostname, "port": parts.port, "user": parts.username or "root",
                "autocommit": True}
    with pymysql.connect(**admin_my) as conn, conn.cursor() as cur:
        cur.execute(f"CREATE USER '{user}'@'%'")
        cur.execute(f"GRANT SELECT ON `{database}`.* TO '{user}'@'%'")
    try:
        yield reader
    finally:
        with pymysql.connect(**admin_my) as conn, conn.cursor() as cur:
            cur.execute(f"DROP USER IF EXISTS '{user}'@'%'")


def comparable(value: Any) -> Any:
    """A JSON result value in a form that compares across engines: numbers as floats,
    timestamps (with or without Z, with or without time) as UTC datetimes."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    return value


def same_rows(left: list[list[Any]], right: list[list[Any]]) -> bool:
    """Equal results up to engine arithmetic: numbers within 1e-4 relative (MariaDB keeps
    four extra decimals in divisions), everything else exactly."""
    if len(left) != len(right):
        return False
    for row_a, row_b in zip(left, right, strict=True):
        if len(row_a) != len(row_b):
            return False
        for a, b in zip(map(comparable, row_a), map(comparable, row_b), strict=True):
            if isinstance(a, float) and isinstance(b, float):
                if not math.isclose(a, b, rel_tol=1e-4, abs_tol=1e-6):
                    return False
            elif a != b:
                return False
    return True
