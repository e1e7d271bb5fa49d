"""MariaDB / MySQL through PyMySQL: reads in a READ ONLY transaction with a statement
timeout; multi-statement packets are never enabled."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pymysql
from sqlglot import exp

from tools.database.base import (
    DEFAULT_TIMEOUT_S,
    Database,
    QueryResult,
    first_line,
    to_naive_utc,
)
from tools.database.urls import redact_url
from tools.errors import DatabaseUnavailable, SqlExecutionError

_INSERT_CHUNK = 5000
_TIMEOUT_ERRORS = {1969, 3024}  # MariaDB max_statement_time, MySQL max_execution_time


class MySQLDatabase(Database):
    dialect = "mysql"
    kind = "mysql"

    def __init__(self, url: str, conninfo: dict[str, Any], *, writable: bool = False) -> None:
        super().__init__(url, writable=writable)
        database = conninfo.pop("database")
        base: dict[str, Any] = dict(conninfo, connect_timeout=5, charset="utf8mb4",
                                    autocommit=True, client_flag=0)
        try:
            if writable:
                with pymysql.connect(**base) as admin, admin.cursor() as cur:
                    create = exp.Create(this=exp.to_identifier(database, quoted=True),
                                        kind="DATABASE", exists=True)
                    cur.execute(create.sql(dialect="mysql") + " CHARACTER SET utf8mb4")
            self.conn = pymysql.connect(**base, database=database)
        except pymysql.Error as exc:
            raise DatabaseUnavailable(f"cannot connect to MySQL/MariaDB at {redact_url(url)}: "
                                      f"{first_line(exc)}") from exc
        self.is_mariadb = "mariadb" in self.conn.get_server_info().lower()
        with self.conn.cursor() as cur:
            cur.execute("SET SESSION time_zone = '+00:00'")

    def _set_timeout(self, cur: Any, timeout_s: float) -> None:
        if self.is_mariadb:
            cur.execute("SET SESSION max_statement_time = %s", [float(timeout_s)])
        else:
            cur.execute("SET SESSION max_execution_time = %s", [int(timeout_s * 1000)])

    def query(self, sql: str, *, timeout_s: float = DEFAULT_TIMEOUT_S,
              max_rows: int | None = None) -> QueryResult:
        try:
            with self.conn.cursor() as cur:
                self._set_timeout(cur, timeout_s)
                cur.execute("START TRANSACTION READ ONLY" if not self.writable
                            else "START TRANSACTION")
                try:
                    # args=None: PyMySQL does no %-interpolation on the statement.
                    cur.execute(sql, None)
                    columns = [d[0] for d in cur.description or []]
                    raw = list(cur.fetchall() if max_rows is None
                               else cur.fetchmany(max_rows + 1))
                finally:
                    cur.execute("ROLLBACK")
        except pymysql.err.OperationalError as exc:
            if exc.args and exc.args[0] in _TIMEOUT_ERRORS:
                raise SqlExecutionError(f"query exceeded the {timeout_s:g} s timeout") from exc
            raise SqlExecutionError(f"database refused the query: {first_line(exc)}") from exc
        except pymysql.Error as exc:
            raise SqlExecutionError(f"database refused the query: {first_line(exc)}") from exc
        return QueryResult.from_fetch(columns, raw, max_rows, sql)

    def table_names(self) -> list[str]:
        with self.conn.cursor() as cur:
            cur.execute("SELECT table_name FROM information_schema.tables "
                        "WHERE table_schema = DATABASE() ORDER BY table_name")
            return [r[0] for r in cur.fetchall()]

    def column_names(self, table: str) -> list[tuple[str, str]]:
        with self.conn.cursor() as cur:
            cur.execute("SELECT column_name, data_type FROM information_schema.columns "
                        "WHERE table_schema = DATABASE() AND table_name = %s "
                        "ORDER BY ordinal_position", [table])
            return [(r[0], r[1]) for r in cur.fetchall()]

    def execute(self, sql: str) -> None:
        self._require_writable()
        with self.conn.cursor() as cur:
            cur.execute(sql, None)

    def insert_rows(self, table: str, columns: Sequence[str],
                    rows: Iterable[Sequence[Any]]) -> int:
        self._require_writable()
        stmt = self.insert_sql(table, columns, placeholder="%s")
        count = 0
        chunk: list[list[Any]] = []
        with self.conn.cursor() as cur:
            for row in rows:
                chunk.append([to_naive_utc(v) for v in row])
                if len(chunk) >= _INSERT_CHUNK:
                    cur.executemany(stmt, chunk)
                    count += len(chunk)
                    chunk = []
            if chunk:
                cur.executemany(stmt, chunk)
                count += len(chunk)
        return count

    def close(self) -> None:
        self.conn.close()
