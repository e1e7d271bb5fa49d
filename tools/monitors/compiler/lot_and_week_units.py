"""Lot units (incoming inspections, per supplier) and week units (complaints, per part).

A lot is a unit when it has at least one inspection of a condition's characteristic (any
inspection for an unnamed pass rate); its time is the earliest of those inspections.
Complaint weeks are the ISO weeks (UTC) in which the plant started at least one batch,
for every part in scope; a week without complaints counts 0.
"""

from __future__ import annotations

from sqlglot import exp

from tools.monitors.compiler.dialects import epoch_micros
from tools.monitors.compiler.sql_parts import (
    alias,
    and_all,
    as_bigint,
    col,
    cte,
    flag,
    is_in,
    number,
    table,
    text,
)
from tools.monitors.compiler.units import (
    UnitsPlan,
    component_column,
    needed_components,
    source_keys,
)
from tools.monitors.compiler.weeks import week_ctes, week_of_micros
from tools.monitors.spec import MonitorSpec


def _inspections(index: int, name: str | None) -> exp.CTE:
    """Per lot: earliest inspection, mean value, passes and inspections (of one item)."""
    query = exp.select(
        col("lot_id", "i"), alias(exp.Min(this=col("inspected_at", "i")), "t"),
        alias(exp.Avg(this=col("value", "i")), "v"),
        alias(exp.Sum(this=flag(exp.EQ(this=col("result", "i"), expression=text("pass")))),
              "np"),
        alias(exp.Count(this=exp.Star()), "ni"),
    ).from_(table("incoming_inspections", "i")).group_by(col("lot_id", "i"))
    if name is not None:
        query = query.where(exp.EQ(this=col("characteristic", "i"), expression=text(name)))
    return cte(f"inc{index}", query)


def lot_units(spec: MonitorSpec, dialect: str, *, with_epoch: bool) -> UnitsPlan:
    """The ``units`` CTE for an incoming-inspection spec."""
    keys, of_condition = source_keys(spec)
    needs = needed_components(spec, keys, of_condition, dialect)
    ctes = [_inspections(index, name) for index, (_, name) in enumerate(keys)]
    if len(keys) == 1:
        driver = "inc0"
    else:  # the lot's time over every inspection a condition reads
        driver = "lot_times"
        names = [name for _, name in keys]
        times = exp.select(col("lot_id", "i"),
                           alias(exp.Min(this=col("inspected_at", "i")), "t")).from_(
            table("incoming_inspections", "i")).group_by(col("lot_id", "i"))
        if None not in names:
            times = times.where(is_in(col("characteristic", "i"),
                                      [n for n in names if n is not None]))
        ctes.append(cte(driver, times))
    query = exp.select(
        alias(col("supplier_id", "ml"), "grp"), alias(col("lot_id", "ml"), "unit_id"),
        alias(col("t", driver), "t"),
    ).from_(table(driver)).join(table("material_lots", "ml"), on=exp.EQ(
        this=col("lot_id", "ml"), expression=col("lot_id", driver)))
    if with_epoch:
        query = query.select(alias(epoch_micros(col("t", driver), dialect), "e"))
    for index in range(len(keys)):
        source = f"inc{index}"
        if source != driver:
            query = query.join(table(source), on=exp.EQ(
                this=col("lot_id", source), expression=col("lot_id", driver)), join_type="left")
        for name in sorted(needs[index]):
            query = query.select(alias(col(name, source), component_column(index, name)))
    filters = []
    if spec.scope.supplier_ids:
        filters.append(is_in(col("supplier_id", "ml"), spec.scope.supplier_ids))
    if spec.scope.materials:
        filters.append(is_in(col("material", "ml"), spec.scope.materials))
    where = and_all(filters)
    if where is not None:
        query = query.where(where)
    ctes.append(cte("units", query))
    return UnitsPlan(ctes=ctes, group_column="supplier_id", source_of_condition=of_condition,
                     components=needs, measure_of_source=[k[0] for k in keys])


def _week(timestamp: exp.Expr, dialect: str) -> exp.Expr:
    return as_bigint(week_of_micros(epoch_micros(timestamp, dialect)))


def week_units(spec: MonitorSpec, dialect: str, *, with_epoch: bool) -> UnitsPlan:
    """The ``units`` CTE for a complaints spec: parts in scope x plant weeks."""
    _, of_condition = source_keys(spec)
    scope = spec.scope
    plant_weeks = exp.select(alias(_week(col("started_at", "b"), dialect), "w")).distinct(
    ).from_(table("batches", "b"))
    complaint_rows = exp.select(col("part_id", "c"),
                                alias(_week(col("received_at", "c"), dialect), "w")).from_(
        table("complaints", "c"))
    complaint_weeks = exp.select(
        col("part_id", "cr"), col("w", "cr"), alias(exp.Count(this=exp.Star()), "n"),
    ).from_(exp.Subquery(this=complaint_rows, alias=exp.TableAlias(
        this=exp.to_identifier("cr")))).group_by(col("part_id", "cr"), col("w", "cr"))
    filters: list[exp.Expr] = []
    if scope.part_ids:
        filters.append(is_in(col("part_id", "p"), scope.part_ids))
    if scope.families:
        filters.append(is_in(col("family", "p"), scope.families))
    if scope.processes:
        process_parts = exp.select(col("part_id", "pb")).from_(table("batches", "pb")).join(
            table("lines", "pl"), on=exp.EQ(this=col("line_id", "pl"),
                                            expression=col("line_id", "pb"))).where(
            is_in(col("process", "pl"), scope.processes))
        filters.append(exp.In(this=col("part_id", "p"),
                              query=exp.Subquery(this=process_parts)))
    parts = exp.select(col("part_id", "p")).from_(table("parts", "p"))
    where = and_all(filters)
    if where is not None:
        parts = parts.where(where)
    query = exp.select(
        alias(col("part_id", "sp"), "grp"), alias(col("week_id", "wk"), "unit_id"),
        alias(col("week_start", "wk"), "t"),
    ).from_(table("scope_parts", "sp")).join(table("weeks", "wk"), join_type="cross").join(
        table("complaint_weeks", "cw"), join_type="left", on=exp.and_(
            exp.EQ(this=col("part_id", "cw"), expression=col("part_id", "sp")),
            exp.EQ(this=col("w", "cw"), expression=col("w", "wk"))))
    if with_epoch:
        query = query.select(alias(col("week_micros", "wk"), "e"))
    count = exp.Coalesce(this=col("n", "cw"), expressions=[number(0)])
    query = query.select(alias(count, component_column(0, "count")))
    ctes = [cte("plant_weeks", plant_weeks), *week_ctes("plant_weeks", dialect),
            cte("complaint_weeks", complaint_weeks), cte("scope_parts", parts),
            cte("units", query)]
    return UnitsPlan(ctes=ctes, group_column="part_id", source_of_condition=of_condition,
                     components={0: {"count"}}, measure_of_source=["complaints"])
