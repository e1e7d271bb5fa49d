"""Andon's SPC engine: control charts, run rules and capability that match qcc.

Public API (docs/spc.md):

- ``control_chart(kind, values | subgroups | labels, sizes=..., baseline=..., exclude=...,
  iterate=..., limits=..., rules=..., ...) -> ChartResult``
- ``capability(values | subgroups, lsl=..., usl=..., target=...) -> CapabilityResult``
- ``FrozenLimits`` (approve and reuse phase-I limits), ``ChartOptions``, ``RuleSpec``
- ``chart_constants(n, constants="qcc" | "exact")``, ``d2``, ``d3``, ``c4``
- ``oc_xbar``, ``overdispersion_test``, ``normality_check``, ``point_codes``
"""

from tools.spc.capability import CapabilityOptions, capability, normality_check
from tools.spc.charts import control_chart, normalize_kind
from tools.spc.constants import ChartConstants, c4, chart_constants, d2, d3
from tools.spc.diagnostics import OcPoint, OverdispersionTest, oc_xbar, overdispersion_test
from tools.spc.inputs import group_by_label
from tools.spc.models import (
    CHART_KINDS,
    CapabilityResult,
    ChartOptions,
    ChartResult,
    ChartSeries,
    FrozenLimits,
    NormalityCheck,
    RuleSpec,
    Violation,
    Zones,
)
from tools.spc.rules import RULE_SETS, RULES, point_codes, resolve_rules

__all__ = [
    "CHART_KINDS",
    "RULES",
    "RULE_SETS",
    "CapabilityOptions",
    "CapabilityResult",
    "ChartConstants",
    "ChartOptions",
    "ChartResult",
    "ChartSeries",
    "FrozenLimits",
    "NormalityCheck",
    "OcPoint",
    "OverdispersionTest",
    "RuleSpec",
    "Violation",
    "Zones",
    "c4",
    "capability",
    "chart_constants",
    "control_chart",
    "d2",
    "d3",
    "group_by_label",
    "normality_check",
    "normalize_kind",
    "oc_xbar",
    "overdispersion_test",
    "point_codes",
    "resolve_rules",
]
