"""``compile_monitor``: a ``MonitorSpec`` as one SQL query that returns its alerts."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ErrorLevel

from tools.errors import InvalidInput
from tools.monitors.compiler.batch_units import batch_units
from tools.monitors.compiler.dialects import check_dialect
from tools.monitors.compiler.firing import alert_query
from tools.monitors.compiler.lot_and_week_units import lot_units, week_units
from tools.monitors.compiler.spc_query import compile_spc_data
from tools.monitors.compiler.sql_parts import number
from tools.monitors.compiler.units import UnitsPlan
from tools.monitors.spc_spec import SpcMonitorSpec
from tools.monitors.spec import MonitorSpec


class CompiledMonitor(BaseModel):
    """A monitor compiled for one dialect: the sqlglot tree, its SQL and its columns."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    expression: exp.Expression = Field(description="the query as a sqlglot tree over the "
                                       "canonical reference tables")
    sql: str = Field(description="the query rendered in the dialect")
    dialect: str
    columns: tuple[str, ...] = Field(description="output columns: the group keys, then "
                                     "unit_id, at, value")
    group_columns: tuple[str, ...] = Field(description="the output columns that form an "
                                           "alert's group")


def _check(spec: MonitorSpec) -> None:
    for condition in spec.conditions:
        number(condition.threshold)  # refuses NaN and infinities
        if spec.window.pooled and condition.signal.statistic == "median":
            raise InvalidInput("a median cannot be pooled over a rolling or time window")


def _natural_null_order(query: exp.Expression, dialect: str) -> None:
    """Order NULLs where the dialect puts them anyway, so no NULLS FIRST/LAST is written
    (MySQL has neither; the ordering keys are never NULL)."""
    nulls_first = Dialect.get_or_raise(dialect).NULL_ORDERING == "nulls_are_small"
    for ordered in query.find_all(exp.Ordered):
        ordered.set("nulls_first", nulls_first)


def compile_monitor(spec: MonitorSpec | SpcMonitorSpec, *, dialect: str) -> CompiledMonitor:
    """Compile a monitor into ONE query in ``dialect`` (duckdb, postgres, mysql, sqlite;
    also trino, spark, snowflake, tsql) that returns exactly its alerts, one row per
    episode, ordered by group, time and unit: the group keys (``part_id`` or
    ``supplier_id``, and ``characteristic`` / ``parameter`` / ``defect_code`` when every
    condition names the same one), ``unit_id``, ``at`` and ``value`` (the first
    condition's statistic at that unit). The semantics are docs/monitors.md.

    The query reads the canonical reference tables; a table mapping and the row cap are
    applied by the SQL guard. Spec values enter the tree only as literals.

    An SPC monitor compiles to its data query (spc_query.py: columns ``part_id``,
    ``unit_id``, ``t``, ``v``, ``size``), which the SPC engine judges after it runs.
    """
    check_dialect(dialect)
    if isinstance(spec, SpcMonitorSpec):
        data = compile_spc_data(spec, dialect=dialect)
        return CompiledMonitor(expression=data.expression, sql=data.sql, dialect=dialect,
                               columns=data.columns, group_columns=("part_id",))
    _check(spec)
    builders = {"batch": batch_units, "lot": lot_units, "week": week_units}
    plan: UnitsPlan = builders[spec.evaluation_unit](
        spec, dialect, with_epoch=spec.window.kind == "time")
    query, columns = alert_query(spec, plan, dialect)
    _natural_null_order(query, dialect)
    groups = columns[:-3]
    # Anything the dialect cannot express is a compiler bug: fail loudly, never warn.
    sql = query.sql(dialect=dialect, unsupported_level=ErrorLevel.RAISE)
    return CompiledMonitor(expression=query, sql=sql, dialect=dialect, columns=columns,
                           group_columns=groups)
