"""The evidence queries: one row per unit (batch or incoming lot) with the statistic and the
columns a claim groups by, and the grouping query over it. Built as sqlglot trees over
the reference schema; values enter as literals, never as SQL text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlglot import exp

from tools.monitors.compiler.sql_parts import col, is_in, text
from tools.rca.data import in_period, stamp
from tools.rca.models import ProblemSpec

BATCH_ATTRS = ("machine_id", "tool_id", "material_lot_id", "shift", "operator_id")


@dataclass
class UnitSource:
    """What the unit query covers: one part (or a material's lots) over a time span."""

    spec: ProblemSpec
    part_ids: list[str]
    material: str | None
    since: dt.datetime
    until: dt.datetime
    characteristic_ids: list[str] = field(default_factory=list)
    parameters: dict[str, str] = field(default_factory=dict)  # name -> alias
    variables: dict[str, str] = field(default_factory=dict)  # characteristic -> alias

    @property
    def rate(self) -> bool:
        return self.spec.measure in ("defect_code", "defect_rate")


def _stat(source: UnitSource) -> exp.Expr:
    value = col("value", "m")
    if source.spec.statistic == "stdev":
        return exp.func("STDDEV_SAMP", value)
    if source.spec.statistic == "range":
        return exp.Sub(this=exp.func("MAX", value), expression=exp.func("MIN", value.copy()))
    return exp.func("AVG", value)


def _pivot(table: str, alias: str, names: dict[str, str], name_col: exp.Expr,
           join: tuple[str, str] | None = None,
           where: exp.Expr | None = None) -> exp.Select:
    """One row per batch with one column per name: AVG(CASE WHEN name = ... THEN value)."""
    columns: list[exp.Expr] = [col("batch_id", alias)]
    for name, column_alias in names.items():
        case = exp.Case().when(exp.EQ(this=name_col.copy(), expression=text(name)),
                               col("value", alias))
        columns.append(exp.func("AVG", case).as_(column_alias))
    query = exp.select(*columns).from_(exp.to_table(table).as_(alias))
    if join is not None:
        query = query.join(exp.to_table(join[0]).as_("c"), on=join[1])
    if where is not None:
        query = query.where(where)
    return query.group_by(col("batch_id", alias))


def unit_query(source: UnitSource) -> exp.Select:
    """One row per unit: ``unit_id``, ``started_at``, the grouping columns, ``stat`` (or
    ``found`` and ``produced`` for rates) and the parameter / variable columns."""
    spec = source.spec
    if spec.measure == "incoming_inspection":
        conditions = [exp.EQ(this=col("characteristic", "ii"), expression=text(spec.target)),
                      exp.Not(this=exp.Is(this=col("value", "ii"), expression=exp.Null())),
                      in_period(col("inspected_at", "ii"), source.since, source.until)]
        if source.material:
            conditions.append(exp.EQ(this=col("material", "ml"),
                                     expression=text(source.material)))
        return (exp.select(col("lot_id", "ii").as_("unit_id"),
                           col("inspected_at", "ii").as_("started_at"),
                           col("supplier_id", "ml"), col("value", "ii").as_("stat"))
                .from_(exp.to_table("incoming_inspections").as_("ii"))
                .join(exp.to_table("material_lots").as_("ml"), on="ml.lot_id = ii.lot_id")
                .where(exp.and_(*[c for c in conditions if c is not None])))
    columns: list[exp.Expr] = [col("batch_id", "b").as_("unit_id"), col("started_at", "b")]
    columns += [col(a, "b") for a in BATCH_ATTRS]
    columns.append(col("supplier_id", "ml"))
    query = exp.select(*columns).from_(exp.to_table("batches").as_("b")).join(
        exp.to_table("material_lots").as_("ml"), on="ml.lot_id = b.material_lot_id",
        join_type="left")
    if spec.measure == "characteristic":
        stat = (exp.select(col("batch_id", "m"), _stat(source).as_("stat"))
                .from_(exp.to_table("measurements").as_("m"))
                .where(is_in(col("characteristic_id", "m"), source.characteristic_ids))
                .group_by(col("batch_id", "m")))
        query = query.join(stat.subquery("st"), on="st.batch_id = b.batch_id")
        query = query.select(col("stat", "st"))
    elif spec.measure == "defect_code":
        counts = (exp.select(col("batch_id", "d"),
                             exp.func("SUM", col("quantity", "d")).as_("found"))
                  .from_(exp.to_table("defects").as_("d"))
                  .where(exp.EQ(this=col("defect_code", "d"), expression=text(spec.target)))
                  .group_by(col("batch_id", "d")))
        query = query.join(counts.subquery("st"), on="st.batch_id = b.batch_id",
                           join_type="left")
        query = query.select(exp.func("COALESCE", col("found", "st"),
                                      exp.Literal.number(0)).as_("found"),
                             col("qty_produced", "b").as_("produced"))
    else:
        query = query.select(col("qty_defective", "b").as_("found"),
                             col("qty_produced", "b").as_("produced"))
    if source.parameters:
        pivot = _pivot("process_parameters", "pp", source.parameters, col("name", "pp"))
        query = query.join(pivot.subquery("pv"), on="pv.batch_id = b.batch_id",
                           join_type="left")
        query = query.select(*[col(a, "pv") for a in source.parameters.values()])
    if source.variables:
        pivot = _pivot("measurements", "m", source.variables, col("name", "c"),
                       join=("characteristics", "c.characteristic_id = m.characteristic_id"),
                       where=is_in(col("part_id", "c"), source.part_ids))
        query = query.join(pivot.subquery("mv"), on="mv.batch_id = b.batch_id",
                           join_type="left")
        query = query.select(*[col(a, "mv") for a in source.variables.values()])
    conditions = [is_in(col("part_id", "b"), source.part_ids),
                  in_period(col("started_at", "b"), source.since, source.until)]
    return query.where(exp.and_(*[c for c in conditions if c is not None]))


def statistic_of_group(source: UnitSource) -> exp.Expr:
    """The statistic of a group of units: the mean of the per-unit statistic, or for rates
    the pooled percentage ``100 * defects / produced``."""
    if source.rate:
        return exp.Div(this=exp.Mul(this=exp.Literal.number("100.0"),
                                    expression=exp.func("SUM", col("found", "u"))),
                       expression=exp.func("NULLIF", exp.func("SUM", col("produced", "u")),
                                           exp.Literal.number(0)))
    return exp.func("AVG", col("stat", "u"))


def labelled(cases: Sequence[tuple[exp.Expr, str]], default: str) -> exp.Expr:
    """CASE WHEN cond THEN 'label' ... ELSE 'default' END."""
    case = exp.Case()
    for condition, label in cases:
        case = case.when(condition, text(label))
    return case.else_(text(default))


def group_query(source: UnitSource, label: exp.Expr,
                extra: Sequence[tuple[exp.Expr, str]] = ()) -> exp.Select:
    """Units, the statistic and any extra aggregates per label, in label order."""
    columns: list[exp.Expr] = [label.as_("grp"), exp.func("COUNT", exp.Star()).as_("units"),
                               statistic_of_group(source).as_("value")]
    columns += [expression.as_(name) for expression, name in extra]
    return (exp.select(*columns).from_(unit_query(source).subquery("u"))
            .group_by(exp.column("grp")).order_by(exp.column("grp")))


def crosstab_query(source: UnitSource, first: exp.Expr, second: exp.Expr,
                   names: tuple[str, str]) -> exp.Select:
    """How often two conditions hold together: units per (first, second) pair."""
    return (exp.select(labelled([(first, "yes")], "no").as_(names[0]),
                       labelled([(second, "yes")], "no").as_(names[1]),
                       exp.func("COUNT", exp.Star()).as_("units"))
            .from_(unit_query(source).subquery("u"))
            .group_by(exp.column(names[0]), exp.column(names[1]))
            .order_by(exp.column(names[0]), exp.column(names[1])))


def u(name: str) -> exp.Column:
    return col(name, "u")


def between(start: dt.datetime, end: dt.datetime) -> exp.Expr:
    """started_at within [start, end] (end inclusive: the last unit of a period)."""
    return exp.and_(exp.GTE(this=u("started_at"), expression=stamp(start)),
                    exp.LTE(this=u("started_at"), expression=stamp(end)))
