"""Comparing a produced monitor with the expected one: field by field, and by alerts.

Fields (each True/False per case):

- ``scope``: every filter equal as a set;
- ``measure``, ``statistic``, ``name``, ``comparator``, ``threshold`` (relative tolerance
  1e-9): per condition, conditions matched in a canonical order (a reader that lists
  ``A and B`` as ``B and A`` reads the same monitor); False for all when the number of
  conditions differs;
- ``window``: kind, n, k and hours equal;
- ``actions``: the same multiset of (kind, role, channel, evidence); titles are free text
  and not compared;
- ``join``: equal (only compared when there are several conditions).

Alerts are compared as sets keyed by group and unit (``Alert.key``).
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel

from tools.monitors.alerts import Alert
from tools.monitors.spec import Action, Condition, MonitorSpec

FIELDS = ("scope", "measure", "statistic", "name", "comparator", "threshold", "window",
          "actions", "join")
THRESHOLD_REL_TOL = 1e-9
AlertKey = tuple[tuple[tuple[str, str], ...], str]


class FieldDiff(BaseModel):
    """One field that differs: what was expected and what was produced."""

    field: str
    expected: Any
    produced: Any


class AlertDiff(BaseModel):
    """Alerts only the expected monitor raised (missing) and only the produced one raised
    (extra), as ``{group, unit_id, at}`` records."""

    missing: list[dict[str, Any]] = []
    extra: list[dict[str, Any]] = []

    @property
    def equal(self) -> bool:
        return not self.missing and not self.extra


def _scope_sets(spec: MonitorSpec) -> dict[str, list[str]]:
    data = spec.scope.model_dump()
    return {k: sorted(v) for k, v in data.items() if v}


def _condition_key(condition: Condition) -> tuple[str, str, str, str, float]:
    s = condition.signal
    return (s.measure, s.statistic, s.name or "", condition.comparator, condition.threshold)


def _action_key(action: Action) -> tuple[str, str, str, str]:
    evidence = "" if action.evidence is None else \
        f"{action.evidence.records}/{action.evidence.of}/{action.evidence.last}"
    return (action.kind, (action.role or "").casefold(), (action.channel or "").casefold(),
            evidence)


def thresholds_equal(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=THRESHOLD_REL_TOL, abs_tol=1e-12)


def _condition_fields(expected: MonitorSpec, produced: MonitorSpec) -> dict[str, bool]:
    if len(expected.conditions) != len(produced.conditions):
        return dict.fromkeys(("measure", "statistic", "name", "comparator", "threshold"),
                             False)
    pairs = list(zip(sorted(expected.conditions, key=_condition_key),
                     sorted(produced.conditions, key=_condition_key), strict=True))
    return {
        "measure": all(e.signal.measure == p.signal.measure for e, p in pairs),
        "statistic": all(e.signal.statistic == p.signal.statistic for e, p in pairs),
        "name": all((e.signal.name or None) == (p.signal.name or None) for e, p in pairs),
        "comparator": all(e.comparator == p.comparator for e, p in pairs),
        "threshold": all(thresholds_equal(e.threshold, p.threshold) for e, p in pairs),
    }


def field_matches(expected: MonitorSpec, produced: MonitorSpec) -> dict[str, bool]:
    """Per field of ``FIELDS``: does the produced monitor equal the expected one?"""
    out = {"scope": _scope_sets(expected) == _scope_sets(produced)}
    out.update(_condition_fields(expected, produced))
    out["window"] = expected.window == produced.window
    out["actions"] = sorted(map(_action_key, expected.actions)) == \
        sorted(map(_action_key, produced.actions))
    out["join"] = len(expected.conditions) < 2 or expected.join == produced.join
    return out


def _condition_view(spec: MonitorSpec) -> list[str]:
    return [f"{c.signal.measure}.{c.signal.statistic}"
            f"{'(' + c.signal.name + ')' if c.signal.name else ''} {c.comparator} "
            f"{c.threshold:g}" for c in spec.conditions]


def field_diffs(expected: MonitorSpec, produced: MonitorSpec) -> list[FieldDiff]:
    """The fields that differ, with both values in a readable form."""
    matches = field_matches(expected, produced)
    views = {
        "scope": (_scope_sets(expected), _scope_sets(produced)),
        "window": (expected.window.model_dump(exclude_none=True),
                   produced.window.model_dump(exclude_none=True)),
        "actions": ([a.model_dump(exclude_none=True) for a in expected.actions],
                    [a.model_dump(exclude_none=True) for a in produced.actions]),
        "join": (expected.join, produced.join),
    }
    diffs = []
    condition_shown = False
    for name in FIELDS:
        if matches[name]:
            continue
        if name in views:
            diffs.append(FieldDiff(field=name, expected=views[name][0],
                                   produced=views[name][1]))
        elif not condition_shown:
            condition_shown = True
            wrong = [n for n in ("measure", "statistic", "name", "comparator", "threshold")
                     if not matches[n]]
            diffs.append(FieldDiff(field="conditions (" + ", ".join(wrong) + ")",
                                   expected=_condition_view(expected),
                                   produced=_condition_view(produced)))
    return diffs


def _record(alert: Alert) -> dict[str, Any]:
    return {"group": alert.group, "unit_id": alert.unit_id, "at": alert.at.isoformat(),
            "value": alert.value}


def alert_diff(expected: list[Alert], produced: list[Alert]) -> AlertDiff:
    """Missing and extra alerts, keyed by group and unit."""
    want = {a.key(): a for a in expected}
    got = {a.key(): a for a in produced}
    return AlertDiff(missing=[_record(want[k]) for k in sorted(want.keys() - got.keys())],
                     extra=[_record(got[k]) for k in sorted(got.keys() - want.keys())])


def alerts_identical(a: list[Alert], b: list[Alert], *, rel_tol: float = 1e-6) -> bool:
    """Same keys, same times, values equal within ``rel_tol`` (both None, or close)."""
    left = {x.key(): x for x in a}
    right = {x.key(): x for x in b}
    if left.keys() != right.keys():
        return False
    for key, x in left.items():
        y = right[key]
        if x.at != y.at:
            return False
        if (x.value is None) != (y.value is None):
            return False
        if x.value is not None and y.value is not None and \
                not math.isclose(x.value, y.value, rel_tol=rel_tol, abs_tol=1e-9):
            return False
    return True
