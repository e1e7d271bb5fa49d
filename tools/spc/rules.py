"""Western Electric and Nelson run rules, vectorised with numpy (no per-point loops).

Flagging follows qcc (R package, ``qccRulesViolating*``): a run is flagged at the point
that completes it and at every later point while it lasts; "K of K+1" rules flag the
window's last point when it is itself beyond the zone; Nelson 8 needs points on both
sides of the centre line. Zones are thirds of the control-limit distance (qcc: nsigmas ×
1/3 and × 2/3, i.e. 1σ and 2σ at 3σ limits), clipped like the limits (at 0 for counts).
K is configurable within the ranges Minitab allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray

from tools.errors import InvalidInput
from tools.spc.models import RuleSpec, Severity, Violation

BoolArray = NDArray[np.bool_]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class _RuleDef:
    test: str            # beyond | same_side | trend | alternating | k_of | within | both_sides
    k: float | None      # default K (None: the chart's nsigmas)
    k_range: tuple[float, float]
    zone: float = 0.0    # fraction of the limit distance for k_of rules
    text: str = ""


RULES: dict[str, _RuleDef] = {
    "we-1": _RuleDef("beyond", None, (1, 6), text="1 point beyond the control limits"),
    "we-2": _RuleDef("k_of", 2, (2, 4), 2 / 3, "2 of 3 points beyond 2 sigma, same side"),
    "we-3": _RuleDef("k_of", 4, (3, 6), 1 / 3, "4 of 5 points beyond 1 sigma, same side"),
    "we-4": _RuleDef("same_side", 8, (7, 11), text="8 points in a row on one side"),
    "nelson-1": _RuleDef("beyond", None, (1, 6), text="1 point beyond the control limits"),
    "nelson-2": _RuleDef("same_side", 9, (7, 11), text="9 points in a row on one side"),
    "nelson-3": _RuleDef("trend", 6, (5, 8), text="6 points in a row increasing or "
                         "decreasing"),
    "nelson-4": _RuleDef("alternating", 14, (12, 14), text="14 points in a row alternating "
                         "up and down"),
    "nelson-5": _RuleDef("k_of", 2, (2, 4), 2 / 3, "2 of 3 points beyond 2 sigma, same side"),
    "nelson-6": _RuleDef("k_of", 4, (3, 6), 1 / 3, "4 of 5 points beyond 1 sigma, same side"),
    "nelson-7": _RuleDef("within", 15, (12, 15), text="15 points in a row within 1 sigma"),
    "nelson-8": _RuleDef("both_sides", 8, (6, 10), text="8 points in a row beyond 1 sigma, "
                         "on both sides"),
}
RULE_SETS: dict[str, tuple[str, ...]] = {
    "we": ("we-1", "we-2", "we-3", "we-4"),
    "nelson": tuple(f"nelson-{i}" for i in range(1, 9)),
    "none": (),
}
# Rules meaningful on dispersion charts (Minitab: tests 1-4 on R and S charts) and on
# moving-range charts (test 1 only).
DISPERSION_RULES = frozenset({"we-1", "we-4", "nelson-1", "nelson-2", "nelson-3",
                              "nelson-4"})
MOVING_RANGE_RULES = frozenset({"we-1", "nelson-1"})


@dataclass(frozen=True)
class ResolvedRule:
    rule: str
    k: float | None
    severity: Severity
    description: str


@dataclass(frozen=True)
class RuleInput:
    """A chart's points: statistic, centre, control limits, the statistic's standard error
    and the clipping bounds of its limits (per point arrays)."""

    values: FloatArray
    center: FloatArray
    lcl: FloatArray
    ucl: FloatArray
    se: FloatArray
    floor: FloatArray
    ceil: FloatArray
    nsigmas: float
    _zones: dict[float, tuple[FloatArray, FloatArray]] = field(
        default_factory=dict, compare=False, repr=False)

    def zone(self, sigmas: float) -> tuple[FloatArray, FloatArray]:
        """(lower, upper) boundaries at ``sigmas`` standard errors, clipped; memoised."""
        cache = self._zones
        if sigmas not in cache:
            spread = sigmas * self.se
            cache[sigmas] = (np.clip(self.center - spread, self.floor, self.ceil),
                             np.clip(self.center + spread, self.floor, self.ceil))
        return cache[sigmas]


def resolve_rules(selection: str | Sequence[str | RuleSpec]) -> list[ResolvedRule]:
    """``"we"``, ``"nelson"``, ``"none"``, or a list of rule ids / ``RuleSpec``."""
    if isinstance(selection, str):
        key = selection.strip().lower()
        items: list[str | RuleSpec] = list(RULE_SETS[key]) if key in RULE_SETS else [key]
    else:
        items = list(selection)
    out: list[ResolvedRule] = []
    for item in items:
        spec = item if isinstance(item, RuleSpec) else _spec_from_text(item)
        definition = RULES[spec.rule]
        k = spec.k if spec.k is not None else definition.k
        if k is not None:
            low, high = definition.k_range
            integral = definition.test != "beyond"
            if not low <= k <= high or (integral and k != int(k)):
                raise InvalidInput(f"{spec.rule}: K must be {'a whole number ' if integral else ''}"
                                   f"from {low:g} to {high:g}, not {k:g}", rule=spec.rule)
        severity: Severity = spec.severity or (
            "violation" if definition.test == "beyond" else "warning")
        if any(r.rule == spec.rule for r in out):
            raise InvalidInput(f"rule {spec.rule} is listed twice", rule=spec.rule)
        out.append(ResolvedRule(spec.rule, k, severity, _describe(spec.rule, k)))
    return out


def _spec_from_text(text: str) -> RuleSpec:
    key = text.strip().lower().replace("_", "-").replace("nel-", "nelson-")
    if key not in RULES:
        raise InvalidInput(f"unknown run rule {text!r}: use we, nelson, none or ids like "
                           "we-2, nelson-7", rule=text)
    return RuleSpec(rule=key)  # type: ignore[arg-type]


def _describe(rule: str, k: float | None) -> str:
    definition = RULES[rule]
    if k is None or k == definition.k:
        return definition.text
    n = int(k) if definition.test != "beyond" else k
    return {
        "beyond": f"1 point more than {k:g} sigma from the centre line",
        "same_side": f"{n} points in a row on one side",
        "trend": f"{n} points in a row increasing or decreasing",
        "alternating": f"{n} points in a row alternating up and down",
        "k_of": f"{n} of {n + 1} points beyond {3 * definition.zone:g} sigma, same side",
        "within": f"{n} points in a row within 1 sigma",
        "both_sides": f"{n} points in a row beyond 1 sigma, on both sides",
    }[definition.test]


def run_lengths(condition: BoolArray) -> NDArray[np.integer]:
    """Length of the run of True ending at each position (0 where False)."""
    dtype = np.int32 if condition.size < 2**31 - 1 else np.int64
    idx = np.arange(condition.size, dtype=dtype)
    last_false = np.maximum.accumulate(np.where(condition, dtype(-1), idx))
    return np.asarray(idx - last_false, dtype=dtype)


def _window_count(condition: BoolArray, width: int) -> NDArray[np.int64]:
    """Number of True in the window of ``width`` ending at each position (partial at the
    start)."""
    total = np.concatenate(([0], np.cumsum(condition, dtype=np.int64)))
    start = np.maximum(np.arange(1, condition.size + 1) - width, 0)
    return total[1:] - total[start]


def _k_of(inp: RuleInput, k: int, zone: float, window_end: bool) -> BoolArray:
    width = k + 1
    n = inp.values.size
    lower, upper = inp.zone(inp.nsigmas * zone)
    flags = np.zeros(n, dtype=bool)
    if n < width:
        return flags
    if window_end:  # qcc: every point of a window against the limits at the window's end
        windows = sliding_window_view(inp.values, width)
        for side, bound in ((1.0, upper[width - 1:]), (-1.0, lower[width - 1:])):
            beyond = side * windows > side * bound[:, None]
            flags[width - 1:] |= (beyond.sum(axis=1) >= k) & beyond[:, -1]
        return flags
    for beyond in (inp.values > upper, inp.values < lower):
        flags |= (_window_count(beyond, width) >= k) & beyond
    flags[:width - 1] = False
    return flags


def rule_flags(rule: ResolvedRule, inp: RuleInput, window_end: bool = False) -> BoolArray:
    """Boolean mask of the points ``rule`` flags."""
    definition = RULES[rule.rule]
    v = inp.values
    n = v.size
    flags = np.zeros(n, dtype=bool)
    test = definition.test
    if test == "beyond":
        if rule.k is None:
            lcl, ucl = inp.lcl, inp.ucl
        else:
            lcl, ucl = inp.zone(rule.k)
        return (v > ucl) | (v < lcl)
    k = int(rule.k if rule.k is not None else 0)
    if test == "same_side":
        return (run_lengths(v > inp.center) >= k) | (run_lengths(v < inp.center) >= k)
    if test == "trend":
        d = np.diff(v)
        flags[1:] = (run_lengths(d > 0) >= k - 1) | (run_lengths(d < 0) >= k - 1)
        return flags
    if test == "alternating":
        d = np.diff(v)
        if d.size >= 2:
            flags[2:] = run_lengths(d[1:] * d[:-1] < 0) >= k - 2
        return flags
    if test == "k_of":
        return _k_of(inp, k, definition.zone, window_end)
    lower, upper = inp.zone(inp.nsigmas / 3.0)
    if test == "within":
        return run_lengths((v >= lower) & (v <= upper)) >= k
    above, below = v > upper, v < lower
    flags = ((run_lengths(above | below) >= k) & (_window_count(above, k) > 0)
             & (_window_count(below, k) > 0))
    return flags


def evaluate_rules(rules: Sequence[ResolvedRule], inp: RuleInput,
                   window_end: bool = False) -> list[Violation]:
    """One ``Violation`` per rule that flagged any point (1-based points)."""
    out: list[Violation] = []
    for rule in rules:
        points = np.flatnonzero(rule_flags(rule, inp, window_end)) + 1
        if points.size:
            out.append(Violation(rule=rule.rule, points=points.tolist(),
                                 severity=rule.severity, description=rule.description))
    return out


def point_codes(violations: Sequence[Violation], n: int) -> list[int | None]:
    """qcc's ``violations`` vector: per point the most serious (lowest-numbered) rule
    that flagged it, ``None`` where none did."""
    codes = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    for violation in violations:
        number = int(violation.rule.rsplit("-", 1)[-1])
        idx = np.asarray(violation.points, dtype=np.int64) - 1
        codes[idx] = np.minimum(codes[idx], number)
    return [None if c == np.iinfo(np.int64).max else int(c) for c in codes]
