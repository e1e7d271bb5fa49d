"""The independent reference evaluator: a monitor's alerts computed in plain pandas/numpy.

It implements docs/monitors.md directly and shares no code with the SQL compiler or the
reader (only the spec and alert models, the connection layer and the reference schema):
units are listed per group in order (``reference_units``), each condition's statistic is
computed per unit or pooled over the window's units (``reference_stats``), conditions are
joined, the window's rule gives ``full(u)`` and the monitor fires where ``full`` turns on.
It is the yardstick the compiled SQL is held to, so it favours plainness over speed.

    alerts = reference_alerts(spec, "duckdb:///plant.duckdb")
"""

from __future__ import annotations

import bisect
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from evals.monitors.frames import PlantFrames, load_frames
from evals.monitors.reference_stats import pooled_statistic, relative_changes
from evals.monitors.reference_units import GroupUnits, groups_of
from tools.monitors.alerts import Alert
from tools.monitors.spec import Condition, MonitorSpec, Window

COMPARATORS: dict[str, Callable[[float, float], bool]] = {
    ">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le,
    "==": operator.eq, "!=": operator.ne,
}


@dataclass(frozen=True)
class GroupTrace:
    """One group's evaluation: per condition and unit the statistic, per unit ``full(u)``,
    and the alerts."""

    group: dict[str, str]
    unit_ids: list[str]
    values: list[list[float | None]]
    full: list[bool]
    alerts: list[Alert]


def reference_alerts(spec: MonitorSpec, url: str | None = None, *,
                     frames: PlantFrames | None = None) -> list[Alert]:
    """The alerts of ``spec`` over the whole history of the plant at ``url`` (or of
    already loaded ``frames``), one per episode, sorted by group, time and unit."""
    alerts = [a for trace in reference_traces(spec, url, frames=frames) for a in trace.alerts]
    return sorted(alerts, key=lambda a: (sorted(a.group.items()), a.at, a.unit_id))


def reference_traces(spec: MonitorSpec, url: str | None = None, *,
                     frames: PlantFrames | None = None) -> list[GroupTrace]:
    """Every group's evaluation (units, values, where the rule holds, alerts)."""
    if frames is None:
        if url is None:
            raise ValueError("give a database url or loaded frames")
        frames = load_frames(url)
    return [group_trace(spec, group) for group in groups_of(spec, frames)]


def group_trace(spec: MonitorSpec, group: GroupUnits) -> GroupTrace:
    """One group's evaluation: the monitor fires where ``full`` holds and did not hold at
    the unit before (before the first unit it is clear)."""
    values = [condition_values(c, group.inputs[i], group.limits[i], group.times, spec.window)
              for i, c in enumerate(spec.conditions)]
    holds = [[_holds(c, v) for v in vs] for c, vs in zip(spec.conditions, values, strict=True)]
    per_unit = [_join(spec.join, [h[u] for h in holds]) for u in range(len(group.unit_ids))]
    full = window_rule(spec.window, per_unit)
    alerts = []
    for u, now in enumerate(full):
        before = full[u - 1] if u > 0 else False
        if now and not before:
            alerts.append(Alert(group=dict(group.group), unit_id=group.unit_ids[u],
                                at=group.times[u].to_pydatetime(), value=values[0][u]))
    return GroupTrace(group=dict(group.group), unit_ids=group.unit_ids, values=values,
                      full=full, alerts=alerts)


# Statistics computed by summing floats: two correct evaluators may round them differently.
# (min, max, range, median, counts and ratios of whole numbers come out bit-identical.)
SUMMED_STATISTICS = frozenset({"mean", "stdev", "cpk", "relative_change"})


def near_threshold_units(spec: MonitorSpec, traces: list[GroupTrace],
                         rel_tol: float = 1e-9) -> int:
    """How many (unit, condition) statistics lie on the threshold or within ``rel_tol`` of
    it, for statistics computed by summing floats (means, stdevs, Cpk, relative changes,
    incoming lot values): places where rounding differences between two correct evaluators
    could flip a comparison."""
    count = 0
    for trace in traces:
        for condition, values in zip(spec.conditions, trace.values, strict=True):
            signal = condition.signal
            if signal.statistic not in SUMMED_STATISTICS and not (
                    signal.measure == "incoming" and signal.statistic == "value"):
                continue
            limit = condition.threshold
            count += sum(1 for v in values if v is not None
                         and abs(v - limit) <= rel_tol * max(1.0, abs(limit)))
    return count


def condition_values(condition: Condition, inputs: Sequence[object], limits: object,
                     times: Sequence[pd.Timestamp], window: Window) -> list[float | None]:
    """The condition's statistic at every unit of a group: the unit's own, or pooled over
    the rolling / time window ending at the unit."""
    signal = condition.signal
    measure, statistic = signal.measure, signal.statistic
    if statistic == "relative_change":
        lots = [pooled_statistic(measure, "value", [x]) for x in inputs]
        return relative_changes(lots)
    out: list[float | None] = []
    for u in range(len(inputs)):
        span = window_span(window, u, times)
        if span is None:
            out.append(None)
        else:
            out.append(pooled_statistic(measure, statistic, list(inputs[span[0]:span[1]]),
                                        limits))  # type: ignore[arg-type]
    return out


def window_span(window: Window, u: int, times: Sequence[pd.Timestamp]) -> tuple[int, int] | None:
    """The units [start, stop) whose inputs make the statistic at unit ``u``; None where
    the statistic is NULL (a rolling window before its n-th unit)."""
    if window.kind == "rolling":
        assert window.n is not None
        return None if u + 1 < window.n else (u + 1 - window.n, u + 1)
    if window.kind == "time":
        assert window.hours is not None
        now = times[u]
        since = now - pd.Timedelta(hours=window.hours)
        # (t - hours, t]: every unit whose time lies in the span, the unit itself included
        # (and any later unit with the very same time).
        return bisect.bisect_right(times, since), bisect.bisect_right(times, now)
    return u, u + 1


def _holds(condition: Condition, value: float | None) -> bool:
    if value is None:
        return False
    return COMPARATORS[condition.comparator](value, condition.threshold)


def _join(join: str, holds: list[bool]) -> bool:
    return all(holds) if join == "and" else any(holds)


def window_rule(window: Window, per_unit: list[bool]) -> list[bool]:
    """``full(u)``: the window's rule over the per-unit (joined) conditions."""
    if window.kind == "consecutive":
        assert window.n is not None
        n = window.n
        return [u + 1 >= n and all(per_unit[u + 1 - n:u + 1]) for u in range(len(per_unit))]
    if window.kind == "k_of_n":
        assert window.n is not None and window.k is not None
        n, k = window.n, window.k
        return [u + 1 >= n and sum(per_unit[u + 1 - n:u + 1]) >= k
                for u in range(len(per_unit))]
    return list(per_unit)  # single, and pooled windows (pooling is in the statistic)
