"""PostgreSQL through psycopg 3: reads in a READ ONLY transaction with a statement timeout."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import psycopg
from psycopg import sql as pgsql

from tools.database.base import (
    DEFAULT_TIMEOUT_S,
    Database,
    QueryResult,
    first_line,
    to_naive_utc,
)
from tools.database.urls import redact_url
from tools.errors import DatabaseUnavailable, SqlExecutionError


def ensure_postgres_database(conninfo: dict[str, Any]) -> None:
    """Create the target database if it does not exist (the builder's convenience)."""
    admin = dict(conninfo, dbname="postgres")
    try:
        with psycopg.connect(**admin, autocommit=True, connect_timeout=5) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                  [conninfo["dbname"]]).fetchone()
            if not exists:
                conn.execute(pgsql.SQL("CREATE DATABASE {}").format(
                    pgsql.Identifier(conninfo["dbname"])))
    except psycopg.Error as exc:
        raise DatabaseUnavailable(f"cannot reach PostgreSQL: {first_line(exc)}") from exc


class PostgresDatabase(Database):
    dialect = "postgres"
    kind = "postgresql"

    def __init__(self, url: str, conninfo: dict[str, Any], *, writable: bool = False) -> None:
        super().__init__(url, writable=writable)
        if writable:
            ensure_postgres_database(conninfo)
        try:
            self.conn = psycopg.connect(**conninfo, connect_timeout=5, autocommit=writable)
        except psycopg.Error as exc:
            raise DatabaseUnavailable(f"cannot connect to PostgreSQL at {redact_url(url)}: "
                                      f"{first_line(exc)}") from exc
        if not writable:
            self.conn.read_only = True

    def query(self, sql: str, *, timeout_s: float = DEFAULT_TIMEOUT_S,
              max_rows: int | None = None) -> QueryResult:
        try:
            with self.conn.transaction(force_rollback=True), self.conn.cursor() as cur:
                if not self.writable:
                    cur.execute("SET TRANSACTION READ ONLY")
                cur.execute(pgsql.SQL("SET LOCAL statement_timeout = {}").format(
                    pgsql.Literal(int(timeout_s * 1000))))
                # prepare=True: the extended protocol, which refuses more than one statement.
                cur.execute(sql.encode(), prepare=True)
                columns = [d.name for d in cur.description or []]
                raw = cur.fetchall() if max_rows is None else cur.fetchmany(max_rows + 1)
        except psycopg.errors.QueryCanceled as exc:
            raise SqlExecutionError(f"query exceeded the {timeout_s:g} s timeout") from exc
        except psycopg.Error as exc:
            raise SqlExecutionError(f"database refused the query: {first_line(exc)}") from exc
        return QueryResult.from_fetch(columns, raw, max_rows, sql)

    def _meta(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        with self.conn.transaction(force_rollback=True), self.conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()

    def table_names(self) -> list[str]:
        rows = self._meta("SELECT table_name FROM information_schema.tables "
                          "WHERE table_schema = current_schema() ORDER BY table_name", [])
        return [r[0] for r in rows]

    def column_names(self, table: str) -> list[tuple[str, str]]:
        rows = self._meta("SELECT column_name, data_type FROM information_schema.columns "
                          "WHERE table_schema = current_schema() AND table_name = %s "
                          "ORDER BY ordinal_position", [table])
        return [(r[0], r[1]) for r in rows]

    def execute(self, sql: str) -> None:
        self._require_writable()
        self.conn.execute(sql.encode())

    def insert_rows(self, table: str, columns: Sequence[str],
                    rows: Iterable[Sequence[Any]]) -> int:
        self._require_writable()
        copy = pgsql.SQL("COPY {} ({}) FROM STDIN").format(
            pgsql.Identifier(table), pgsql.SQL(", ").join(pgsql.Identifier(c) for c in columns))
        count = 0
        with self.conn.cursor() as cur, cur.copy(copy) as cp:
            for row in rows:
                cp.write_row([to_naive_utc(v) for v in row])
                count += 1
        return count

    def close(self) -> None:
        self.conn.close()
