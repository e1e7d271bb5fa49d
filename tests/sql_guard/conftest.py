"""Fixtures of the SQL guard tests: one handmade reference plant per engine and worker,
built once (reads only), and fresh ones for tests that need to prove nothing changed."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pymysql
import pytest
from psycopg import sql as pgsql

from tests.conftest import MY_SERVER, PG_SERVER
from tests.sql_guard.plant_fixture import build_plant
from tools.database import Database, connect


def _unique_name() -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"andon_guard_{worker}_{uuid.uuid4().hex[:6]}"


def _drop_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    if url.startswith("postgresql"):
        with psycopg.connect(dbname="postgres", user="root", host="127.0.0.1",
                             autocommit=True) as conn:
            conn.execute(pgsql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                pgsql.Identifier(name)))
    elif url.startswith("mysql"):
        with pymysql.connect(host="127.0.0.1", user="root", autocommit=True) as conn, \
                conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")


@pytest.fixture(scope="session")
def plant_urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """URLs of the handmade plant on DuckDB, PostgreSQL and MariaDB, by sqlglot dialect.

    Shared by every read-only test of a worker; nothing may write to them."""
    duck = tmp_path_factory.mktemp("guard_plant") / "plant.duckdb"
    urls = {"duckdb": f"duckdb:///{duck}", "postgres": f"{PG_SERVER}/{_unique_name()}",
            "mysql": f"{MY_SERVER}/{_unique_name()}"}
    try:
        for url in urls.values():
            build_plant(url)
        yield urls
    finally:
        for url in urls.values():
            _drop_database(url)


@pytest.fixture(scope="session")
def plant_dbs(plant_urls: dict[str, str]) -> Iterator[dict[str, Database]]:
    """Read-only connections to the shared handmade plants, by sqlglot dialect."""
    dbs = {dialect: connect(url) for dialect, url in plant_urls.items()}
    yield dbs
    for db in dbs.values():
        db.close()


@pytest.fixture
def fresh_plant_url(any_server_url: str) -> str:
    """A handmade plant of its own on one engine (DuckDB, PostgreSQL, MariaDB)."""
    build_plant(any_server_url)
    return any_server_url


@pytest.fixture
def duckdb_path(tmp_path: Path) -> Path:
    return tmp_path / "plant.duckdb"
