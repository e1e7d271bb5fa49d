"""DuckDB: the embedded default. Reads go through a read-only connection with external
access disabled, so even a query the guard let through cannot write or touch files."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
from sqlglot import exp

from tools.database.base import (
    DEFAULT_TIMEOUT_S,
    Database,
    QueryResult,
    first_line,
    to_naive_utc,
)
from tools.errors import DatabaseUnavailable, SqlExecutionError


class DuckDBDatabase(Database):
    dialect = "duckdb"
    kind = "duckdb"

    def __init__(self, url: str, path: str, *, writable: bool = False) -> None:
        super().__init__(url, writable=writable)
        self.path = path
        in_memory = path in ("", ":memory:")
        if not in_memory and not writable and not Path(path).exists():
            raise DatabaseUnavailable(f"no DuckDB database at {path}; build one with "
                                      "'andon plant build'")
        if not in_memory:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        config: dict[str, Any] = {
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        }
        if not writable and not in_memory:
            config["enable_external_access"] = False
            # Rows of a query without ORDER BY come in no promised order (as in SQL); not
            # keeping insertion order lets DuckDB aggregate and sort in parallel (~10 %).
            config["preserve_insertion_order"] = False
            config["lock_configuration"] = True  # no SET can turn external access back on
        try:
            self.conn = duckdb.connect(":memory:" if in_memory else path,
                                       read_only=not writable and not in_memory, config=config)
        except duckdb.Error as exc:
            raise DatabaseUnavailable(f"cannot open DuckDB database {path}: "
                                      f"{first_line(exc)}") from exc

    def query(self, sql: str, *, timeout_s: float = DEFAULT_TIMEOUT_S,
              max_rows: int | None = None) -> QueryResult:
        timer = threading.Timer(timeout_s, self.conn.interrupt)
        timer.start()
        try:
            cur = self.conn.execute(sql)
            if cur is None:  # a statement made only of comments
                raise SqlExecutionError("the query is empty")
            columns = [d[0] for d in cur.description or []]
            raw = cur.fetchall() if max_rows is None else cur.fetchmany(max_rows + 1)
        except duckdb.InterruptException as exc:
            raise SqlExecutionError(f"query exceeded the {timeout_s:g} s timeout") from exc
        except duckdb.Error as exc:
            raise SqlExecutionError(f"database refused the query: {first_line(exc)}") from exc
        finally:
            timer.cancel()
        return QueryResult.from_fetch(columns, raw, max_rows, sql)

    def table_names(self) -> list[str]:
        rows = self.conn.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() ORDER BY table_name").fetchall()
        return [r[0] for r in rows]

    def column_names(self, table: str) -> list[tuple[str, str]]:
        rows = self.conn.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
            [table]).fetchall()
        return [(r[0], r[1]) for r in rows]

    def execute(self, sql: str) -> None:
        self._require_writable()
        self.conn.execute(sql)

    def insert_rows(self, table: str, columns: Sequence[str],
                    rows: Iterable[Sequence[Any]]) -> int:
        self._require_writable()
        frame = pd.DataFrame([[to_naive_utc(v) for v in r] for r in rows], columns=list(columns))
        if frame.empty:
            return 0
        self.conn.register("_andon_rows", frame)
        try:
            idents = [exp.to_identifier(c, quoted=True) for c in columns]
            stmt = exp.insert(exp.select(*idents).from_("_andon_rows"),
                              exp.to_table(table), columns=idents)
            self.conn.execute(stmt.sql(dialect=self.dialect))
        finally:
            self.conn.unregister("_andon_rows")
        return len(frame)

    def close(self) -> None:
        self.conn.close()
