"""Hotelling T² (qcc's ``mqcc``: ``T2`` for subgroups, ``T2.single`` for individuals).

Phase I: centre = overall mean of each variable; covariance = pooled within-subgroup
covariance (subgroups of n > 1) or the sample covariance (n = 1);
T²_i = n (x̄_i - centre)ᵀ S⁻¹ (x̄_i - centre). With m phase-I subgroups, p variables and
confidence level c (default (1 - 0.0027)^p):
- n > 1: UCL = p(m-1)(n-1)/(mn-m-p+1) F_c(p, mn-m-p+1); phase-II prediction limit
  UPL = p(m+1)(n-1)/(mn-m-p+1) F_c(p, mn-m-p+1);
- n = 1: UCL = (m-1)²/m Beta_c(p/2, (m-p-1)/2) (Tracy, Mason, Young 1992);
  UPL = p(m+1)(m-1)/(m(m-p)) F_c(p, m-p).
LCL = 0. Phase-II subgroups are judged against the UPL (qcc plots it with
``pred.limits = TRUE``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from tools.errors import InsufficientData

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class T2Estimate:
    mean: FloatArray
    cov: FloatArray
    groups: int
    size: int


def default_confidence(p: int) -> float:
    return float((1.0 - 0.0027) ** p)


def t2_estimate(cube: FloatArray, use: BoolArray) -> T2Estimate:
    """Centre and covariance from the phase-I subgroups of an (m × n × p) array."""
    used = cube[use]
    m, n, p = used.shape
    if n == 1:
        rows = used[:, 0, :]
        if m <= p + 1:
            raise InsufficientData(f"a T² chart of {p} variables needs more than {p + 1} "
                                   "phase-I observations", reason="too_few_points")
        mean = rows.mean(axis=0)
        dev = rows - mean
        cov = dev.T @ dev / (m - 1)
    else:
        if m * n - m - p + 1 <= 0 or m < 2:
            raise InsufficientData("too few phase-I subgroups for a T² chart",
                                   reason="too_few_points")
        mean = used.reshape(-1, p).mean(axis=0)
        dev = used - used.mean(axis=1, keepdims=True)
        cov = np.einsum("kij,kil->jl", dev, dev) / (n - 1) / m
    if np.linalg.matrix_rank(cov) < p:
        raise InsufficientData("the covariance matrix of the phase-I data is singular (a "
                               "variable without spread, or variables that are exact "
                               "combinations of others)", reason="zero_spread")
    return T2Estimate(mean=mean, cov=cov, groups=m, size=n)


def t2_statistics(cube: FloatArray, est: T2Estimate) -> FloatArray:
    """T² of each subgroup mean against the phase-I centre and covariance."""
    dev = cube.mean(axis=1) - est.mean
    solved = np.linalg.solve(est.cov, dev.T).T
    return np.asarray(cube.shape[1] * np.einsum("ij,ij->i", dev, solved), dtype=float)


def t2_limits(est: T2Estimate, p: int, confidence: float) -> tuple[float, float]:
    """(UCL for phase I, UPL for phase II)."""
    m, n = est.groups, est.size
    if n == 1:
        ucl = (m - 1) ** 2 / m * stats.beta.ppf(confidence, p / 2, (m - p - 1) / 2)
        upl = p * (m + 1) * (m - 1) / (m * (m - p)) * stats.f.ppf(confidence, p, m - p)
    else:
        dof = m * n - m - p + 1
        f = stats.f.ppf(confidence, p, dof)
        ucl = p * (m - 1) * (n - 1) / dof * f
        upl = p * (m + 1) * (n - 1) / dof * f
    return float(ucl), float(upl)
