"""Shared fixtures: real PostgreSQL and MariaDB databases, the shared reference data."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pymysql
import pytest

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("ANDON_SHARED_DATA", REPO.parent / "shared" / "data"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"

PG_SERVER = os.environ.get("ANDON_TEST_PG", "postgresql://root@127.0.0.1:5432")
MY_SERVER = os.environ.get("ANDON_TEST_MYSQL", "mysql://root@127.0.0.1:3306")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``; tests that need it skip with a reason where it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared reference data not found at {SHARED_DATA}")
    return SHARED_DATA


def _worker_suffix() -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"{worker}_{uuid.uuid4().hex[:6]}"


def _drop_pg(name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(dbname="postgres", user="root", host="127.0.0.1",
                         autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))


def _drop_mysql(name: str) -> None:
    with pymysql.connect(host="127.0.0.1", user="root", autocommit=True) as conn, \
            conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS `{name}`")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """URL of a fresh, empty PostgreSQL database (created on first writable connect)."""
    name = f"andon_t_{_worker_suffix()}"
    yield f"{PG_SERVER}/{name}"
    _drop_pg(name)


@pytest.fixture
def mysql_url() -> Iterator[str]:
    """URL of a fresh, empty MariaDB database (created on first writable connect)."""
    name = f"andon_t_{_worker_suffix()}"
    yield f"{MY_SERVER}/{name}"
    _drop_mysql(name)


@pytest.fixture(params=["duckdb", "postgresql", "mysql"])
def any_server_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The same check on DuckDB, PostgreSQL and MariaDB over real connections."""
    if request.param == "duckdb":
        yield f"duckdb:///{tmp_path / 'plant.duckdb'}"
    elif request.param == "postgresql":
        name = f"andon_t_{_worker_suffix()}"
        yield f"{PG_SERVER}/{name}"
        _drop_pg(name)
    else:
        name = f"andon_t_{_worker_suffix()}"
        yield f"{MY_SERVER}/{name}"
        _drop_mysql(name)
