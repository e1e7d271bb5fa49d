"""What every unit builder returns: the CTEs up to ``units`` and where each condition's
components live.

``units`` has one row per evaluation unit in scope: ``grp`` (the group's part or
supplier), ``unit_id``, ``t`` (the unit's time), ``e`` (the time in epoch microseconds,
only for time windows) and one column per component of each source, named
``k<source>_<component>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlglot import exp

from tools.monitors.compiler.statistics import components_needed
from tools.monitors.spec import MonitorSpec

SourceKey = tuple[str, str | None]
"""(measure, name): conditions on the same measure and name share one source."""


@dataclass
class UnitsPlan:
    """The unit-level part of the query."""

    ctes: list[exp.CTE]
    group_column: str
    """Output name of the group key: ``part_id`` or ``supplier_id``."""
    source_of_condition: list[int]
    """For each condition, the index of its source."""
    components: dict[int, set[str]] = field(default_factory=dict)
    """For each source, the components ``units`` carries."""
    measure_of_source: list[str] = field(default_factory=list)
    """For each source, its measure."""


def component_column(source: int, name: str) -> str:
    return f"k{source}_{name}"


def source_keys(spec: MonitorSpec) -> tuple[list[SourceKey], list[int]]:
    """The distinct sources of a spec's conditions, and each condition's source index."""
    keys: list[SourceKey] = []
    of_condition: list[int] = []
    for condition in spec.conditions:
        key = (condition.signal.measure, condition.signal.name)
        if key not in keys:
            keys.append(key)
        of_condition.append(keys.index(key))
    return keys, of_condition


def needed_components(spec: MonitorSpec, keys: list[SourceKey], of_condition: list[int],
                      dialect: str) -> dict[int, set[str]]:
    """For each source, the union of what its conditions' statistics read."""
    needs: dict[int, set[str]] = {i: set() for i in range(len(keys))}
    for condition, source in zip(spec.conditions, of_condition, strict=True):
        needs[source] |= components_needed(condition.signal, pooled=spec.window.pooled,
                                           dialect=dialect)
    return needs
