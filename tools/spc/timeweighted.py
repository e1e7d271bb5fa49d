"""EWMA and CUSUM arithmetic (qcc's ``ewma`` and ``cusum``), vectorised.

EWMA: z_t = λ x_t + (1-λ) z_{t-1}, z_0 = centre (scipy.signal.lfilter); limits
centre ± L σ/√n_t √(λ/(2-λ) (1-(1-λ)^(2t))), t counted over phase I and phase II
together, so phase-I limits carry on into new data as qcc's ``newdata`` does.

CUSUM (tabular, in standard errors): z_t = (x_t - centre)/(σ/√n_t);
C⁺_t = max(0, C⁺_{t-1} + z_t - k), C⁻_t = max(0, C⁻_{t-1} - z_t - k) with k = shift/2,
C_0 = head start; signals where C⁺ > h or C⁻ > h (C⁻ is reported negated, as qcc does).
The max(0, ·) recursion is solved in closed form (Lindley / Skorokhod reflection):
S_t = Y_t - min(0, min_{s≤t} Y_s) with Y_t = C_0 + Σ_{s≤t} x_s.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.signal import lfilter

FloatArray = NDArray[np.float64]


def ewma_smooth(stat: FloatArray, lam: float, start: float) -> FloatArray:
    """The EWMA of ``stat`` started at ``start``."""
    smoothed, _ = lfilter([lam], [1.0, -(1.0 - lam)], stat, zi=[(1.0 - lam) * start])
    return np.asarray(smoothed, dtype=float)


def ewma_limits(sizes: FloatArray, center: float, sigma: float, lam: float,
                nsigmas: float) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(lcl, ucl, standard error of z) at each point."""
    t = np.arange(1, sizes.size + 1, dtype=float)
    se = sigma / np.sqrt(sizes) * np.sqrt(lam / (2.0 - lam) * (1.0 - (1.0 - lam) ** (2.0 * t)))
    return center - nsigmas * se, center + nsigmas * se, se


def _reflected(steps: FloatArray, start: float) -> FloatArray:
    walk = start + np.cumsum(steps)
    return walk - np.minimum(0.0, np.minimum.accumulate(walk))


def cusum_sums(stat: FloatArray, sizes: FloatArray, center: float, sigma: float,
               shift: float, head_start: float) -> tuple[FloatArray, FloatArray]:
    """(upper C⁺, lower -C⁻) cumulative sums in standard errors."""
    z = (stat - center) / (sigma / np.sqrt(sizes))
    upper = _reflected(z - shift / 2.0, head_start)
    lower = _reflected(-(z + shift / 2.0), head_start)
    return upper, -lower
