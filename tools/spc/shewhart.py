"""Shewhart charts as qcc computes them: X̄-R, X̄-S, I-MR, p, np, c, u.

``estimate`` turns the phase-I subgroups into parameters (centre, process sigma, centre of
the dispersion chart); ``build`` turns parameters and every subgroup (phase I and II) into
chart series: statistic, centre, standard error of the statistic and the bounds its limits
are clipped to. Limits are centre ± nsigmas × standard error, clipped (stair steps when
sizes vary). Conventions (qcc): the X̄ centre is the size-weighted mean; sigma is
"UWAVE-R" (mean of R_i/d2(n_i)) for X̄-R unless a subgroup is larger than 25 ("RMSDF"),
"UWAVE-SD" (mean of S_i/c4(n_i)) for X̄-S, MR̄/d2(2) for individuals; the R and S centres
are the size-weighted mean range / standard deviation, their limits centre ± 3 d3(n)σ and
centre ± 3 σ√(1-c4(n)²), floored at 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from tools.errors import InsufficientData, InvalidInput
from tools.spc.constants import c4, d2, d3

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
VARIABLE_KINDS = ("xbar-r", "xbar-s")
ATTRIBUTE_KINDS = ("p", "np", "c", "u")


@dataclass(frozen=True)
class Data:
    """A chart's data: per subgroup size, statistic and (for subgroups) range and sd."""

    sizes: FloatArray
    stat: FloatArray             # subgroup means, individual values, or counts
    ranges: FloatArray | None = None
    sds: FloatArray | None = None


@dataclass(frozen=True)
class Estimate:
    center: float
    sigma: float
    dispersion_center: float | None = None
    sigma_method: str | None = None


@dataclass(frozen=True)
class Series:
    name: str
    values: FloatArray
    center: FloatArray
    se: FloatArray
    floor: FloatArray
    ceil: FloatArray
    sigma: float | FloatArray


def subgroup_data(table: FloatArray) -> Data:
    """Sizes, means, ranges and standard deviations of the rows of an (m × n) table."""
    if np.isnan(table).any():
        sizes = np.sum(~np.isnan(table), axis=1).astype(float)
        means = np.nanmean(table, axis=1)
        ranges = np.nanmax(table, axis=1) - np.nanmin(table, axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            sds = np.sqrt(np.nansum((table - means[:, None]) ** 2, axis=1) / (sizes - 1))
    else:  # column by column: far faster than reducing along a short last axis
        m, n = table.shape
        sizes = np.full(m, float(n))
        cols = [np.ascontiguousarray(table[:, j]) for j in range(n)]
        total, low, high = cols[0].copy(), cols[0].copy(), cols[0].copy()
        for col in cols[1:]:
            total += col
            np.minimum(low, col, out=low)
            np.maximum(high, col, out=high)
        means = total / n
        ranges = high - low
        squares = np.zeros(m)
        for col in cols:
            squares += (col - means) ** 2
        sds = np.sqrt(squares / (n - 1)) if n > 1 else np.full(m, np.nan)
    return Data(sizes=sizes, stat=means, ranges=ranges, sds=sds)


def xbar_sigma(data: Data, use: BoolArray, method: str, constants: str) -> float:
    n = data.sizes[use]
    if (n < 2).any():
        raise InsufficientData("every phase-I subgroup needs at least 2 observations to "
                               "estimate sigma within subgroups", reason="subgroup_size")
    assert data.ranges is not None and data.sds is not None
    r, s = data.ranges[use], data.sds[use]
    if method == "uwave-r":
        return float(np.mean(r / d2(n, constants)))
    if method == "uwave-sd":
        return float(np.mean(s / c4(n)))
    if method == "mvlue-r":
        dd2 = d2(n, constants)
        w = (dd2 / d3(n, constants)) ** 2
        return float(np.sum(r / dd2 * w) / np.sum(w))
    if method == "mvlue-sd":
        cc4 = c4(n)
        w = cc4 ** 2 / (1 - cc4 ** 2)
        return float(np.sum(s / cc4 * w) / np.sum(w))
    if method == "rmsdf":
        dof = n - 1
        return float(np.sqrt(np.sum(s ** 2 * dof) / np.sum(dof)) / c4(np.sum(dof) + 1))
    raise InvalidInput(f"sigma method {method!r} does not apply to subgrouped data; use "
                       "uwave-r, uwave-sd, mvlue-r, mvlue-sd or rmsdf")


def default_sigma_method(kind: str, data: Data) -> str:
    if kind in ("imr",) or (data.ranges is None):
        return "mr"
    if kind == "xbar-s":
        return "uwave-sd"
    return "rmsdf" if (data.sizes > 25).any() else "uwave-r"


def individuals_sigma(x: FloatArray, method: str, constants: str) -> tuple[float, float]:
    """(sigma, mean moving range) of a series of individual values (phase I, in order)."""
    if x.size < 2:
        raise InsufficientData("an individuals chart needs at least 2 phase-I values",
                               reason="too_few_points")
    mrbar = float(np.mean(np.abs(np.diff(x))))
    if method == "mr":
        return mrbar / float(d2(2, constants)[()]), mrbar
    if method == "sd":
        return float(np.std(x, ddof=1) / c4(x.size)), mrbar
    raise InvalidInput(f"sigma method {method!r} does not apply to individual values; use mr "
                       "or sd")


def estimate(kind: str, data: Data, use: BoolArray, method: str | None,
             constants: str) -> Estimate:
    """Phase-I parameters from the subgroups where ``use`` is True."""
    if use.sum() < 2:
        raise InsufficientData("control limits need at least 2 phase-I subgroups",
                               reason="too_few_points")
    if kind in VARIABLE_KINDS:
        method = method or default_sigma_method(kind, data)
        n = data.sizes[use]
        center = float(np.sum(n * data.stat[use]) / np.sum(n))
        sigma = xbar_sigma(data, use, method, constants)
        spread = data.ranges if kind == "xbar-r" else data.sds
        assert spread is not None
        disp = float(np.sum(n * spread[use]) / np.sum(n))
        est = Estimate(center, sigma, disp, method)
    elif kind == "imr":
        method = method or "mr"
        sigma, mrbar = individuals_sigma(data.stat[use], method, constants)
        est = Estimate(float(np.mean(data.stat[use])), sigma, mrbar, method)
    else:
        est = _attribute_estimate(kind, data, use)
    if not est.sigma > 0:
        raise InsufficientData(f"the phase-I data of this {kind} chart have no spread "
                               "(sigma = 0): control limits would collapse onto the centre",
                               reason="zero_spread")
    return est


def _attribute_estimate(kind: str, data: Data, use: BoolArray) -> Estimate:
    x, n = data.stat[use], data.sizes[use]
    if kind in ("p", "np"):
        pbar = float(np.sum(x) / np.sum(n))
        return Estimate(pbar, float(np.sqrt(pbar * (1 - pbar))))
    if kind == "c":
        cbar = float(np.mean(x))
        return Estimate(cbar, float(np.sqrt(cbar)))
    ubar = float(np.sum(x) / np.sum(n))
    return Estimate(ubar, float(np.sqrt(ubar)))


def check_attribute_data(kind: str, counts: FloatArray, sizes: FloatArray) -> None:
    if (counts < 0).any():
        raise InvalidInput(f"counts: value {int(np.flatnonzero(counts < 0)[0]) + 1} is "
                           "negative")
    if kind in ("p", "np") and (counts > sizes).any():
        first = int(np.flatnonzero(counts > sizes)[0]) + 1
        raise InvalidInput(f"subgroup {first}: more nonconforming units than units inspected",
                           position=first)
    if kind == "c" and np.ptp(sizes) > 0:
        raise InvalidInput("a c chart needs equal inspection sizes; use a u chart for "
                           "varying sizes")


def _full(value: float, m: int) -> FloatArray:
    return np.full(m, value, dtype=float)


def build(kind: str, data: Data, est: Estimate, constants: str,
          moving_range: FloatArray | None = None) -> list[Series]:
    """The chart series of ``kind`` over every subgroup, from the parameters ``est``."""
    m = data.stat.size
    n = data.sizes
    lo, hi, zero = _full(-np.inf, m), _full(np.inf, m), _full(0.0, m)
    sigma, center = est.sigma, _full(est.center, m)
    if kind in VARIABLE_KINDS:
        assert est.dispersion_center is not None
        xbar = Series("xbar", data.stat, center, sigma / np.sqrt(n), lo, hi, sigma)
        disp_center = _full(est.dispersion_center, m)
        if kind == "xbar-r":
            assert data.ranges is not None
            disp = Series("r", data.ranges, disp_center, d3(n, constants) * sigma, zero, hi,
                          sigma)
        else:
            assert data.sds is not None
            disp = Series("s", data.sds, disp_center, sigma * np.sqrt(1 - c4(n) ** 2), zero,
                          hi, sigma)
        return [xbar, disp]
    if kind == "imr":
        assert est.dispersion_center is not None and moving_range is not None
        mr_sigma = est.dispersion_center / float(d2(2, constants)[()])
        se_mr = _full(float(d3(2, constants)[()]) * mr_sigma, m)
        return [Series("i", data.stat, center, _full(sigma, m), lo, hi, sigma),
                Series("mr", moving_range, _full(est.dispersion_center, m), se_mr, zero, hi,
                       mr_sigma)]
    pbar = est.center
    if kind == "p":
        return [Series("p", data.stat / n, center, np.sqrt(pbar * (1 - pbar) / n), zero,
                       _full(1.0, m), sigma)]
    if kind == "np":
        se = np.sqrt(n * pbar * (1 - pbar))
        return [Series("np", data.stat, n * pbar, se, zero, n.astype(float), se)]
    if kind == "c":
        return [Series("c", data.stat, center, _full(np.sqrt(pbar), m), zero, hi, sigma)]
    return [Series("u", data.stat / n, center, np.sqrt(pbar / n), zero, hi, sigma)]


def limits(series: Series, nsigmas: float) -> tuple[FloatArray, FloatArray]:
    lcl = np.clip(series.center - nsigmas * series.se, series.floor, series.ceil)
    ucl = np.clip(series.center + nsigmas * series.se, series.floor, series.ceil)
    return lcl, ucl
