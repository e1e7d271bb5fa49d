"""ISO weeks (UTC) as integer arithmetic, identical in every dialect.

A week is numbered ``w`` = FLOOR((epoch_micros + 3 days) / 7 days): week 0 runs from
Monday 1969-12-29 00:00 UTC. Its Thursday is epoch day 7w; the ISO year is that Thursday's
calendar year and the ISO week number counts weeks from the Thursday's January 1. Only
the few distinct weeks of the plant go through this arithmetic.
"""

from __future__ import annotations

from sqlglot import exp

from tools.monitors.compiler.dialects import MICROS_PER_DAY, timestamp_of_day
from tools.monitors.compiler.sql_parts import (
    add,
    alias,
    as_bigint,
    as_text,
    case,
    col,
    cte,
    floor_div,
    mul,
    number,
    sub,
    table,
    text,
)

MICROS_PER_WEEK = 7 * MICROS_PER_DAY
_DAYS_PER_YEAR = 365.2425


def week_of_micros(micros: exp.Expr) -> exp.Expr:
    """The week number ``w`` of a time given in epoch microseconds (an integer value)."""
    return floor_div(add(micros, number(3 * MICROS_PER_DAY)), MICROS_PER_WEEK)


def _january_first(year: exp.Expr) -> exp.Expr:
    """Epoch day of January 1 of ``year`` (proleptic Gregorian)."""
    before = sub(year, number(1))
    days = add(mul(number(365), sub(year, number(1970))), floor_div(before, 4))
    days = sub(days, floor_div(before, 100))
    days = add(days, floor_div(before, 400))
    return sub(days, number(477))


def week_ctes(plant_weeks: str, dialect: str) -> list[exp.CTE]:
    """CTEs turning ``plant_weeks(w)`` into ``weeks(w, week_id, week_start, week_micros)``:
    the ``YYYY-Www`` label, the Monday 00:00 UTC and its epoch microseconds."""
    # An estimate of the Thursday's year, off by at most one near January 1, ...
    thursday = mul(number(7), col("w", "pw"))
    estimate = add(floor_div(thursday, _DAYS_PER_YEAR), number(1970))
    estimates = exp.select(col("w", "pw"), alias(estimate, "y0")).from_(
        table(plant_weeks, "pw"))
    # ... corrected against the January 1 of that year and of the next.
    y0, thursday = col("y0", "we"), mul(number(7), col("w", "we"))
    too_late = exp.GT(this=_january_first(y0), expression=thursday)
    too_early = exp.LTE(this=_january_first(add(y0, number(1))), expression=thursday.copy())
    year = add(sub(y0, case((too_late, number(1)), default=number(0))),
               case((too_early, number(1)), default=number(0)))
    years = exp.select(col("w", "we"), alias(year, "iso_year")).from_(
        table("week_estimates", "we"))
    iso_year, thursday = col("iso_year", "wy"), mul(number(7), col("w", "wy"))
    week_no = add(floor_div(sub(thursday, _january_first(iso_year)), 7), number(1))
    numbers = exp.select(col("w", "wy"), col("iso_year", "wy"),
                         alias(as_bigint(week_no), "week_no")).from_(table("week_years", "wy"))
    week_no, thursday = col("week_no", "wn"), mul(number(7), col("w", "wn"))
    label = exp.Concat(expressions=[
        as_text(as_bigint(col("iso_year", "wn"))), text("-W"),
        case((exp.LT(this=week_no, expression=number(10)), text("0")), default=text("")),
        as_text(week_no.copy())])
    monday = sub(thursday, number(3))
    weeks = exp.select(
        col("w", "wn"), alias(label, "week_id"),
        alias(timestamp_of_day(monday, dialect), "week_start"),
        alias(mul(as_bigint(monday.copy()), number(MICROS_PER_DAY)), "week_micros"),
    ).from_(table("week_numbers", "wn"))
    return [cte("week_estimates", estimates), cte("week_years", years),
            cte("week_numbers", numbers), cte("weeks", weeks)]
