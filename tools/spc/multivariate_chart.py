"""The T² chart as a ``ChartResult`` (phase I, phase II, iterative exclusion, frozen)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

from tools.errors import InvalidInput
from tools.spc.assemble import beyond
from tools.spc.inputs import as_multivariate, group_by_label, phase_one
from tools.spc.models import ChartOptions, ChartResult, ChartSeries, FrozenLimits
from tools.spc.multivariate import (
    T2Estimate,
    default_confidence,
    t2_estimate,
    t2_limits,
    t2_statistics,
)


def _cube(values: Any, subgroups: Any, labels: Sequence[Hashable] | None) -> np.ndarray:
    if subgroups is not None:
        if values is not None or labels is not None:
            raise InvalidInput("give either subgroups or values (with optional labels)")
        return as_multivariate(subgroups, "subgroups")
    if values is None:
        raise InvalidInput("a T² chart needs values (rows × variables) or subgroups")
    if labels is None:
        return as_multivariate(values)
    table, _ = group_by_label(values, labels)
    if table.ndim != 3 or np.isnan(table).any():
        raise InvalidInput("a T² chart needs every subgroup to hold the same number of "
                           "complete observations of two or more variables")
    return table


def _from_frozen(frozen: FrozenLimits, p: int) -> T2Estimate:
    if frozen.t2_mean is None or frozen.t2_cov is None or frozen.t2_groups is None \
            or frozen.t2_size is None:
        raise InvalidInput("the approved T² limits lack their mean vector or covariance")
    if len(frozen.t2_mean) != p:
        raise InvalidInput(f"the approved T² limits are for {len(frozen.t2_mean)} variables, "
                           f"the data have {p}")
    return T2Estimate(mean=np.asarray(frozen.t2_mean, dtype=float),
                      cov=np.asarray(frozen.t2_cov, dtype=float),
                      groups=frozen.t2_groups, size=frozen.t2_size)


def t2_chart(values: Any, subgroups: Any, labels: Sequence[Hashable] | None,
             baseline: int | None, exclude: Sequence[int], iterate: bool,
             frozen: FrozenLimits | None, opts: ChartOptions) -> ChartResult:
    cube = _cube(values, subgroups, labels)
    m, _, p = cube.shape
    if p < 2:
        raise InvalidInput("a T² chart needs two or more variables")
    phase1, excluded, use = phase_one(baseline, exclude, m, frozen is not None)
    start = use.copy()
    if frozen is not None:
        est = _from_frozen(frozen, p)
        if cube.shape[1] != est.size:
            raise InvalidInput(f"the approved T² limits are for subgroups of {est.size}, "
                               f"the data have {cube.shape[1]}")
        confidence = frozen.t2_confidence or default_confidence(p)
    else:
        confidence = opts.t2_confidence or default_confidence(p)
        est = t2_estimate(cube, use)
    for _ in range(opts.max_iterations):
        ucl, upl = t2_limits(est, p, confidence)
        stat = t2_statistics(cube, est)
        newly = (stat > ucl) & use
        if not iterate or frozen is not None or not newly.any():
            break
        use &= ~newly
        est = t2_estimate(cube, use)
    ucl, upl = t2_limits(est, p, confidence)
    stat = t2_statistics(cube, est)
    dropped = (np.flatnonzero(start & ~use) + 1).tolist()
    phase = np.arange(m) < phase1
    ucl_points = np.where(phase, ucl, upl)
    series = ChartSeries(
        name="t2", center=None, lcl=0.0, ucl=ucl if phase.all() else ucl_points,
        sigma=None, values=stat,
        violations=beyond(stat, -np.inf, ucl_points, "t2-limit",
                          "T² beyond its control limit (phase II: prediction limit)"),
        parameters={"mean": est.mean.tolist(), "cov": est.cov.tolist(),
                    "det_cov": float(np.linalg.det(est.cov)), "ucl_phase1": ucl,
                    "upl_phase2": upl, "confidence": confidence, "variables": p,
                    "groups": est.groups, "size": est.size})
    limits = frozen or FrozenLimits(
        kind="t2", constants=opts.constants, nsigmas=opts.nsigmas,
        t2_mean=est.mean.tolist(), t2_cov=est.cov.tolist(), t2_groups=est.groups,
        t2_size=est.size, t2_confidence=confidence, baseline_subgroups=phase1,
        excluded=sorted(excluded + dropped))
    notes = [f"iterative exclusion left out subgroups {dropped} from the estimate"] \
        if dropped else []
    return ChartResult(kind="t2", subgroups=m, baseline=phase1, charts=[series],
                       sizes=np.full(m, float(cube.shape[1])),
                       excluded=sorted(excluded + dropped), constants=opts.constants,
                       nsigmas=opts.nsigmas, limits=limits, notes=notes)
