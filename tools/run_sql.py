"""The ``run_sql`` tool: one read-only SELECT over the plant database, through the SQL guard."""

from __future__ import annotations

import base64
import datetime as dt
import math
import uuid
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from tools.database import Database
from tools.sql_guard import DEFAULT_ROLE, GuardPolicy, guard_sql


class RunSqlArgs(BaseModel):
    """Arguments of ``run_sql``."""

    query: str = Field(description="Exactly one SELECT (WITH ... SELECT, UNION of SELECTs) "
                                   "over the reference schema tables, in the database's dialect.")
    role: str = Field(default=DEFAULT_ROLE,
                      description="Access role: engineer, supplier_quality or viewer.")
    max_rows: int | None = Field(default=None, ge=1,
                                 description="Return at most this many rows (never more than "
                                             "the role's row cap).")


class SqlResult(BaseModel):
    """The result of ``run_sql``; the shape of ``andon sql --json``."""

    sql: str = Field(description="The query as run: re-rendered by the guard, row cap applied.")
    columns: list[str]
    rows: list[list[Any]] = Field(description="Rows as JSON values; timestamps are ISO 8601 "
                                              "UTC strings ending in Z.")
    truncated: bool = Field(description="True when the row cap cut the result.")


def json_value(value: Any) -> Any:
    """One database value as a JSON value (ISO 8601 UTC timestamps with Z, seconds for
    durations, None for NaN and infinities, hex for bytes)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return json_value(float(value))
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return aware.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b16encode(bytes(value)).decode("ascii").lower()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    return str(value)


def run_sql(args: RunSqlArgs, *, db: Database, policy: GuardPolicy | None = None) -> SqlResult:
    """Run ONE read-only SQL query on the plant database and return its rows.

    Use this to answer data questions about the plant: batches, measurements, defects,
    suppliers, lots, inspections, complaints, maintenance and engineering changes. Write a
    single SELECT (CTEs, joins, GROUP BY, window functions and UNION are fine) using only the
    reference schema's table and column names, unqualified (``batches``, not
    ``public.batches``), in the SQL dialect of the database. Writes, DDL, SET/COPY/ATTACH,
    system catalogs, file access and functions with side effects are refused, and so is any
    table or column the role may not see; ``SELECT *`` only returns the visible columns.

    At most ``max_rows`` rows (and never more than the role's row cap) come back; an outer
    LIMIT is added or lowered to enforce it and ``truncated`` is true when rows were cut, so
    aggregate in SQL rather than fetching raw rows. ``sql`` is the statement actually run.
    Raises ``SqlRejected`` (a one-sentence reason and ``details["rule"]``) for a refused
    query and ``SqlExecutionError`` if the database fails or the timeout is reached.
    """
    base = policy or GuardPolicy.for_role(args.role)
    effective = base.narrowed_to_role(args.role).with_row_cap(args.max_rows)
    guarded = guard_sql(args.query, dialect=db.dialect, policy=effective)
    result = db.query(guarded.sql, timeout_s=effective.timeout_s, max_rows=effective.row_cap)
    return SqlResult(sql=guarded.sql, columns=list(result.columns),
                     rows=[[json_value(v) for v in row] for row in result.rows],
                     truncated=result.truncated)
