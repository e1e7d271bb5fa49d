"""Databases of the compiler tests, one set per test worker: an empty reference schema on
DuckDB, PostgreSQL, MariaDB and SQLite that each hand-built case rewrites, and the demo
plant (two months) on DuckDB, PostgreSQL and MariaDB."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import MY_SERVER, PG_SERVER, _drop_mysql, _drop_pg, _worker_suffix
from tests.monitors.compiler.tiny_plant import CasePlant
from tools.database import Database, connect
from tools.demo_plant import build_plant

CASE_DIALECTS = ("duckdb", "postgres", "mysql", "sqlite")
SERVER_DIALECTS = ("duckdb", "postgres", "mysql")


def _server_url(dialect: str, name: str) -> str:
    return f"{PG_SERVER}/{name}" if dialect == "postgres" else f"{MY_SERVER}/{name}"


def _drop(dialect: str, name: str) -> None:
    if dialect == "postgres":
        _drop_pg(name)
    elif dialect == "mysql":
        _drop_mysql(name)


@pytest.fixture(scope="session")
def case_plants() -> Iterator[dict[str, CasePlant]]:
    """The base plant on writable connections, by dialect; each case test replaces the
    previous case's rows before it runs (tests of one worker run one after another)."""
    names = {d: f"andon_mc_{_worker_suffix()}" for d in ("postgres", "mysql")}
    urls = {"duckdb": "duckdb:///:memory:", "sqlite": "sqlite:///:memory:",
            **{d: _server_url(d, n) for d, n in names.items()}}
    dbs: dict[str, Database] = {}
    try:
        for dialect in CASE_DIALECTS:
            dbs[dialect] = connect(urls[dialect], writable=True)
        yield {dialect: CasePlant(db) for dialect, db in dbs.items()}
    finally:
        for db in dbs.values():
            db.close()
        for dialect, name in names.items():
            _drop(dialect, name)


@pytest.fixture(scope="session")
def demo_urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The demo plant (seed 7, two months) on DuckDB, PostgreSQL and MariaDB."""
    folder: Path = tmp_path_factory.mktemp("monitor_demo")
    names = {d: f"andon_md_{_worker_suffix()}" for d in ("postgres", "mysql")}
    urls = {"duckdb": f"duckdb:///{folder / 'demo.duckdb'}",
            **{d: _server_url(d, n) for d, n in names.items()}}
    try:
        for url in urls.values():
            build_plant(url, seed=7, months=2)
        yield urls
    finally:
        for dialect, name in names.items():
            _drop(dialect, name)
