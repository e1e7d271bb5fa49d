"""The demo plants the evaluation runs on: one DuckDB file, and the same plant (same seed and
months) in PostgreSQL and MariaDB for the cross-dialect proof. Built when missing, reused
when already there with the same row counts."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from sqlglot import exp

from tools.database import connect, redact_url
from tools.demo_plant import build_plant
from tools.errors import AndonError

DEFAULT_SERVERS = {"postgresql": "postgresql://root@127.0.0.1:5432",
                   "mysql": "mysql://root@127.0.0.1:3306"}
DIALECTS = ("duckdb", "postgresql", "mysql")
FINGERPRINT_TABLES = ("batches", "measurements", "incoming_inspections", "complaints")


def default_duckdb_url(seed: int, months: int) -> str:
    path = Path(tempfile.gettempdir()) / "andon-evals" / f"plant-s{seed}-m{months}.duckdb"
    return f"duckdb:///{path}"


def server_url(server: str, seed: int, months: int) -> str:
    return f"{server.rstrip('/')}/andon_evals_s{seed}_m{months}"


def row_counts(url: str) -> dict[str, int] | None:
    """Row counts of a few reference tables, or None if the plant is not there."""
    try:
        with connect(url) as db:
            counts = {}
            for table in FINGERPRINT_TABLES:
                query = exp.select(exp.Count(this=exp.Star())).from_(exp.to_table(table))
                counts[table] = int(db.query(query.sql(dialect=db.dialect)).rows[0][0])
            return counts
    except AndonError:
        return None


def ensure_plant(url: str, *, seed: int = 7, months: int = 6, rebuild: bool = False,
                 expected_counts: dict[str, int] | None = None,
                 say: Callable[[str], None] = print) -> dict[str, int]:
    """Make sure the demo plant is at ``url`` and return its fingerprint row counts.

    A plant already there is reused unless ``rebuild`` is set or its row counts differ from
    ``expected_counts`` (the same plant built elsewhere)."""
    counts = None if rebuild else row_counts(url)
    if counts and all(counts.values()) and (expected_counts is None
                                            or counts == expected_counts):
        say(f"reusing the demo plant at {redact_url(url)}")
        return counts
    say(f"building the demo plant (seed {seed}, {months} months) at {redact_url(url)}")
    if url.startswith("duckdb:///"):
        Path(url.removeprefix("duckdb:///")).parent.mkdir(parents=True, exist_ok=True)
    build_plant(url, seed=seed, months=months, replace=True)
    built = row_counts(url)
    if built is None:
        raise RuntimeError(f"the demo plant at {redact_url(url)} cannot be read after "
                           "building it")
    return built


def plant_urls(dialects: list[str], *, duckdb_url: str | None, seed: int, months: int,
               servers: dict[str, str] | None = None) -> dict[str, str]:
    """The database URL of each dialect to evaluate on (DuckDB always first)."""
    servers = {**DEFAULT_SERVERS, **(servers or {})}
    urls = {"duckdb": duckdb_url or default_duckdb_url(seed, months)}
    for dialect in dialects:
        if dialect == "duckdb":
            continue
        if dialect not in servers:
            raise ValueError(f"unknown dialect {dialect!r}; use {', '.join(DIALECTS)}")
        urls[dialect] = server_url(servers[dialect], seed, months)
    return urls
