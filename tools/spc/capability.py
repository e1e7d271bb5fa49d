"""Process capability (Cp, Cpk, Pp, Ppk, Cpm...) with confidence intervals, as qcc's
``processCapability`` computes them, plus a normality check.

Within sigma: the X̄ chart's sigma of the subgroups (R̄/d2, qcc constants by default) or,
for individual values, MR̄/d2(2); overall sigma: the sample standard deviation of every
observation. Centre: the mean of every observation. With k = nsigmas (3):
Cp = (USL-LSL)/(2kσ), Cpu = (USL-x̄)/(kσ), Cpl = (x̄-LSL)/(kσ), Cpk = min(Cpl, Cpu),
Cpm = Cp/√(1+((x̄-T)/σ)²); P indices the same with the overall sigma.
Confidence intervals (qcc): Cp, Pp: chi-square, n-1 degrees of freedom (Chou et al.
1990); Cpm, Ppm: chi-square with n(1+δ²)/(1+2δ²) degrees of freedom (Boyles 1991);
Cpl, Cpu, Cpk (and P): Bissell (1990) idx (1 ∓ z √(1/(9n idx²) + 1/(2(n-1)))), with
z = Φ⁻¹(level) for Cpl/Cpu and Φ⁻¹(1-(1-level)/2) for Cpk, as qcc does.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from scipy import stats
from statsmodels.stats.diagnostic import normal_ad

from tools.errors import InsufficientData, InvalidInput
from tools.spc.constants import ConstantsMode
from tools.spc.inputs import as_subgroups, as_values, group_by_label
from tools.spc.models import CapabilityResult, NormalityCheck, SigmaMethod
from tools.spc.shewhart import default_sigma_method, individuals_sigma, subgroup_data, xbar_sigma

INDEX_NAMES = ("cp", "cpl", "cpu", "cpk", "cpm", "pp", "ppl", "ppu", "ppk", "ppm")


class CapabilityOptions(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    confidence_level: float = Field(0.95, gt=0, lt=1)
    nsigmas: float = Field(3.0, gt=0)
    constants: ConstantsMode = "qcc"
    sigma_method: SigmaMethod | None = None
    normality_alpha: float = Field(0.05, gt=0, lt=1)
    require: list[Literal["cp", "cpl", "cpu", "cpk", "cpm", "pp", "ppl", "ppu", "ppk",
                          "ppm"]] = Field(default_factory=list)


def _spec(value: float | None, name: str) -> float | None:
    if value is None:
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"{name} must be a number, not {value!r}") from None
    if not np.isfinite(out):
        raise InvalidInput(f"{name} must be a finite number")
    return out


def _observations(values: Any, subgroups: Any, labels: Sequence[Hashable] | None,
                  method: str | None, constants: str) -> tuple[np.ndarray, float, str, int | None]:
    """(all observations, sigma within, sigma method, number of subgroups or None)."""
    if labels is not None or subgroups is not None:
        table = group_by_label(as_values(values), labels)[0] if labels is not None \
            else as_subgroups(subgroups)
        data = subgroup_data(table)
        obs = table[~np.isnan(table)]
        if (data.sizes > 1).any():
            if (data.sizes < 2).any():
                raise InsufficientData("within-subgroup sigma needs every subgroup to hold at "
                                       "least 2 observations", reason="subgroup_size")
            method = method or default_sigma_method("xbar-r", data)
            use = np.ones(data.sizes.size, dtype=bool)
            return obs, xbar_sigma(data, use, method, constants), method, int(data.sizes.size)
        values = obs
    obs = as_values(values)
    if obs.size < 2:
        raise InsufficientData("capability needs at least 2 observations",
                               reason="too_few_points")
    method = method or "mr"
    return obs, individuals_sigma(obs, method, constants)[0], method, None


def _chisq(idx: float | None, df: float, alpha: float) -> list[float] | None:
    if idx is None:
        return None
    q = stats.chi2.ppf([alpha / 2, 1 - alpha / 2], df)
    return [float(v) for v in idx * np.sqrt(q / df)]


def _bissell(idx: float | None, z: float, n: int) -> list[float] | None:
    if idx is None:
        return None
    half = z * np.sqrt(1 / (9 * n * idx ** 2) + 1 / (2 * (n - 1)))
    return [float(idx * (1 - half)), float(idx * (1 + half))]


def _indices(prefix: str, center: float, sigma: float, lsl: float | None, usl: float | None,
             target: float | None, k: float, n: int, level: float) -> dict[str, Any]:
    alpha = 1 - level
    two = None if lsl is None or usl is None else (usl - lsl) / (2 * k * sigma)
    upper = None if usl is None else (usl - center) / (k * sigma)
    lower = None if lsl is None else (center - lsl) / (k * sigma)
    kk = min(v for v in (upper, lower) if v is not None)
    delta = None if target is None else (center - target) / sigma
    taguchi = None if two is None or delta is None else two / np.sqrt(1 + delta ** 2)
    df_m = None if delta is None else n * (1 + delta ** 2) / (1 + 2 * delta ** 2)
    z_one, z_two = stats.norm.ppf(level), stats.norm.ppf(1 - alpha / 2)
    return {
        f"{prefix}": two, f"{prefix}_ci": _chisq(two, n - 1, alpha),
        f"{prefix}l": lower, f"{prefix}l_ci": _bissell(lower, z_one, n),
        f"{prefix}u": upper, f"{prefix}u_ci": _bissell(upper, z_one, n),
        f"{prefix}k": kk, f"{prefix}k_ci": _bissell(kk, z_two, n),
        f"{prefix}m": None if taguchi is None else float(taguchi),
        f"{prefix}m_ci": None if taguchi is None or df_m is None
        else _chisq(float(taguchi), df_m, alpha),
    }


def normality_check(x: np.ndarray, alpha: float = 0.05) -> NormalityCheck:
    """Shapiro-Wilk (3 ≤ n ≤ 5000) and Anderson-Darling; ``normal`` is False when either
    rejects normality at ``alpha``."""
    n = int(x.size)
    out: dict[str, Any] = {"n": n, "alpha": alpha}
    if n < 3 or np.ptp(x) == 0:
        return NormalityCheck(**out, message="too few distinct values to test normality")
    if n <= 5000:
        w, p = stats.shapiro(x)
        out.update(shapiro_w=float(w), shapiro_p=float(p))
    a2, p_ad = normal_ad(x)
    out.update(anderson_a2=float(a2), anderson_p=float(p_ad))
    pvalues = [v for v in (out.get("shapiro_p"), out["anderson_p"]) if v is not None]
    normal = min(pvalues) >= alpha
    message = ("consistent with a normal distribution" if normal else
               f"not normal at alpha = {alpha:g} (smallest p = {min(pvalues):.3g}): "
               "normal-theory indices and intervals may mislead")
    return NormalityCheck(**out, normal=normal, message=message)


def capability(values: Any = None, *, subgroups: Any = None,
               labels: Sequence[Hashable] | None = None, lsl: float | None = None,
               usl: float | None = None, target: float | None = None,
               options: CapabilityOptions | None = None, **overrides: Any) -> CapabilityResult:
    """Capability of a process against its specification limits (docs/spc.md)."""
    try:
        opts = CapabilityOptions.model_validate(
            {**(options.model_dump() if options else {}), **overrides})
    except ValueError as exc:
        raise InvalidInput(f"invalid capability option: {exc}") from None
    low, high, tgt = _spec(lsl, "lsl"), _spec(usl, "usl"), _spec(target, "target")
    if low is None and high is None:
        raise InvalidInput("capability needs a specification limit (lsl, usl or both)")
    if low is not None and high is not None and low >= high:
        raise InvalidInput(f"lsl ({low:g}) must be below usl ({high:g})")
    obs, sigma_w, method, groups = _observations(values, subgroups, labels,
                                                 opts.sigma_method, opts.constants)
    n = int(obs.size)
    sigma_o = float(np.std(obs, ddof=1))
    if not sigma_w > 0 or not sigma_o > 0:
        raise InsufficientData("the data have no spread (sigma = 0): capability indices "
                               "are undefined", reason="zero_spread")
    center = float(np.mean(obs))
    unsupported: dict[str, str] = {}
    if tgt is None and low is not None and high is not None:
        tgt = (low + high) / 2
    result: dict[str, Any] = {}
    result.update(_indices("cp", center, sigma_w, low, high, tgt, opts.nsigmas, n,
                           opts.confidence_level))
    result.update(_indices("pp", center, sigma_o, low, high, tgt, opts.nsigmas, n,
                           opts.confidence_level))
    for name in INDEX_NAMES:
        if result[name] is None:
            side = "usl" if name[-1] == "u" else "lsl" if name[-1] == "l" else "lsl and usl"
            unsupported[name] = f"needs {side}"
    missing = [name for name in opts.require if name in unsupported]
    if missing:
        raise InsufficientData(f"{missing[0]} cannot be computed: it "
                               f"{unsupported[missing[0]]}", index=missing[0],
                               reason="one_sided_specification")
    warnings: list[str] = []
    check = normality_check(obs, opts.normality_alpha)
    if check.normal is False:
        warnings.append(f"data {check.message}")
    if n < 30:
        warnings.append(f"only {n} observations: the confidence intervals are wide")
    if tgt is not None and ((low is not None and tgt < low) or (high is not None and tgt > high)):
        warnings.append("the target lies outside the specification limits")
    return CapabilityResult(
        n=n, subgroups=groups, mean=center, sigma_within=sigma_w, sigma_overall=sigma_o,
        sigma_method=method, constants=opts.constants, lsl=low, usl=high, target=tgt,
        nsigmas=opts.nsigmas, confidence_level=opts.confidence_level, **result,
        expected_below_lsl_pct=None if low is None
        else float(stats.norm.cdf((low - center) / sigma_w) * 100),
        expected_above_usl_pct=None if high is None
        else float(stats.norm.sf((high - center) / sigma_w) * 100),
        observed_below_lsl_pct=None if low is None else float(np.mean(obs < low) * 100),
        observed_above_usl_pct=None if high is None else float(np.mean(obs > high) * 100),
        normality=check, unsupported=unsupported, warnings=warnings)
