"""One connection layer for every plant database Andon reads, chosen by URL.

``duckdb:///path.duckdb`` (embedded default), ``postgresql://user@host:port/db``,
``mysql://user@host:port/db`` (MariaDB or MySQL) and ``sqlite:///path.db``.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tools.database.base import DEFAULT_TIMEOUT_S, Database, QueryResult
from tools.database.urls import redact_url
from tools.errors import DatabaseUnavailable

__all__ = ["DEFAULT_TIMEOUT_S", "Database", "QueryResult", "connect", "redact_url"]

_DB_NAME = re.compile(r"^[A-Za-z0-9_\-]{1,63}$")
SCHEMES = ("duckdb", "postgresql", "postgres", "mysql", "mariadb", "sqlite")


def _server_conninfo(url: str, default_port: int) -> dict[str, Any]:
    parts = urlsplit(url)
    database = unquote(parts.path.lstrip("/"))
    if not _DB_NAME.match(database):
        raise DatabaseUnavailable(
            f"database URL {redact_url(url)} must name a database, like "
            f"{parts.scheme}://user@host:{default_port}/plant")
    info: dict[str, Any] = {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or default_port,
        "user": unquote(parts.username) if parts.username else "root",
    }
    if parts.password:
        info["password"] = unquote(parts.password)
    info["database"] = database
    for key, values in parse_qs(parts.query).items():
        if key in ("sslmode", "application_name") and values:
            info[key] = values[-1]
    return info


def _file_path(url: str) -> str:
    # duckdb:///relative.duckdb -> relative.duckdb; duckdb:////abs/path -> /abs/path
    rest = url.split(":", 1)[1]
    if not rest.startswith("///") and rest not in ("//:memory:", ":memory:"):
        raise DatabaseUnavailable(f"file database URLs look like duckdb:///path/plant.duckdb, "
                                  f"not {url}")
    path = rest[3:] if rest.startswith("///") else ":memory:"
    return unquote(path) or ":memory:"


def connect(url: str, *, writable: bool = False) -> Database:
    """Open a database by URL. Read-only unless ``writable`` (the builder and ingest only)."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in SCHEMES:
        raise DatabaseUnavailable(
            f"unsupported database URL {redact_url(url)!r}; use duckdb:///, postgresql://, "
            "mysql:// or sqlite:///")
    if scheme == "duckdb":
        from tools.database.duckdb_backend import DuckDBDatabase

        return DuckDBDatabase(url, _file_path(url), writable=writable)
    if scheme == "sqlite":
        from tools.database.sqlite_backend import SQLiteDatabase

        return SQLiteDatabase(url, _file_path(url), writable=writable)
    if scheme in ("postgresql", "postgres"):
        from tools.database.postgres_backend import PostgresDatabase

        info = _server_conninfo(url, 5432)
        info["dbname"] = info.pop("database")
        return PostgresDatabase(url, info, writable=writable)
    from tools.database.mysql_backend import MySQLDatabase

    return MySQLDatabase(url, _server_conninfo(url, 3306), writable=writable)
