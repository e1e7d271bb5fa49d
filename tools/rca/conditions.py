"""Each candidate as an SQL condition over the evidence's unit rows (``u.*``), and the
numbers its claims need besides the rows: a parameter's split point, Spearman's rho and
Kruskal-Wallis across the levels of the changed period."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats
from sqlglot import exp

from tools.monitors.compiler.sql_parts import text
from tools.rca.candidates import ASSET_COLUMNS, ENTITY_COLUMNS, Candidate
from tools.rca.changepoint import Episode
from tools.rca.data import stamp
from tools.rca.sqlparts import between, u


def split_point(values: np.ndarray, y: np.ndarray) -> float:
    """Where a continuous candidate splits the units best: the cut (between 5 % and 95 %
    of its values) with the largest two-sample t statistic of ``y``."""
    order = np.sort(np.unique(values[np.isfinite(values)]))
    if order.size < 2:
        return float(order[0]) if order.size else 0.0
    cuts = np.unique(np.quantile(values, np.linspace(0.05, 0.95, 37)))
    best, best_t = float(np.median(values)), -1.0
    for cut in cuts:
        low, high = y[values < cut], y[values >= cut]
        if low.size < 2 or high.size < 2:
            continue
        spread = np.sqrt(low.var(ddof=1) / low.size + high.var(ddof=1) / high.size)
        t = abs(low.mean() - high.mean()) / spread if spread > 0 else 0.0
        if t > best_t:
            best, best_t = float(cut), float(t)
    return best


def rounded_cut(cut: float, values: np.ndarray) -> float:
    """The cut rounded to the precision the values are written in (at most 4 decimals)."""
    for decimals in range(0, 5):
        rounded = round(cut, decimals)
        if (values < rounded).sum() == (values < cut).sum():
            return rounded
    return round(cut, 4)


def spearman(values: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = stats.spearmanr(values, y)
    rho, p = float(result.statistic), float(result.pvalue)
    return (rho if np.isfinite(rho) else 0.0), (p if np.isfinite(p) else 1.0)


def kruskal_in_period(units: pd.DataFrame, inside: np.ndarray, column: str,
                      score: np.ndarray) -> float | None:
    """Kruskal-Wallis p across the levels of ``column`` inside the changed period."""
    if column not in units:
        return None
    levels = units.loc[inside, column].astype("string")
    values = score[inside]
    groups = [values[(levels == level).fillna(False).to_numpy()]
              for level in levels.dropna().unique()]
    groups = [g for g in groups if g.size >= 2]
    if len(groups) < 2:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = float(stats.kruskal(*groups).pvalue)
    return p if np.isfinite(p) else None


def condition(candidate: Candidate, episode: Episode | None, alias: str | None = None,
              cut: float | None = None) -> exp.Expr:
    """The units a candidate marks, over the unit query's columns."""
    kind = candidate.kind
    if kind in ENTITY_COLUMNS:
        marked: exp.Expr = exp.EQ(this=u(ENTITY_COLUMNS[kind]), expression=text(candidate.id))
        if candidate.scoped and episode is not None:
            marked = exp.and_(marked, between(episode.start, episode.end))
        return marked
    if kind == "material_lot":
        return exp.EQ(this=u("material_lot_id"), expression=text(candidate.id))
    if kind == "engineering_change":
        return exp.GTE(this=u("started_at"), expression=stamp(candidate.info["at"]))
    if kind == "maintenance_event":
        info = candidate.info
        parts: list[exp.Expr] = [exp.GTE(this=u("started_at"), expression=stamp(info["at"]))]
        if info.get("next_at") is not None:
            parts.append(exp.LT(this=u("started_at"), expression=stamp(info["next_at"])))
        column = ASSET_COLUMNS.get(info["asset_type"])
        if column is not None:
            parts.append(exp.EQ(this=u(column), expression=text(info["asset_id"])))
        return exp.and_(*parts)
    if alias is None or cut is None:
        raise ValueError(f"a {kind} condition needs its column and split point")
    return exp.LT(this=u(alias), expression=exp.Literal.number(repr(float(cut))))
