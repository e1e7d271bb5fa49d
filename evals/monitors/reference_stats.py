"""Statistics of one unit, or pooled over several units, exactly as docs/monitors.md says.

Every function takes the *inputs* of the units in a window (one unit for ``single``,
``consecutive`` and ``k_of_n``; n units for ``rolling``; the units of a time span for
``time``) and returns a float, or None where the statistic is NULL. The input of one unit
depends on its measure:

- characteristic: the batch's samples (a float array, possibly empty);
- batch: ``(qty_defective, qty_produced)``;
- defect_code: the summed quantity of the code in the batch (0 without a defect);
- parameter: the batch's value (None without one);
- incoming: ``LotInput`` (mean value, passes, inspections);
- complaints: the week's count.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tools.errors import InvalidInput


@dataclass(frozen=True)
class Limits:
    """A characteristic's specification limits (None: no limit on that side)."""

    lsl: float | None = None
    usl: float | None = None


@dataclass(frozen=True)
class LotInput:
    """One material lot's inspections of the signal's characteristic."""

    value: float | None
    passes: int
    inspections: int


def _finite(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) or math.isinf(value) else float(value)


def sample_statistic(statistic: str, samples: np.ndarray, limits: Limits) -> float | None:
    """A characteristic statistic over samples (one batch's, or several pooled)."""
    n = len(samples)
    if statistic == "count":
        return float(n)
    if n == 0:
        return None
    if statistic == "mean":
        return float(np.mean(samples))
    if statistic == "stdev":
        return float(np.std(samples, ddof=1)) if n >= 2 else None
    if statistic == "range":
        return float(np.max(samples) - np.min(samples))
    if statistic == "min":
        return float(np.min(samples))
    if statistic == "max":
        return float(np.max(samples))
    if statistic == "median":
        return float(np.median(samples))
    if statistic == "out_of_spec_rate":
        below = samples < limits.lsl if limits.lsl is not None else np.zeros(n, dtype=bool)
        above = samples > limits.usl if limits.usl is not None else np.zeros(n, dtype=bool)
        return float(np.count_nonzero(below | above)) / n
    if statistic == "cpk":
        return _cpk(samples, limits)
    raise InvalidInput(f"{statistic} is not a characteristic statistic")


def _cpk(samples: np.ndarray, limits: Limits) -> float | None:
    if len(samples) < 2 or (limits.lsl is None and limits.usl is None):
        return None
    mean = float(np.mean(samples))
    sd = float(np.std(samples, ddof=1))
    if sd == 0:
        return None
    sides = []
    if limits.usl is not None:
        sides.append(limits.usl - mean)
    if limits.lsl is not None:
        sides.append(mean - limits.lsl)
    return min(sides) / (3 * sd)


def _ratio(numerator: float, denominator: float) -> float | None:
    return None if denominator == 0 else numerator / denominator


def pooled_statistic(measure: str, statistic: str, inputs: Sequence[Any],
                     limits: Limits | None = None) -> float | None:
    """The statistic over the inputs of the units in a window (a list of one for a unit)."""
    if not inputs:
        return None
    if measure == "characteristic":
        samples = np.concatenate([np.asarray(x, dtype=float) for x in inputs])
        return _finite(sample_statistic(statistic, samples, limits or Limits()))
    if measure == "batch":
        defective = float(sum(x[0] for x in inputs))
        produced = float(sum(x[1] for x in inputs))
        if statistic == "qty_defective":
            return defective
        rate = _ratio(defective, produced)
        if rate is None:
            return None
        return rate if statistic == "defect_rate" else 1.0 - rate
    if measure in ("defect_code", "complaints"):
        return float(sum(inputs))
    if measure == "parameter":
        return _single(inputs, statistic)
    if measure == "incoming":
        if statistic == "pass_rate":
            return _ratio(float(sum(x.passes for x in inputs)),
                          float(sum(x.inspections for x in inputs)))
        lot = _single(inputs, statistic)
        return None if lot is None else lot.value
    raise InvalidInput(f"unknown measure {measure}")


def _single(inputs: Sequence[Any], statistic: str) -> Any:
    if len(inputs) != 1:
        raise InvalidInput(f"{statistic} cannot be pooled over a window")
    return inputs[0]


def relative_changes(values: Sequence[float | None], previous: int = 5) -> list[float | None]:
    """|v - m| / |m| for each lot, m being the mean of the non-NULL values of the
    ``previous`` lots before it; NULL until that many lots exist, when v is NULL, or
    when m is NULL or 0."""
    out: list[float | None] = []
    for i, value in enumerate(values):
        if i < previous or value is None:
            out.append(None)
            continue
        before = [v for v in values[i - previous:i] if v is not None]
        if not before:
            out.append(None)
            continue
        reference = float(np.mean(before))
        out.append(None if reference == 0 else abs(value - reference) / abs(reference))
    return out
