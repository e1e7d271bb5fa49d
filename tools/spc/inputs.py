"""Turning what a caller passes (lists, arrays, CSV columns) into checked float arrays.

Every refusal is an ``InvalidInput`` naming the offending position (1-based), so a CLI
user learns which row of the CSV is wrong.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from tools.errors import InvalidInput

FloatArray = NDArray[np.float64]


def _numeric(flat: Sequence[Any] | np.ndarray, what: str) -> FloatArray:
    try:
        return np.asarray(flat, dtype=float)
    except (TypeError, ValueError):
        series = pd.Series(list(np.asarray(flat, dtype=object).ravel()), dtype=object)
        coerced = pd.to_numeric(series, errors="coerce")
        bad = np.flatnonzero(coerced.isna().to_numpy() & series.notna().to_numpy())
        first = int(bad[0]) if bad.size else 0
        raise InvalidInput(f"{what}: value {first + 1} ({series.iloc[first]!r}) is not a "
                           "number", position=first + 1) from None


def as_values(values: Any, what: str = "values", allow_nan: bool = False) -> FloatArray:
    """A 1-D float array; NaN/inf refused unless ``allow_nan`` (then only NaN passes)."""
    if isinstance(values, (str, bytes)):
        raise InvalidInput(f"{what} must be a list of numbers, not text")
    arr = _numeric(values, what)
    if arr.ndim != 1:
        raise InvalidInput(f"{what} must be one list of numbers (got {arr.ndim} dimensions)")
    bad = ~np.isfinite(arr) if not allow_nan else np.isinf(arr)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise InvalidInput(f"{what}: value {first + 1} is missing or not finite",
                           position=first + 1)
    return arr


def as_subgroups(subgroups: Any, what: str = "subgroups") -> FloatArray:
    """An (m × n) float array, NaN marking missing observations; ragged lists are padded."""
    if isinstance(subgroups, np.ndarray) and subgroups.ndim == 2:
        arr = _numeric(subgroups, what)
    else:
        rows = [np.atleast_1d(_numeric(row, f"{what} row {i + 1}"))
                for i, row in enumerate(subgroups)]
        if not rows:
            raise InvalidInput(f"{what} is empty")
        width = max(r.size for r in rows)
        arr = np.full((len(rows), width), np.nan)
        for i, row in enumerate(rows):
            arr[i, :row.size] = row
    if arr.ndim != 2:
        raise InvalidInput(f"{what} must be a table: one row of observations per subgroup")
    if np.isinf(arr).any():
        raise InvalidInput(f"{what} hold an infinite value")
    empty = np.flatnonzero(np.isnan(arr).all(axis=1))
    if empty.size:
        raise InvalidInput(f"{what}: subgroup {int(empty[0]) + 1} has no observation",
                           position=int(empty[0]) + 1)
    return arr


def group_by_label(values: Any, labels: Sequence[Hashable],
                   what: str = "values") -> tuple[FloatArray, list[Hashable]]:
    """Rows of ``values`` grouped by ``labels`` into subgroups, in the order labels first
    appear: an (m × n) array for 1-D values, (m × n × p) for rows of p variables."""
    arr = _numeric(values, what)
    if arr.ndim not in (1, 2):
        raise InvalidInput(f"{what} must be a column or a table of columns")
    if len(labels) != arr.shape[0]:
        raise InvalidInput(f"{len(labels)} subgroup labels for {arr.shape[0]} values")
    codes, uniques = pd.factorize(pd.Series(list(labels), dtype=object), sort=False)
    if (codes < 0).any():
        first = int(np.flatnonzero(codes < 0)[0])
        raise InvalidInput(f"subgroup label {first + 1} is missing", position=first + 1)
    slot = pd.Series(codes).groupby(codes).cumcount().to_numpy()
    width = int(slot.max()) + 1
    shape = (len(uniques), width, *arr.shape[1:])
    out = np.full(shape, np.nan)
    out[codes, slot] = arr
    return out, list(uniques)


def as_sizes(sizes: Any, m: int, what: str = "sizes") -> FloatArray:
    """One positive sample size per subgroup (a single number is repeated)."""
    if sizes is None:
        raise InvalidInput(f"this chart needs {what}: the sample size of each subgroup")
    arr = np.atleast_1d(_numeric(sizes, what)).astype(float)
    if arr.size == 1:
        arr = np.repeat(arr, m)
    if arr.ndim != 1 or arr.size != m:
        raise InvalidInput(f"{arr.size} {what} for {m} subgroups")
    if not np.all(np.isfinite(arr)) or (arr <= 0).any():
        first = int(np.flatnonzero(~np.isfinite(arr) | (arr <= 0))[0])
        raise InvalidInput(f"{what}: size {first + 1} must be a positive number",
                           position=first + 1)
    return arr


def as_multivariate(values: Any, what: str = "values") -> FloatArray:
    """(m × p) individual observations or (m × n × p) subgroups of p variables."""
    arr = _numeric(values, what)
    if arr.ndim not in (2, 3):
        raise InvalidInput(f"{what} for a T² chart must be rows × variables or "
                           "subgroups × observations × variables")
    if not np.all(np.isfinite(arr)):
        raise InvalidInput(f"{what}: a T² chart needs complete observations (no missing "
                           "values)")
    return arr if arr.ndim == 3 else arr[:, None, :]


def check_positions(points: Sequence[int], limit: int, what: str) -> list[int]:
    """1-based subgroup numbers within 1..limit, sorted and without repeats."""
    out: list[int] = []
    for p in points:
        if isinstance(p, bool) or not isinstance(p, (int, np.integer)) or not 1 <= p <= limit:
            raise InvalidInput(f"{what}: {p!r} is not a subgroup number from 1 to {limit}")
        out.append(int(p))
    return sorted(set(out))


def phase_one(baseline: int | None, exclude: Sequence[int], m: int,
              frozen: bool) -> tuple[int, list[int], NDArray[np.bool_]]:
    """(number of phase-I subgroups, excluded subgroups, mask of the subgroups that
    estimate the limits). With approved (frozen) limits there is no phase I."""
    if frozen:
        return 0, [], np.zeros(m, dtype=bool)
    if baseline is None:
        phase1 = m
    elif isinstance(baseline, bool) or not isinstance(baseline, (int, np.integer)) \
            or not 1 <= baseline <= m:
        raise InvalidInput(f"baseline must be a number of subgroups from 1 to {m}, not "
                           f"{baseline!r}")
    else:
        phase1 = int(baseline)
    excluded = check_positions(exclude, phase1, "exclude")
    use = np.zeros(m, dtype=bool)
    use[:phase1] = True
    use[np.asarray(excluded, dtype=int) - 1] = False
    return phase1, excluded, use
