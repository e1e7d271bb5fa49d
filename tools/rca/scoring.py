"""Scoring candidates on the data: fit, tests, a multivariable model, confounding, timing.

1. Fit, each candidate alone: against the per-batch scores, Spearman's rho (indicators:
   positive = the problem sits in the marked batches; parameters: either sign), tested by
   Mann-Whitney (indicators, one-sided) or Spearman's test (parameters). Against a 0/1
   target (why does a defect happen at all), Somers' D = |2 AUC - 1| with a two-sided
   Mann-Whitney test.
2. Independence: forward selection of a linear model (OLS on the scores; logistic with
   squares and pairwise products of continuous variables on a 0/1 target), a candidate
   entering only if it lowers the BIC by at least ``MIN_BIC_GAIN``.
3. Confounding: candidates whose columns correlate at ``CONFOUNDED`` or more with a selected
   one cannot be told apart from it by the data; they form its group, and the group is
   reported once, by the member with the best combined score (``confounded_with`` the
   others). Candidates the model explains away keep only their partial fit.
4. Combined score: the fit times a factor of timing, ending and prior, so the data always
   bound the score. Selected candidates are scored on what they explain beyond the other
   selected ones (their partial correlation), so a candidate that only rides along with a
   better one drops. Dated candidates (maintenance events, engineering changes, material
   lots) are judged on their timing: ``0.50 + 0.30 timing + 0.10 ending + 0.10 prior``;
   the others cannot be: ``0.65 + 0.15 ending + 0.10 prior``. Timing is how close the
   candidate's onset lies to the change point; ending, whether the problem stopped at a
   service of the asset (or with the lot's last batch); prior, the knowledge graph's.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from tools.rca.candidates import Candidate

MIN_BIC_GAIN = 6.0
MAX_SELECTED = 4
POOL = 25
CONFOUNDED = 0.8
RESIDUAL_P = 0.001
TIMING_DAYS = 1.5
SLACK_UNITS = 3
INNER = 0.7
DORMANT_DAYS = 14.0
DATED = frozenset({"maintenance_event", "engineering_change", "material_lot"})
# Dated candidates are judged on their timing as well; the others cannot be.
WEIGHTS = {True: {"base": 0.50, "timing": 0.30, "ending": 0.10, "prior": 0.10},
           False: {"base": 0.65, "timing": 0.0, "ending": 0.15, "prior": 0.10}}


@dataclass
class Ranked:
    candidate: Candidate
    fit: float
    p_value: float | None
    timing: float = 0.0
    ending: float = 0.0
    prior: float = 0.5
    score: float = 0.0
    selected: bool = False
    group: list[Candidate] = field(default_factory=list)


def univariate(candidate: Candidate, y: np.ndarray, binary_target: bool,
               ) -> tuple[float, float | None]:
    """(fit in [0, 1], p-value) of one candidate alone."""
    x = candidate.values
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if binary_target:
            hit, miss = x[y > 0.5], x[y <= 0.5]
            if hit.size == 0 or miss.size == 0:
                return 0.0, None
            test = stats.mannwhitneyu(hit, miss, alternative="two-sided")
            auc = float(test.statistic) / (hit.size * miss.size)
            d = 2.0 * auc - 1.0
            fit = max(0.0, d) if candidate.binary else abs(d)
            return fit, float(test.pvalue)
        rho = stats.spearmanr(x, y).statistic
        if not np.isfinite(rho):
            return 0.0, None
        if candidate.binary:
            marked, rest = y[x > 0.5], y[x <= 0.5]
            p = float(stats.mannwhitneyu(marked, rest, alternative="greater").pvalue)
            return max(0.0, float(rho)), p
        return abs(float(rho)), float(stats.spearmanr(x, y).pvalue)


def _standard(x: np.ndarray) -> np.ndarray:
    sd = float(np.std(x))
    return (x - float(np.mean(x))) / sd if sd > 0 else x - float(np.mean(x))


def _columns(chosen: list[Candidate], binary_target: bool) -> list[np.ndarray]:
    cols: list[np.ndarray] = []
    continuous = [_standard(c.values) for c in chosen if not c.binary]
    for c in chosen:
        if c.binary:
            cols.append(c.values)
        else:
            x = _standard(c.values)
            cols.append(x)
            if binary_target:
                cols.append(x * x)
    if binary_target:
        for i in range(len(continuous)):
            for j in range(i + 1, len(continuous)):
                cols.append(continuous[i] * continuous[j])
    return cols


def _bic(y: np.ndarray, cols: list[np.ndarray], binary_target: bool) -> float:
    n = y.size
    design = np.column_stack([np.ones(n), *cols])
    k = design.shape[1]
    if not binary_target:
        beta, *_ = np.linalg.lstsq(design, y, rcond=None)
        rss = float(np.sum((y - design @ beta) ** 2))
        return n * math.log(max(rss, 1e-300) / n) + k * math.log(n)
    return -2.0 * _logit_llf(y, design) + k * math.log(n)


def _logit_llf(y: np.ndarray, design: np.ndarray) -> float:
    import statsmodels.api as sm

    if design.shape[1] == 1:
        p = float(np.clip(y.mean(), 1e-12, 1 - 1e-12))
        return float(np.sum(y * math.log(p) + (1 - y) * math.log(1 - p)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for method in ("newton", "bfgs"):
            try:
                result = sm.Logit(y, design).fit(disp=0, method=method, maxiter=200)
                llf = float(result.llf)
                if np.isfinite(llf):
                    return llf
            except Exception:
                continue
    return -math.inf


def forward_select(pool: list[Candidate], y: np.ndarray, binary_target: bool) -> list[int]:
    """Indices (into ``pool``) entering the model, in the order they entered."""
    chosen: list[int] = []
    current = _bic(y, [], binary_target)
    while len(chosen) < MAX_SELECTED:
        best: tuple[float, int] | None = None
        for i, candidate in enumerate(pool):
            if i in chosen:
                continue
            bic = _bic(y, _columns([pool[j] for j in chosen] + [candidate], binary_target),
                       binary_target)
            if best is None or bic < best[0]:
                best = (bic, i)
        if best is None or not best[0] <= current - MIN_BIC_GAIN:
            break
        current = best[0]
        chosen.append(best[1])
    return chosen


def _partial(candidate: Candidate, y: np.ndarray, chosen: list[Candidate],
             ) -> tuple[float, float]:
    """Partial correlation with ``y`` given the chosen candidates, and its p-value."""
    n = y.size
    design = np.column_stack([np.ones(n), *_columns(chosen, False)])
    residual_y = y - design @ np.linalg.lstsq(design, y, rcond=None)[0]
    residual_x = candidate.values - design @ np.linalg.lstsq(design, candidate.values,
                                                             rcond=None)[0]
    if np.std(residual_x) == 0 or np.std(residual_y) == 0:
        return 0.0, 1.0
    r = float(np.corrcoef(residual_x, residual_y)[0, 1])
    df = max(n - design.shape[1] - 1, 1)
    t = r * math.sqrt(df / max(1e-12, 1 - r * r))
    return r, float(2 * stats.t.sf(abs(t), df))


def _near(moment: dt.datetime | None, reference: dt.datetime | None) -> float:
    if moment is None or reference is None:
        return 0.0
    days = abs((moment - reference).total_seconds()) / 86400.0
    return math.exp(-days / TIMING_DAYS)


def _between(times: np.ndarray, a: dt.datetime, b: dt.datetime) -> int:
    """Units of the series that started between two moments (the later one excluded)."""
    low, high = sorted((np.datetime64(a.replace(tzinfo=None)),
                        np.datetime64(b.replace(tzinfo=None))))
    return int(np.searchsorted(times, high) - np.searchsorted(times, low))


def _aligned(onset: dt.datetime | None, moment: dt.datetime | None,
             times: np.ndarray | None) -> float:
    """1 when no more than ``SLACK_UNITS`` units of the series lie between an onset and a
    change point (a change point is only placed to a unit or two), decaying after; by
    calendar time when the series is not given."""
    if onset is None or moment is None:
        return 0.0
    if times is None:
        return _near(onset, moment)
    extra = max(0, _between(times, onset, moment) - SLACK_UNITS)
    return math.exp(-extra / SLACK_UNITS)


def timing(onset: dt.datetime | None, start: dt.datetime | None,
           inner: list[dt.datetime], times: np.ndarray | None = None) -> float:
    """How close an onset lies to the change point, or (counting ``INNER``) to a change
    point inside the period, where the problem stepped up again."""
    best = _aligned(onset, start, times)
    for moment in inner:
        best = max(best, INNER * _aligned(onset, moment, times))
    return best


def dormant(at: dt.datetime | None, start: dt.datetime | None) -> float:
    """A dated event long before the change (even if the part did not run in between) is
    less likely its cause: decays over ``DORMANT_DAYS`` after the first day."""
    if at is None or start is None:
        return 1.0
    days = (start - at).total_seconds() / 86400.0
    return math.exp(-max(0.0, days - 1.0) / DORMANT_DAYS)


def _combine(item: Ranked, fit: float | None = None) -> float:
    w = WEIGHTS[item.candidate.kind in DATED]
    factor = w["base"] + w["timing"] * item.timing + w["ending"] * item.ending \
        + w["prior"] * item.prior
    return float(min(1.0, max(0.0, (item.fit if fit is None else fit) * factor)))


def _independent_fits(chosen: list[Ranked], y: np.ndarray) -> list[float]:
    """What each selected candidate explains beyond the others selected: its partial
    correlation given them (its own fit when it is the only one), never above its fit."""
    out = []
    for item in chosen:
        others = [c.candidate for c in chosen if c is not item]
        if not others:
            out.append(item.fit)
            continue
        r, _ = _partial(item.candidate, y, others)
        own = max(0.0, r) if item.candidate.binary else abs(r)
        out.append(min(item.fit, own))
    return out


def rank(candidates: list[Candidate], y: np.ndarray, *, binary_target: bool, static: bool,
         start: dt.datetime | None, end: dt.datetime | None,
         prior: Callable[[Candidate], float],
         inner: list[dt.datetime] | None = None,
         times: np.ndarray | None = None) -> list[Ranked]:
    """Ranked causes, best first: each selected group once, then candidates the model did
    not explain away (partial p < ``RESIDUAL_P``)."""
    items = []
    for candidate in candidates:
        fit, p = univariate(candidate, y, binary_target)
        item = Ranked(candidate, fit, p, prior=prior(candidate))
        if not static:
            if not candidate.info.get("unchanged"):
                item.timing = timing(candidate.onset, start, inner or [], times) * dormant(
                    candidate.info.get("at"), start)
            last_use = candidate.info.get("last_use")
            item.ending = _near(last_use, end) if last_use is not None else candidate.stop_ok
        item.score = _combine(item)
        items.append(item)
    pool = sorted((i for i in items if i.fit >= 0.05), key=lambda i: -i.fit)[:POOL]
    chosen = [pool[i] for i in forward_select([i.candidate for i in pool], y, binary_target)]
    taken = {id(i) for i in chosen}
    ranked: list[Ranked] = []
    independent = _independent_fits(chosen, y)
    for lead, own in zip(chosen, independent, strict=True):
        members = [lead]
        for other in items:
            if id(other) in taken or other.fit < 0.05:
                continue
            with np.errstate(all="ignore"):
                r = np.corrcoef(other.candidate.values, lead.candidate.values)[0, 1]
            if np.isfinite(r) and abs(r) >= CONFOUNDED:
                members.append(other)
                taken.add(id(other))
        ratio = own / lead.fit if lead.fit > 0 else 0.0
        for member in members:  # the group counts for what it explains on its own
            member.score = _combine(member, member.fit * ratio)
        best = lead if static else max(members, key=lambda m: m.score)
        best.selected = True
        best.group = [m.candidate for m in members if m is not best]
        ranked.append(best)
    ranked.sort(key=lambda i: -i.score)
    selected = [c.candidate for c in chosen]
    residual = []
    for item in items:
        if id(item) in taken or item.fit < 0.05:
            continue
        r, p = _partial(item.candidate, y, selected) if selected else (item.fit, item.p_value)
        adjusted = max(0.0, r) if item.candidate.binary else abs(r)
        if p is not None and p < RESIDUAL_P and adjusted >= 0.1:
            item.fit, item.p_value = adjusted, p
            item.score = _combine(item)
            residual.append(item)
    residual.sort(key=lambda i: -i.score)
    return ranked + residual
