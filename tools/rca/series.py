"""The per-batch (or per-lot) statistic an investigation explains, and its standard score.

A characteristic gives each batch the mean, standard deviation or range of its samples; a
defect code its count per part produced; the defect rate ``qty_defective / qty_produced``.
Scores are taken on a variance-stabilised scale (log for spreads, square root for rates)
against the median and MAD of the whole series, signed so that positive means "the way
the question says it moved".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tools.rca.models import Direction, Statistic

MAD_TO_SD = 1.4826


def batch_statistic(samples: pd.DataFrame, statistic: Statistic) -> pd.Series:
    """The statistic of each batch's samples (index batch_id)."""
    grouped = samples.dropna(subset=["value"]).groupby("batch_id")["value"]
    if statistic == "stdev":
        return grouped.std(ddof=1)
    if statistic == "range":
        return grouped.max() - grouped.min()
    return grouped.mean()


def transformed(values: pd.Series | np.ndarray, statistic: Statistic) -> np.ndarray:
    """The series on the scale its changes are detected on."""
    array = np.asarray(values, dtype=float)
    if statistic in ("stdev", "range"):
        positive = array[array > 0]
        floor = float(positive.min()) / 2 if positive.size else 1e-12
        return np.log(np.maximum(array, floor))
    if statistic in ("rate", "count"):
        return np.sqrt(np.maximum(array, 0.0))
    return array


def robust_scale(values: np.ndarray) -> tuple[float, float]:
    """Median and MAD; where most values are equal (rare defects: mostly zero) the MAD is
    zero and the mean and standard deviation are used instead (1 if even that is zero)."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return 0.0, 1.0
    center = float(np.median(finite))
    mad = MAD_TO_SD * float(np.median(np.abs(finite - center)))
    if mad > 0:
        return center, mad
    sd = float(np.std(finite))
    return float(np.mean(finite)), sd if sd > 0 else 1.0


def signed_scores(values: np.ndarray, direction: Direction | None) -> np.ndarray:
    """Standard scores, positive in ``direction`` (``up`` when None)."""
    center, scale = robust_scale(values)
    z = (values - center) / scale
    return -z if direction == "down" else z


def characteristic_units(batches: pd.DataFrame, samples: pd.DataFrame,
                         statistic: Statistic) -> pd.DataFrame:
    """Batches with ``y``: the statistic of their samples (batches without one dropped)."""
    stat = batch_statistic(samples, statistic)
    out = batches.merge(stat.rename("y"), left_on="batch_id", right_index=True, how="inner")
    return out.dropna(subset=["y"]).reset_index(drop=True)


def defect_units(batches: pd.DataFrame, counts: pd.DataFrame | None) -> pd.DataFrame:
    """Batches with ``y``: defects of one code (``counts``) or all defectives (None) per
    part produced, and ``defects`` the count itself."""
    out = batches.copy()
    produced = pd.to_numeric(out["qty_produced"], errors="coerce")
    if counts is None:
        found = pd.to_numeric(out["qty_defective"], errors="coerce").fillna(0.0)
    else:
        by_batch = counts.set_index("batch_id")["quantity"]
        found = out["batch_id"].map(by_batch).fillna(0.0).astype(float)
    out["defects"] = found
    out["y"] = np.where(produced > 0, found / produced.where(produced > 0, 1.0), np.nan)
    return out.dropna(subset=["y"]).reset_index(drop=True)
