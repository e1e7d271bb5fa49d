"""The data of an SPC monitor: one query per monitor that returns its subgroups.

Run rules are judged on the whole series of a group against limits estimated from its
own first subgroups (tools/spc), which SQL window functions cannot express cleanly; so
the database does the selecting, joining and per-batch aggregating, and the SPC engine
the chart. Rows come ordered by group, time and batch:

- X̄-R, X̄-S: one row per measurement of the characteristic (``v`` the reading);
- I-MR: one row per batch, ``v`` the batch mean of the characteristic;
- p, np: one row per batch, ``v`` the defectives, ``size`` the quantity produced;
- c, u: one row per batch, ``v`` the defects (of one code, or all), ``size`` the
  quantity produced (u charts count defects per unit produced).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from sqlglot import exp
from sqlglot.errors import ErrorLevel

from tools.monitors.compiler.batch_units import in_scope
from tools.monitors.compiler.dialects import check_dialect
from tools.monitors.compiler.sql_parts import alias, and_all, col, number, table, text
from tools.monitors.spc_spec import SpcMonitorSpec

COLUMNS = ("part_id", "unit_id", "t", "v", "size")


class CompiledSpcData(BaseModel):
    """An SPC monitor's data query in one dialect."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    expression: exp.Expression
    sql: str
    dialect: str
    columns: tuple[str, ...] = COLUMNS
    per_measurement: bool


def compile_spc_data(spec: SpcMonitorSpec, *, dialect: str) -> CompiledSpcData:
    """The query returning an SPC monitor's subgroups (see the module docstring), over
    the canonical reference tables; the SQL guard applies a mapping and the row cap."""
    check_dialect(dialect)
    keys = [alias(col("part_id", "b"), "part_id"), alias(col("batch_id", "b"), "unit_id"),
            alias(col("started_at", "b"), "t")]
    query = exp.select(*keys).from_(table("batches", "b"))
    query, filters = in_scope(query, spec.scope)
    per_measurement = spec.chart in ("xbar-r", "xbar-s")
    grouped = spec.chart != "p" and spec.chart != "np" and not per_measurement
    if spec.chart in ("xbar-r", "xbar-s", "imr"):
        assert spec.name is not None
        query = query.join(table("measurements", "m"), on=exp.EQ(
            this=col("batch_id", "m"), expression=col("batch_id", "b")))
        query = query.join(table("characteristics", "c"), on=exp.EQ(
            this=col("characteristic_id", "c"), expression=col("characteristic_id", "m")))
        filters.append(exp.EQ(this=col("name", "c"), expression=text(spec.name)))
        value: exp.Expr = col("value", "m")
        if grouped:
            value = exp.Avg(this=value)
        query = query.select(alias(value, "v"), alias(exp.Null(), "size"))
    elif spec.chart in ("p", "np"):
        query = query.select(alias(col("qty_defective", "b"), "v"),
                             alias(col("qty_produced", "b"), "size"))
    else:
        on: exp.Expr = exp.EQ(this=col("batch_id", "d"), expression=col("batch_id", "b"))
        if spec.name:
            on = exp.and_(on, exp.EQ(this=col("defect_code", "d"), expression=text(spec.name)))
        query = query.join(table("defects", "d"), on=on, join_type="left")
        count = exp.Coalesce(this=exp.Sum(this=col("quantity", "d")), expressions=[number(0)])
        query = query.select(alias(count, "v"), alias(col("qty_produced", "b"), "size"))
    condition = and_all(filters)
    if condition is not None:
        query = query.where(condition)
    if grouped:
        query = query.group_by(col("part_id", "b"), col("batch_id", "b"),
                               col("started_at", "b"), *([col("qty_produced", "b")]
                                                         if spec.chart in ("c", "u") else []))
    order = [col("part_id", "b"), col("started_at", "b"), col("batch_id", "b")]
    if per_measurement:
        order.append(col("sample_no", "m"))
    query = query.order_by(*order)
    sql = query.sql(dialect=dialect, unsupported_level=ErrorLevel.RAISE)
    return CompiledSpcData(expression=query, sql=sql, dialect=dialect,
                           per_measurement=per_measurement)
