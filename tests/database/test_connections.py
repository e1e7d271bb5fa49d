"""The connection layer on real DuckDB, PostgreSQL, MariaDB and SQLite databases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from tests.conftest import FIXTURES
from tools.database import connect, redact_url
from tools.errors import DatabaseUnavailable, SqlExecutionError
from tools.reference_schema import TABLES_BY_NAME, create_table_sql

CASES = yaml.safe_load((FIXTURES / "database" / "urls.yaml").read_text())
LOTS = TABLES_BY_NAME["material_lots"]
T0 = dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)


@pytest.fixture(params=["duckdb", "sqlite", "postgresql", "mysql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "duckdb":
        return f"duckdb:///{tmp_path / 'p.duckdb'}"
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'p.db'}"
    fixture = "pg_url" if request.param == "postgresql" else "mysql_url"
    return str(request.getfixturevalue(fixture))


def _populate(url: str) -> None:
    with connect(url, writable=True) as db:
        db.execute(create_table_sql(LOTS, db.dialect))
        rows = [("L-1", "S-1", "PA66", T0), ("L-2", "S-1", "PA66", T0 + dt.timedelta(days=1))]
        assert db.insert_rows("material_lots", LOTS.column_names, rows) == 2


def test_round_trip_keeps_utc(url: str) -> None:
    _populate(url)
    with connect(url) as db:
        result = db.query("SELECT lot_id, received_at FROM material_lots ORDER BY lot_id")
        assert result.columns == ["lot_id", "received_at"]
        assert result.rows[0][0] == "L-1"
        received = result.rows[0][1]
        if isinstance(received, str):  # SQLite stores ISO text
            received = dt.datetime.fromisoformat(received).replace(tzinfo=dt.UTC)
        assert received == T0 and received.tzinfo is not None
        assert "material_lots" in db.table_names()
        assert [c for c, _ in db.column_names("material_lots")] == list(LOTS.column_names)


def test_read_only_connection_refuses_writes_and_stacking(url: str) -> None:
    _populate(url)
    with connect(url) as db:
        before = db.table_checksum("material_lots")
        for sql in ("DELETE FROM material_lots",
                    "UPDATE material_lots SET material = 'x'",
                    "SELECT 1; DELETE FROM material_lots",
                    "SELECT 1; COMMIT; DELETE FROM material_lots"):
            with pytest.raises(SqlExecutionError):
                db.query(sql)
        assert db.table_checksum("material_lots") == before


def test_row_cap_reports_truncation(url: str) -> None:
    _populate(url)
    with connect(url) as db:
        capped = db.query("SELECT lot_id FROM material_lots ORDER BY lot_id", max_rows=1)
        assert capped.rows == [("L-1",)] and capped.truncated
        full = db.query("SELECT lot_id FROM material_lots", max_rows=2)
        assert len(full.rows) == 2 and not full.truncated


@pytest.mark.parametrize("case", CASES["refused"], ids=lambda c: c["url"])
def test_bad_urls_are_refused_in_one_sentence(case: dict[str, str]) -> None:
    with pytest.raises(DatabaseUnavailable) as err:
        connect(case["url"])
    assert case["says"] in err.value.message
    assert "\n" not in err.value.message.strip()


@pytest.mark.parametrize("case", CASES["redacted"], ids=lambda c: c["shown"])
def test_passwords_are_redacted(case: dict[str, str]) -> None:
    assert redact_url(case["url"]) == case["shown"]


def test_postgres_statement_timeout(pg_url: str) -> None:
    connect(pg_url, writable=True).close()
    with connect(pg_url) as db, pytest.raises(SqlExecutionError, match="timeout"):
        db.query("SELECT pg_sleep(3)", timeout_s=0.3)


def test_mariadb_statement_timeout(mysql_url: str) -> None:
    connect(mysql_url, writable=True).close()
    with connect(mysql_url) as db, pytest.raises(SqlExecutionError, match="timeout"):
        db.query("SELECT SLEEP(3) FROM (SELECT 1 AS x) t", timeout_s=0.3)


def test_two_read_only_duckdb_connections_in_one_process(tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'p.duckdb'}"
    _populate(url)
    with connect(url) as first, connect(url) as second:
        assert first.query("SELECT COUNT(*) FROM material_lots").rows == [(2,)]
        assert second.query("SELECT COUNT(*) FROM material_lots").rows == [(2,)]
        with pytest.raises(SqlExecutionError):
            second.query("SET enable_external_access = true")
