"""Batch units: every batch in scope, for characteristic, batch, defect-code and parameter
signals.

Each signal's rows are aggregated once per batch in its own CTE, filtered to the
characteristic, parameter or defect code (and to the parts in scope) before grouping;
``units`` then joins those per-batch rows onto the batches in scope by ``batch_id``.
A characteristic group exists for each part that has the characteristic: its count is 0
on a batch without samples and NULL on parts without the characteristic.
"""

from __future__ import annotations

from sqlglot import exp

from tools.monitors.compiler.characteristic_source import (
    LIMITS,
    SAMPLES,
    characteristic_ctes,
    join_condition,
)
from tools.monitors.compiler.dialects import epoch_micros
from tools.monitors.compiler.sql_parts import (
    alias,
    and_all,
    case,
    col,
    cte,
    is_in,
    number,
    table,
    text,
)
from tools.monitors.compiler.units import (
    SourceKey,
    UnitsPlan,
    component_column,
    needed_components,
    source_keys,
)
from tools.monitors.spec import MonitorSpec, Scope


def _part_filter(scope: Scope, part: exp.Expr) -> list[exp.Expr]:
    """Filters on a part id column from the part-level scope (ids and families)."""
    filters: list[exp.Expr] = []
    if scope.part_ids:
        filters.append(is_in(part.copy(), scope.part_ids))
    if scope.families:
        family_parts = exp.select(col("part_id", "fp")).from_(table("parts", "fp")).where(
            is_in(col("family", "fp"), scope.families))
        filters.append(exp.In(this=part.copy(), query=exp.Subquery(this=family_parts)))
    return filters


def _per_batch_cte(index: int, key: SourceKey) -> exp.CTE:
    measure, name = key
    assert name is not None
    if measure == "parameter":
        query = exp.select(col("batch_id", "pp"), alias(exp.Avg(this=col("value", "pp")), "v")
                           ).from_(table("process_parameters", "pp")).where(
            exp.EQ(this=col("name", "pp"), expression=text(name))).group_by(
            col("batch_id", "pp"))
        return cte(f"par{index}", query)
    query = exp.select(col("batch_id", "d"), alias(exp.Sum(this=col("quantity", "d")), "q")
                       ).from_(table("defects", "d")).where(
        exp.EQ(this=col("defect_code", "d"), expression=text(name))).group_by(
        col("batch_id", "d"))
    return cte(f"dfc{index}", query)


def _on_batch(alias_name: str) -> exp.Expr:
    return exp.EQ(this=col("batch_id", alias_name), expression=col("batch_id", "b"))


def in_scope(query: exp.Select, scope: Scope) -> tuple[exp.Select, list[exp.Expr]]:
    """The joins the batch-level scope filters need, and the filters themselves."""
    filters = _part_filter(scope, col("part_id", "b"))
    for column, values in (("line_id", scope.line_ids), ("machine_id", scope.machine_ids),
                           ("tool_id", scope.tool_ids), ("shift", scope.shifts)):
        if values:
            filters.append(is_in(col(column, "b"), values))
    if scope.processes:
        query = query.join(table("lines", "l"), on=exp.EQ(
            this=col("line_id", "l"), expression=col("line_id", "b")))
        filters.append(is_in(col("process", "l"), scope.processes))
    if scope.supplier_ids or scope.materials:
        query = query.join(table("material_lots", "ml"), on=exp.EQ(
            this=col("lot_id", "ml"), expression=col("material_lot_id", "b")))
        if scope.supplier_ids:
            filters.append(is_in(col("supplier_id", "ml"), scope.supplier_ids))
        if scope.materials:
            filters.append(is_in(col("material", "ml"), scope.materials))
    return query, filters


def _join_characteristic(query: exp.Select, index: int, name: str, components: set[str], *,
                         inner: bool, by_name: bool) -> exp.Select:
    """Join a characteristic's limits (by part) and samples (by batch) onto the batches;
    ``inner`` leaves out the batches of parts without the characteristic."""
    limits, samples = f"lim{index}", f"agg{index}"
    query = query.join(table(LIMITS, limits), join_type="inner" if inner else "left",
                       on=join_condition(limits, "part_id", col("part_id", "b"), name,
                                         by_name))
    query = query.join(table(SAMPLES, samples), join_type="left",
                       on=join_condition(samples, "batch_id", col("batch_id", "b"), name,
                                         by_name))
    for component in sorted(components):
        value: exp.Expr
        if component == "n":  # 0 without samples; NULL for parts without the characteristic
            count = exp.Coalesce(this=col("n", samples), expressions=[number(0)])
            value = count if inner else case((exp.Not(this=exp.Is(
                this=col("part_id", limits), expression=exp.Null())), count))
        elif component in ("lsl", "usl"):
            value = col(component, limits)
        else:
            value = col(component, samples)
        query = query.select(alias(value, component_column(index, component)))
    return query


def batch_units(spec: MonitorSpec, dialect: str, *, with_epoch: bool) -> UnitsPlan:
    """The ``units`` CTE (and the per-batch CTEs it joins) for a batch-unit spec."""
    keys, of_condition = source_keys(spec)
    needs = needed_components(spec, keys, of_condition, dialect)
    ctes: list[exp.CTE] = []
    query = exp.select(alias(col("part_id", "b"), "grp"), alias(col("batch_id", "b"), "unit_id"),
                       alias(col("started_at", "b"), "t")).from_(table("batches", "b"))
    if with_epoch:
        query = query.select(alias(epoch_micros(col("started_at", "b"), dialect), "e"))
    query, filters = in_scope(query, spec.scope)
    names = [name for measure, name in keys if measure == "characteristic" and name]
    if names:  # one scan of the measurements for every characteristic named
        read = set().union(*(needs[i] for i, k in enumerate(keys) if k[0] == "characteristic"))
        ctes += characteristic_ctes(names, read, _part_filter(spec.scope, col("part_id", "c")))
    for index, (measure, name) in enumerate(keys):
        components = needs[index]
        if measure == "characteristic":
            assert name is not None
            # With AND (or one source) a part without the characteristic never fires.
            inner = spec.join == "and" or len(keys) == 1
            query = _join_characteristic(query, index, name, components, inner=inner,
                                         by_name=len(names) > 1)
        elif measure == "batch":
            for component in sorted(components):
                column = "qty_defective" if component == "qd" else "qty_produced"
                query = query.select(alias(col(column, "b"), component_column(index, component)))
        else:
            per_batch = _per_batch_cte(index, (measure, name))
            ctes.append(per_batch)
            query = query.join(table(per_batch.alias), on=_on_batch(per_batch.alias),
                               join_type="left")
            value = (exp.Coalesce(this=col("q", per_batch.alias), expressions=[number(0)])
                     if measure == "defect_code" else col("v", per_batch.alias))
            query = query.select(alias(value, component_column(index, sorted(components)[0])))
    where = and_all(filters)
    if where is not None:
        query = query.where(where)
    ctes.append(cte("units", query))
    return UnitsPlan(ctes=ctes, group_column="part_id", source_of_condition=of_condition,
                     components=needs, measure_of_source=[k[0] for k in keys])
