"""From arrays to result models: limits, zones and rule violations of each chart."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from tools.spc.models import ChartOptions, ChartSeries, Violation, Zones
from tools.spc.rules import (
    DISPERSION_RULES,
    MOVING_RANGE_RULES,
    ResolvedRule,
    RuleInput,
    evaluate_rules,
    resolve_rules,
)
from tools.spc.shewhart import Series, limits

FloatArray = NDArray[np.float64]


def compact(values: float | FloatArray) -> float | FloatArray:
    """A single number where every point has the same value, else the array."""
    arr = np.asarray(values, dtype=float)
    if arr.ndim == 0:
        return float(arr)
    if arr.size and np.all(np.isfinite(arr)) and arr.max() == arr.min():
        return float(arr[0])
    return arr


def rules_for(chart: str, opts: ChartOptions) -> list[ResolvedRule]:
    """The rules applied to one chart: all selected rules on location charts; on R/S
    charts those meaningful for dispersion (1-4), on moving ranges rule 1 only, unless
    ``dispersion_rules`` names them."""
    if chart not in ("r", "s", "mr"):
        return resolve_rules(opts.rules)
    if opts.dispersion_rules != "auto":
        return resolve_rules(opts.dispersion_rules)
    keep = MOVING_RANGE_RULES if chart == "mr" else DISPERSION_RULES
    return [r for r in resolve_rules(opts.rules) if r.rule in keep]


def shewhart_chart(series: Series, opts: ChartOptions,
                   rules: Sequence[ResolvedRule]) -> ChartSeries:
    lcl, ucl = limits(series, opts.nsigmas)
    inp = RuleInput(values=series.values, center=series.center, lcl=lcl, ucl=ucl,
                    se=series.se, floor=series.floor, ceil=series.ceil, nsigmas=opts.nsigmas)
    violations = evaluate_rules(rules, inp, window_end=opts.zone_limits == "window_end")
    lower_1, upper_1 = inp.zone(opts.nsigmas / 3.0)
    lower_2, upper_2 = inp.zone(opts.nsigmas * 2.0 / 3.0)
    zones = Zones(lower_1=compact(lower_1), upper_1=compact(upper_1),
                  lower_2=compact(lower_2), upper_2=compact(upper_2))
    return ChartSeries(name=series.name, center=compact(series.center), lcl=compact(lcl),
                       ucl=compact(ucl), sigma=compact(series.sigma), violations=violations,
                       values=series.values, zones=zones)


def beyond(values: FloatArray, lcl: float | FloatArray, ucl: float | FloatArray,
           rule: str, text: str) -> list[Violation]:
    points = np.flatnonzero((values > ucl) | (values < lcl)) + 1
    if not points.size:
        return []
    return [Violation(rule=rule, points=points.tolist(), severity="violation",
                      description=text)]


def ewma_chart(z: FloatArray, stat: FloatArray, center: float, sigma: float,
               lcl: FloatArray, ucl: FloatArray, lam: float, nsigmas: float) -> ChartSeries:
    return ChartSeries(
        name="ewma", center=center, lcl=compact(lcl), ucl=compact(ucl), sigma=sigma,
        violations=beyond(z, lcl, ucl, "ewma-limits", "EWMA beyond its control limits"),
        values=z, subgroup_values=stat, parameters={"lambda": lam, "nsigmas": nsigmas})


def cusum_chart(upper: FloatArray, lower: FloatArray, stat: FloatArray, sigma: float,
                center: float, opts_h: float, shift: float, head: float) -> ChartSeries:
    violations = (beyond(upper, -np.inf, opts_h, "cusum-upper",
                         "upper cumulative sum beyond the decision interval")
                  + beyond(lower, -opts_h, np.inf, "cusum-lower",
                           "lower cumulative sum beyond the decision interval"))
    return ChartSeries(
        name="cusum", center=0.0, lcl=-opts_h, ucl=opts_h, sigma=sigma,
        violations=violations, values=upper, lower_values=lower, subgroup_values=stat,
        parameters={"decision_interval": opts_h, "shift": shift, "head_start": head,
                    "process_center": center})
