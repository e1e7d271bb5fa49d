"""SQLite: reads on a connection opened read-only (``mode=ro``) with ``query_only`` set and a
progress-handler timeout. Timestamps are stored as ISO-8601 UTC text."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from tools.database.base import (
    DEFAULT_TIMEOUT_S,
    Database,
    QueryResult,
    first_line,
    to_naive_utc,
)
from tools.errors import DatabaseUnavailable, SqlExecutionError


def _adapt(value: Any) -> Any:
    value = to_naive_utc(value)
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat(sep=" ")
    return value


class SQLiteDatabase(Database):
    dialect = "sqlite"
    kind = "sqlite"

    def __init__(self, url: str, path: str, *, writable: bool = False) -> None:
        super().__init__(url, writable=writable)
        self.path = path
        in_memory = path in ("", ":memory:")
        try:
            if in_memory:
                self.conn = sqlite3.connect(":memory:", check_same_thread=False)
            elif writable:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                self.conn = sqlite3.connect(path, check_same_thread=False)
            else:
                if not Path(path).exists():
                    raise DatabaseUnavailable(f"no SQLite database at {path}")
                self.conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True,
                                            check_same_thread=False)
                self.conn.execute("PRAGMA query_only = ON")
        except sqlite3.Error as exc:
            raise DatabaseUnavailable(f"cannot open SQLite database {path}: "
                                      f"{first_line(exc)}") from exc
        self.conn.isolation_level = None

    def query(self, sql: str, *, timeout_s: float = DEFAULT_TIMEOUT_S,
              max_rows: int | None = None) -> QueryResult:
        deadline = time.monotonic() + timeout_s
        self.conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        try:
            # execute() (not executescript) refuses more than one statement.
            cur = self.conn.execute(sql)
            columns = [d[0] for d in cur.description or []]
            raw = cur.fetchall() if max_rows is None else cur.fetchmany(max_rows + 1)
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise SqlExecutionError(f"query exceeded the {timeout_s:g} s timeout") from exc
            raise SqlExecutionError(f"database refused the query: {first_line(exc)}") from exc
        except sqlite3.Error as exc:
            raise SqlExecutionError(f"database refused the query: {first_line(exc)}") from exc
        finally:
            self.conn.set_progress_handler(None, 0)
        return QueryResult.from_fetch(columns, raw, max_rows, sql)

    def table_names(self) -> list[str]:
        rows = self.conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table','view') "
                                 "AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall()
        return [r[0] for r in rows]

    def column_names(self, table: str) -> list[tuple[str, str]]:
        rows = self.conn.execute("SELECT name, type FROM pragma_table_info(?)", [table]).fetchall()
        return [(r[0], r[1]) for r in rows]

    def execute(self, sql: str) -> None:
        self._require_writable()
        self.conn.execute(sql)

    def insert_rows(self, table: str, columns: Sequence[str],
                    rows: Iterable[Sequence[Any]]) -> int:
        self._require_writable()
        stmt = self.insert_sql(table, columns, placeholder="?")
        data = [[_adapt(v) for v in row] for row in rows]
        self.conn.execute("BEGIN")
        self.conn.executemany(stmt, data)
        self.conn.execute("COMMIT")
        return len(data)

    def close(self) -> None:
        self.conn.close()
