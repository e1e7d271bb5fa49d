"""``backtest``: run a monitor over the whole history of a plant database, through the SQL
guard, and return one alert per episode."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from pydantic import Field

from tools.database import Database
from tools.errors import SqlExecutionError
from tools.monitors.alerts import Alert, BacktestResult, timestamp
from tools.monitors.compiler import CompiledMonitor, compile_monitor
from tools.monitors.spc_backtest import backtest_spc_rows
from tools.monitors.spc_spec import SpcMonitorSpec
from tools.monitors.spec import MonitorSpec
from tools.sql_guard import MAX_ROW_CAP, GuardPolicy, guard_sql

BACKTEST_ROLE = "engineer"


class BacktestOutcome(BacktestResult):
    """A backtest's result; ``truncated`` says the guard's row cap cut the alert list."""

    truncated: bool = Field(default=False, description="true when there were more alerts "
                            "than the row cap allowed; the list then holds the first ones")
    row_cap: int = Field(description="the most alerts the guarded query could return")
    notes: list[str] = Field(default_factory=list, description="what the backtest could "
                             "not judge (SPC monitors: groups without enough batches)")


def default_policy() -> GuardPolicy:
    """The guard policy of a backtest: the engineer role with the largest row cap."""
    return GuardPolicy.for_role(BACKTEST_ROLE, row_cap=MAX_ROW_CAP)


def _value(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def alerts_from_rows(compiled: CompiledMonitor, columns: Sequence[str],
                     rows: Sequence[Sequence[Any]]) -> list[Alert]:
    """Rows of a compiled monitor's query as alerts (group keys, unit id, time, value)."""
    index = {name.lower(): i for i, name in enumerate(columns)}
    missing = [c for c in compiled.columns if c not in index]
    if missing:
        raise SqlExecutionError(f"the monitor query did not return the column {missing[0]}")
    alerts = []
    for row in rows:
        group = {key: str(row[index[key]]) for key in compiled.group_columns}
        alerts.append(Alert(group=group, unit_id=str(row[index["unit_id"]]),
                            at=timestamp(row[index["at"]]),
                            value=_value(row[index["value"]])))
    return alerts


def backtest(spec: MonitorSpec | SpcMonitorSpec, *, db: Database,
             policy: GuardPolicy | None = None, request: str = "",
             understood: str = "") -> BacktestOutcome:
    """Run a monitor over the plant's whole history and return one alert per episode.

    The spec is compiled into one query for the database's dialect, checked and
    re-rendered by the SQL guard (which also applies a table mapping, if the policy has
    one, and the row cap) and run read-only. ``sql`` is the query as run. Alerts come
    ordered by group, time and unit. With more alerts than the policy's row cap, the
    first ones come back and ``truncated`` is true.
    An SPC monitor runs its data query the same way and is judged by the SPC engine
    (spc_backtest.py); with more rows than the row cap, ``truncated`` is true and the notes
    say so.
    Raises ``SqlRejected`` if the guard refuses the query and ``SqlExecutionError`` if the
    database fails or the timeout passes.
    """
    policy = policy or default_policy()
    if isinstance(spec, SpcMonitorSpec):
        sql, alerts, notes, truncated = backtest_spc_rows(spec, db=db, policy=policy)
        return BacktestOutcome(request=request, understood=understood, spec=spec, sql=sql,
                               alerts=alerts, truncated=truncated, row_cap=policy.row_cap,
                               notes=notes)
    compiled = compile_monitor(spec, dialect=db.dialect)
    guarded = guard_sql(compiled.sql, dialect=db.dialect, policy=policy)
    result = db.query(guarded.sql, timeout_s=policy.timeout_s, max_rows=policy.row_cap)
    alerts = alerts_from_rows(compiled, result.columns, result.rows)
    # The query orders by group, time and unit already; sorting again here makes the order
    # independent of the database's text collation.
    alerts.sort(key=lambda a: (tuple(a.group.values()), a.at, a.unit_id))
    return BacktestOutcome(request=request, understood=understood, spec=spec,
                           sql=guarded.sql, alerts=alerts, truncated=result.truncated,
                           row_cap=policy.row_cap)
