"""``control_chart``: data in, phase I / phase II, limits, run rules, one result out."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tools.errors import InvalidInput
from tools.spc import assemble
from tools.spc.inputs import (
    as_sizes,
    as_subgroups,
    as_values,
    group_by_label,
    phase_one,
)
from tools.spc.models import CHART_KINDS, ChartOptions, ChartResult, FrozenLimits
from tools.spc.multivariate_chart import t2_chart
from tools.spc.shewhart import (
    ATTRIBUTE_KINDS,
    VARIABLE_KINDS,
    Data,
    Estimate,
    build,
    check_attribute_data,
    estimate,
    limits,
    subgroup_data,
)
from tools.spc.timeweighted import cusum_sums, ewma_limits, ewma_smooth

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
_ALIASES = {"i-mr": "imr", "xmr": "imr", "x-mr": "imr", "individuals": "imr",
            "xbar-r": "xbar-r", "xbarr": "xbar-r", "xbar-s": "xbar-s", "xbars": "xbar-s",
            "hotelling": "t2", "t²": "t2", "t-2": "t2"}


def normalize_kind(kind: str) -> str:
    key = str(kind).strip().lower().replace("_", "-").replace(" ", "-").replace("x̄", "xbar")
    key = _ALIASES.get(key, key)
    if key not in CHART_KINDS:
        raise InvalidInput(f"unknown chart kind {kind!r}: use one of {', '.join(CHART_KINDS)}",
                           kind=str(kind))
    return key


def chart_options(options: ChartOptions | None, overrides: dict[str, Any]) -> ChartOptions:
    base = options.model_dump() if options is not None else {}
    try:
        return ChartOptions.model_validate({**base, **overrides})
    except ValueError as exc:
        raise InvalidInput(f"invalid chart option: {exc}") from None


def control_chart(kind: str, values: Any = None, *, subgroups: Any = None,
                  labels: Sequence[Hashable] | None = None, sizes: Any = None,
                  baseline: int | None = None, exclude: Sequence[int] = (),
                  iterate: bool = False, limits: FrozenLimits | None = None,
                  options: ChartOptions | None = None, **overrides: Any) -> ChartResult:
    """Compute a control chart; see docs/spc.md for every argument and convention."""
    key = normalize_kind(kind)
    opts = chart_options(options, overrides)
    if limits is not None:
        if limits.kind != key:
            raise InvalidInput(f"these approved limits are for a {limits.kind} chart, not "
                               f"{key}")
        if baseline not in (None, 0) or exclude or iterate:
            raise InvalidInput("with approved limits every subgroup is new (phase II): "
                               "baseline, exclude and iterate do not apply")
        opts = opts.model_copy(update={"nsigmas": limits.nsigmas,
                                       "constants": limits.constants})
    if key == "t2":
        return t2_chart(values, subgroups, labels, baseline, exclude, iterate, limits, opts)
    data, moving_range = _prepare(key, values, subgroups, labels, sizes)
    m = data.stat.size
    phase1, excluded, use = phase_one(baseline, exclude, m, limits is not None)
    if key in ("ewma", "cusum"):
        if iterate:
            raise InvalidInput("iterative exclusion applies to Shewhart and T² charts; "
                               "exclude subgroups by number for EWMA and CUSUM")
        return _timeweighted(key, data, use, phase1, excluded, limits, opts)
    est, dropped = _fit(key, data, moving_range, use, iterate, limits, opts)
    charts = [assemble.shewhart_chart(s, opts, assemble.rules_for(s.name, opts))
              for s in build(key, data, est, opts.constants, moving_range)]
    frozen = limits or _frozen(key, est, opts, phase1, sorted(excluded + dropped))
    return ChartResult(kind=key, subgroups=m, baseline=phase1, charts=charts, sizes=data.sizes,  # type: ignore[arg-type]
                       excluded=sorted(excluded + dropped), constants=opts.constants,
                       nsigmas=opts.nsigmas, limits=frozen, notes=_notes(data, opts, dropped))


def _prepare(kind: str, values: Any, subgroups: Any, labels: Sequence[Hashable] | None,
             sizes: Any) -> tuple[Data, FloatArray | None]:
    if kind in ATTRIBUTE_KINDS:
        if subgroups is not None or labels is not None:
            raise InvalidInput(f"a {kind} chart takes one count per subgroup (values) and "
                               "sizes, not subgroups of measurements")
        counts = as_values(values, "counts")
        n = as_sizes(1.0 if sizes is None and kind == "c" else sizes, counts.size)
        check_attribute_data(kind, counts, n)
        return Data(sizes=n, stat=counts), None
    if labels is not None:
        if subgroups is not None:
            raise InvalidInput("give either subgroups or values with subgroup labels")
        table, _ = group_by_label(as_values(values), labels)
    elif subgroups is not None:
        table = as_subgroups(subgroups)
    elif kind in VARIABLE_KINDS:
        raise InvalidInput(f"an {kind} chart needs subgroups (or values with subgroup "
                           "labels)")
    else:
        x = as_values(values)
        return Data(sizes=np.ones(x.size), stat=x), _moving_range(x)
    data = subgroup_data(table)
    if kind == "imr":
        if (data.sizes > 1).any():
            raise InvalidInput("an individuals chart takes one value per subgroup; use "
                               "xbar-r or xbar-s for subgroups")
        return Data(sizes=data.sizes, stat=data.stat), _moving_range(data.stat)
    return data, None


def _moving_range(x: FloatArray) -> FloatArray:
    return np.concatenate(([np.nan], np.abs(np.diff(x))))


def _fit(kind: str, data: Data, moving_range: FloatArray | None, use: BoolArray,
         iterate: bool, frozen: FrozenLimits | None,
         opts: ChartOptions) -> tuple[Estimate, list[int]]:
    """Phase-I estimate; with ``iterate``, drop phase-I points beyond the limits of the
    location chart (and of the R / S chart) and re-estimate until none is left."""
    if frozen is not None:
        if frozen.center is None or frozen.sigma is None or (
                kind in (*VARIABLE_KINDS, "imr") and frozen.dispersion_center is None):
            raise InvalidInput("the approved limits lack their centre or sigma")
        return Estimate(frozen.center, frozen.sigma, frozen.dispersion_center,
                        frozen.sigma_method), []
    use = use.copy()
    start = use.copy()
    for _ in range(opts.max_iterations):
        est = estimate(kind, data, use, opts.sigma_method, opts.constants)
        if not iterate:
            break
        out = np.zeros(use.size, dtype=bool)
        for series in build(kind, data, est, opts.constants, moving_range):
            if series.name == "mr":
                continue
            lcl, ucl = limits(series, opts.nsigmas)
            out |= (series.values > ucl) | (series.values < lcl)
        newly = out & use
        if not newly.any():
            break
        use &= ~newly
    else:
        est = estimate(kind, data, use, opts.sigma_method, opts.constants)
    dropped = (np.flatnonzero(start & ~use) + 1).tolist()
    return est, dropped


def _timeweighted(kind: str, data: Data, use: BoolArray, phase1: int, excluded: list[int],
                  frozen: FrozenLimits | None, opts: ChartOptions) -> ChartResult:
    grouped = data.ranges is not None and bool((data.sizes > 1).any())
    base = "xbar-r" if grouped else "imr"
    if frozen is not None:
        if frozen.center is None or frozen.sigma is None:
            raise InvalidInput("the approved limits lack their centre or sigma")
        est = Estimate(frozen.center, frozen.sigma, frozen.dispersion_center,
                       frozen.sigma_method)
    else:
        est = estimate(base, data, use, opts.sigma_method, opts.constants)
    if kind == "ewma":
        lam = frozen.ewma_lambda if frozen and frozen.ewma_lambda else opts.ewma_lambda
        z = ewma_smooth(data.stat, lam, est.center)
        lcl, ucl, _ = ewma_limits(data.sizes, est.center, est.sigma, lam, opts.nsigmas)
        chart = assemble.ewma_chart(z, data.stat, est.center, est.sigma, lcl, ucl, lam,
                                    opts.nsigmas)
        opts = opts.model_copy(update={"ewma_lambda": lam})
    else:
        if frozen is not None and frozen.cusum_decision_interval is not None:
            opts = opts.model_copy(update={
                "cusum_decision_interval": frozen.cusum_decision_interval,
                "cusum_shift": frozen.cusum_shift, "cusum_head_start": frozen.cusum_head_start})
        upper, lower = cusum_sums(data.stat, data.sizes, est.center, est.sigma,
                                  opts.cusum_shift, opts.cusum_head_start)
        chart = assemble.cusum_chart(upper, lower, data.stat, est.sigma, est.center,
                                     opts.cusum_decision_interval, opts.cusum_shift,
                                     opts.cusum_head_start)
    limits_ = frozen or _frozen(kind, est, opts, phase1, excluded)
    return ChartResult(kind=kind, subgroups=data.stat.size, baseline=phase1,  # type: ignore[arg-type]
                       charts=[chart], sizes=data.sizes, excluded=excluded,
                       constants=opts.constants, nsigmas=opts.nsigmas, limits=limits_,
                       notes=_notes(data, opts, []))


def _frozen(kind: str, est: Estimate, opts: ChartOptions, phase1: int,
            excluded: list[int]) -> FrozenLimits:
    extra: dict[str, Any] = {}
    if kind == "ewma":
        extra = {"ewma_lambda": opts.ewma_lambda}
    elif kind == "cusum":
        extra = {"cusum_decision_interval": opts.cusum_decision_interval,
                 "cusum_shift": opts.cusum_shift, "cusum_head_start": opts.cusum_head_start}
    return FrozenLimits(kind=kind, constants=opts.constants, nsigmas=opts.nsigmas,  # type: ignore[arg-type]
                        center=est.center, sigma=est.sigma,
                        dispersion_center=est.dispersion_center,
                        sigma_method=est.sigma_method, baseline_subgroups=phase1,
                        excluded=excluded, **extra)


def _notes(data: Data, opts: ChartOptions, dropped: list[int]) -> list[str]:
    notes: list[str] = []
    if data.ranges is not None and opts.constants == "qcc" and (data.sizes > 25).any():
        notes.append("subgroups larger than 25 are beyond qcc's d2 table: exact d2 used "
                     "there (and sigma is estimated by RMSDF unless a method is given)")
    if dropped:
        notes.append(f"iterative exclusion left out subgroups {dropped} from the estimate")
    return notes
