"""The connection layer's common interface: one class per database kind, chosen by URL."""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlglot import exp

from tools.errors import DatabaseUnavailable

DEFAULT_TIMEOUT_S = 30.0


@dataclass
class QueryResult:
    """Columns and rows of one read; ``truncated`` says a row cap cut the result."""

    columns: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool = False
    sql: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_fetch(cls, columns: list[str], raw: Sequence[Sequence[Any]],
                   max_rows: int | None, sql: str) -> QueryResult:
        """Rows fetched with one extra row past ``max_rows``: cut, normalized, flagged."""
        truncated = max_rows is not None and len(raw) > max_rows
        rows = [tuple(normalize_value(v) for v in r) for r in raw[:max_rows]]
        return cls(columns, rows, truncated, sql)

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def normalize_value(value: Any) -> Any:
    """Database values as plain Python: UTC-aware datetimes, floats for decimals."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)
    if isinstance(value, Decimal):
        return float(value)
    return value


def first_line(error: BaseException) -> str:
    """A driver's error message cut to its first line, for one-sentence refusals."""
    args: tuple[object, ...] = tuple(getattr(error, "args", ()))
    if len(args) > 1 and isinstance(args[-1], str):  # PyMySQL: (errno, message)
        text = args[-1].strip()
    else:
        text = str(error).strip() or type(error).__name__
    return text.splitlines()[0].strip()


def to_naive_utc(value: Any) -> Any:
    """Values to write: aware datetimes become naive UTC (the schema stores UTC)."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


class Database(abc.ABC):
    """A plant database reached by URL.

    ``query`` is the read path used by the SQL guard: it runs one statement in a read-only
    transaction (or on a read-only connection) with a statement timeout. The write methods
    are for the demo plant builder and ingest only.
    """

    dialect: str  # the sqlglot dialect name
    kind: str  # duckdb | postgresql | mysql | sqlite

    def __init__(self, url: str, *, writable: bool = False) -> None:
        self.url = url
        self.writable = writable

    # -- reading -------------------------------------------------------------------
    @abc.abstractmethod
    def query(self, sql: str, *, timeout_s: float = DEFAULT_TIMEOUT_S,
              max_rows: int | None = None) -> QueryResult:
        """Run one read-only statement; fetch at most ``max_rows`` (+1 to detect truncation)."""

    @abc.abstractmethod
    def table_names(self) -> list[str]:
        """Base tables and views in the connected schema, as the database spells them."""

    @abc.abstractmethod
    def column_names(self, table: str) -> list[tuple[str, str]]:
        """(column, declared type) pairs of a table, in table order."""

    # -- writing (builder and ingest only) -------------------------------------------
    @abc.abstractmethod
    def execute(self, sql: str) -> None:
        """Run one statement in autocommit mode; only on a writable connection."""

    @abc.abstractmethod
    def insert_rows(self, table: str, columns: Sequence[str],
                    rows: Iterable[Sequence[Any]]) -> int:
        """Bulk-insert rows; returns the count written."""

    @abc.abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- helpers -------------------------------------------------------------------
    def _require_writable(self) -> None:
        if not self.writable:
            raise DatabaseUnavailable(f"{self.kind} connection is read-only; writes are refused")

    def insert_sql(self, table: str, columns: Sequence[str], placeholder: str = "?") -> str:
        """An INSERT with one placeholder per column, identifiers rendered by sqlglot."""
        values = exp.Tuple(expressions=[exp.Placeholder() for _ in columns])
        stmt = exp.insert(exp.values([values]), exp.to_table(table),
                          columns=[exp.to_identifier(c) for c in columns])
        # sqlglot renders placeholders as ? in MySQL and SQLite; PyMySQL wants %s. The
        # identifiers come from the reference schema, so no ? occurs elsewhere.
        return stmt.sql(dialect=self.dialect).replace("?", placeholder)

    def table_checksum(self, table: str) -> tuple[int, str]:
        """Row count and an order-independent digest of a table's rows (for tamper tests)."""
        import hashlib

        result = self.query(exp.select("*").from_(exp.to_table(table)).sql(self.dialect),
                            timeout_s=120)
        digest = 0
        for row in result.rows:
            text = repr(tuple(normalize_value(v) for v in row)).encode()
            digest ^= int.from_bytes(hashlib.sha256(text).digest()[:8], "big")
        return len(result.rows), f"{digest:016x}"
