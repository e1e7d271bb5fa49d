"""``backtest_spc``: an SPC monitor over a plant's whole history (tools/monitors/spc_spec.py).

The data query (compiler/spc_query.py) runs through the SQL guard like any monitor's; the
SPC engine (tools/spc) estimates each group's limits from its first ``baseline`` batches
(trial limits: subgroups beyond them left out until none is) and runs the rules; every
phase-II batch a rule flags holds, and an alert is raised where a run of them starts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

import numpy as np

from tools.database import Database
from tools.errors import AndonError, SqlExecutionError
from tools.monitors.alerts import Alert, timestamp
from tools.monitors.compiler.spc_query import COLUMNS, compile_spc_data
from tools.monitors.spc_spec import SpcMonitorSpec
from tools.spc import RuleSpec, control_chart
from tools.sql_guard import GuardPolicy, guard_sql

_Row = tuple[str, str, Any, float | None, float | None]


@dataclass(frozen=True)
class SpcGroupResult:
    """One group's alerts and, when its data could not support a chart, why."""

    alerts: list[Alert]
    note: str | None = None


def spc_alerts(spec: SpcMonitorSpec, columns: Sequence[str],
               rows: Sequence[Sequence[Any]]) -> tuple[list[Alert], list[str]]:
    """The alerts of the data query's rows, and one note per group that was left out."""
    index = {name.lower(): i for i, name in enumerate(columns)}
    missing = [c for c in COLUMNS if c not in index]
    if missing:
        raise SqlExecutionError(f"the SPC data query did not return the column {missing[0]}")
    table: list[_Row] = [(str(r[index["part_id"]]), str(r[index["unit_id"]]),
                          timestamp(r[index["t"]]), _number(r[index["v"]]),
                          _number(r[index["size"]])) for r in rows]
    alerts: list[Alert] = []
    notes: list[str] = []
    for part, group in groupby(table, key=lambda row: row[0]):
        result = _group_alerts(spec, part, list(group))
        alerts.extend(result.alerts)
        if result.note:
            notes.append(result.note)
    return alerts, notes


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _group_alerts(spec: SpcMonitorSpec, part: str, rows: list[_Row]) -> SpcGroupResult:
    units: list[tuple[str, Any]] = []
    for row in rows:
        if not units or units[-1][0] != row[1]:
            units.append((row[1], row[2]))
    if len(units) <= spec.baseline:
        return SpcGroupResult([], f"{part}: {len(units)} batches, not more than the "
                                  f"{spec.baseline} that set the limits; nothing to judge")
    rules = [RuleSpec(rule=r.rule, k=r.k) for r in spec.rules]
    values = [row[3] for row in rows]
    try:
        if spec.chart in ("xbar-r", "xbar-s"):
            result = control_chart(spec.chart, values, labels=[row[1] for row in rows],
                                   baseline=spec.baseline, iterate=True, rules=rules)
        elif spec.chart == "imr":
            result = control_chart("imr", values, baseline=spec.baseline, iterate=True,
                                   rules=rules)
        else:
            sizes = [row[4] for row in rows] if spec.chart != "c" else None
            result = control_chart(spec.chart, values, sizes=sizes, baseline=spec.baseline,
                                   iterate=True, rules=rules)
    except AndonError as exc:
        return SpcGroupResult([], f"{part}: {exc.message}")
    location = result.charts[0]
    flagged: dict[int, list[str]] = {}
    for violation in location.violations:
        for point in violation.points:
            if point > spec.baseline:
                flagged.setdefault(point, []).append(violation.rule)
    plotted = [] if location.values is None else np.atleast_1d(location.values).tolist()
    group = {"part_id": part}
    if spec.name:
        group["characteristic" if spec.chart not in ("c", "u") else "defect_code"] = spec.name
    alerts = []
    for point in sorted(flagged):
        if point - 1 in flagged:
            continue  # the episode started earlier
        unit_id, at = units[point - 1]
        value = plotted[point - 1] if point - 1 < len(plotted) else None
        alerts.append(Alert(group=dict(group), unit_id=unit_id, at=at,
                            value=None if value is None or not np.isfinite(value)
                            else float(value),
                            rules=tuple(sorted(set(flagged[point])))))
    return SpcGroupResult(alerts)


def backtest_spc_rows(spec: SpcMonitorSpec, *, db: Database, policy: GuardPolicy
                      ) -> tuple[str, list[Alert], list[str], bool]:
    """Run the data query (guarded) and judge it: the SQL as run, the alerts, the notes
    and whether the row cap cut the data."""
    compiled = compile_spc_data(spec, dialect=db.dialect)
    guarded = guard_sql(compiled.sql, dialect=db.dialect, policy=policy)
    result = db.query(guarded.sql, timeout_s=policy.timeout_s, max_rows=policy.row_cap)
    alerts, notes = spc_alerts(spec, result.columns, result.rows)
    if result.truncated:
        notes.append(f"the data stopped at the row cap ({policy.row_cap} rows): later groups "
                     "or batches were not judged; narrow the scope")
    return guarded.sql, alerts, notes, result.truncated
