"""The two time primitives whose SQL differs between dialects, built as sqlglot nodes.

Everything else the compiler writes is plain arithmetic, CASE, aggregates and window
functions that sqlglot renders alike everywhere. Times are turned into integer epoch
microseconds (UTC; the schema stores naive UTC timestamps), so time windows are numeric
RANGE frames (MariaDB has no RANGE frames with INTERVAL offsets on datetimes) and ISO weeks
are integer arithmetic that every dialect computes identically.
"""

from __future__ import annotations

from sqlglot import exp

from tools.errors import InvalidInput
from tools.monitors.compiler.sql_parts import as_bigint, mul, number, sub, text

SERVER_DIALECTS = ("duckdb", "postgres", "mysql", "sqlite")
"""Dialects of the databases Andon connects to: compiled, guarded and run."""
TRANSPILE_DIALECTS = ("trino", "spark", "snowflake", "tsql")
"""Further dialects the compiled query is generated for (not run here)."""
SUPPORTED_DIALECTS = SERVER_DIALECTS + TRANSPILE_DIALECTS

_EPOCH = "1970-01-01 00:00:00"
_UNIX_EPOCH_JULIAN_DAY = 2440587.5
MICROS_PER_DAY = 86_400_000_000


def check_dialect(dialect: str) -> str:
    if dialect not in SUPPORTED_DIALECTS:
        raise InvalidInput(f"monitors compile to {', '.join(SUPPORTED_DIALECTS)}, "
                           f"not {dialect!r}", dialect=dialect)
    return dialect


def _epoch_timestamp() -> exp.Expr:
    return exp.cast(text(_EPOCH), exp.DataType.build("TIMESTAMP"))


def epoch_micros(timestamp: exp.Expr, dialect: str) -> exp.Expr:
    """Integer microseconds since 1970-01-01 00:00 UTC of a (naive UTC) timestamp.

    SQLite stores timestamps as ISO text; its value is exact to the millisecond."""
    if dialect == "duckdb":
        return exp.UnixMicros(this=timestamp)
    if dialect == "postgres":  # EXTRACT(EPOCH ...) is an exact numeric since PostgreSQL 14
        seconds = exp.Extract(this=exp.var("EPOCH"), expression=timestamp)
        return as_bigint(mul(seconds, number(1_000_000)))
    if dialect == "mysql":  # independent of the session time zone, unlike UNIX_TIMESTAMP
        return exp.TimestampDiff(this=timestamp, expression=text(_EPOCH),
                                 unit=exp.var("MICROSECOND"))
    if dialect == "sqlite":
        days = sub(exp.Anonymous(this="JULIANDAY", expressions=[timestamp]),
                   number(_UNIX_EPOCH_JULIAN_DAY))
        millis = exp.Round(this=mul(days, exp.Literal.number("86400000.0")))
        return mul(exp.cast(millis, exp.DataType.build("INTEGER")), number(1000))
    return exp.DateDiff(this=timestamp, expression=_epoch_timestamp(),
                        unit=exp.var("MICROSECOND"))


def timestamp_of_day(day: exp.Expr, dialect: str) -> exp.Expr:
    """The timestamp 00:00 UTC of an epoch day number (days since 1970-01-01)."""
    days = as_bigint(day)
    if dialect == "sqlite":
        modifier = exp.DPipe(this=days, expression=text(" days"))
        return exp.Anonymous(this="DATETIME", expressions=[text(_EPOCH), modifier])
    return exp.DateAdd(this=_epoch_timestamp(), expression=days, unit=exp.var("DAY"))
