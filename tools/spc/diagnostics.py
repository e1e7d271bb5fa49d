"""Chart diagnostics: the X̄ chart's operating characteristic and qcc's overdispersion
test for count data."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from pydantic import BaseModel
from scipy import stats

from tools.errors import InsufficientData, InvalidInput
from tools.spc.inputs import as_sizes, as_values


class OcPoint(BaseModel):
    """Probability of not signalling (beta) on the first subgroup after a mean shift of
    ``shift`` process standard deviations, and the average run length 1/(1-beta)."""

    shift: float
    n: int
    nsigmas: float
    beta: float
    arl: float


def oc_xbar(shift: float, n: int, nsigmas: float = 3.0) -> OcPoint:
    """beta = Φ(L - δ√n) - Φ(-L - δ√n) for an X̄ chart with L-sigma limits (qcc's
    ``ocCurves`` for type "xbar")."""
    if n < 1:
        raise InvalidInput("the subgroup size must be at least 1")
    moved = shift * np.sqrt(n)
    beta = float(stats.norm.cdf(nsigmas - moved) - stats.norm.cdf(-nsigmas - moved))
    arl = float("inf") if beta >= 1 else 1.0 / (1.0 - beta)
    return OcPoint(shift=shift, n=n, nsigmas=nsigmas, beta=beta, arl=arl)


class OverdispersionTest(BaseModel):
    """Observed over theoretical variance, the chi-square statistic and its p-value."""

    kind: Literal["binomial", "poisson"]
    obs_over_theor_var: float
    statistic: float
    dof: int
    p_value: float


def overdispersion_test(counts: Any, sizes: Any = None,
                        kind: Literal["binomial", "poisson"] | None = None
                        ) -> OverdispersionTest:
    """qcc's ``qcc.overdispersion.test``: D = var(x)(m-1)/theoretical variance ~ χ²(m-1),
    theoretical variance mean(n) p̄(1-p̄) (binomial, sizes given) or x̄ (Poisson)."""
    x = as_values(counts, "counts")
    if x.size < 2:
        raise InsufficientData("the overdispersion test needs at least 2 counts",
                               reason="too_few_points")
    chosen = kind or ("poisson" if sizes is None else "binomial")
    if chosen == "binomial":
        n = as_sizes(sizes, x.size)
        p = float(np.sum(x) / np.sum(n))
        theoretical = float(np.mean(n) * p * (1 - p))
    else:
        theoretical = float(np.mean(x))
    if not theoretical > 0:
        raise InsufficientData("no events in the counts: the test is undefined",
                               reason="zero_spread")
    observed = float(np.var(x, ddof=1))
    statistic = observed * (x.size - 1) / theoretical
    return OverdispersionTest(kind=chosen, obs_over_theor_var=observed / theoretical,
                              statistic=statistic, dof=x.size - 1,
                              p_value=float(stats.chi2.sf(statistic, x.size - 1)))
