"""Thresholds in the measure's own unit: "150 mg" for a weight kept in g is 0.15; "2%" of
a rate is 0.02; "5 um" for a diameter in mm is 0.005; "482 F" for a melt temperature in
C is 250. A rate written without % is a fraction when at most 1 and a percentage above.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from tools.catalog import Catalog
from tools.errors import AmbiguousRequest, AndonError, UnitMismatch
from tools.monitors.grounding import measure_units, to_unit
from tools.monitors.reader.signals import SignalReading
from tools.monitors.reader.tokens import Token
from tools.monitors.spec import FRACTION_STATISTICS, UNITLESS_STATISTICS
from tools.units import normalize_unit

_DELTA = frozenset({"stdev", "range"})
_RATE_DIVISORS = {"%": 100.0, "ppm": 1e6}


class Threshold(BaseModel):
    """A threshold in the measure's unit, that unit (None: unitless), and as written."""

    model_config = ConfigDict(frozen=True)

    value: float
    unit: str | None
    written: str


def read_threshold(signal: SignalReading, number: Token, catalog: Catalog,
                   parts: frozenset[str] | None) -> Threshold:
    """The threshold ``number`` means for ``signal`` (see the module docstring)."""
    value = number.value if number.value is not None else 0.0
    written = number.text
    statistic = signal.statistic
    if statistic in FRACTION_STATISTICS:
        if number.unit in _RATE_DIVISORS:
            return Threshold(value=value / _RATE_DIVISORS[number.unit], unit=None,
                             written=written)
        if number.unit is not None:
            raise UnitMismatch(f"the {statistic.replace('_', ' ')} is a share, so "
                               f"'{written}' cannot be its threshold; write a percentage",
                               from_unit=number.unit)
        return Threshold(value=value if abs(value) <= 1 else value / 100, unit=None,
                         written=written)
    if statistic in UNITLESS_STATISTICS:
        if number.unit is not None:
            raise UnitMismatch(f"the {_what(signal)} is a plain number, so '{written}' "
                               "cannot be its threshold", from_unit=number.unit)
        return Threshold(value=value, unit=None, written=written)
    units = measure_units(signal.measure, signal.name, catalog, parts)
    if not units:  # nothing in scope has it: grounding says so precisely
        return Threshold(value=value, unit=number.unit, written=written)
    distinct = sorted({u or "" for u in units.values()})
    if len({_canonical(u) for u in distinct}) > 1:
        readings = [f"{group}: {unit}" for group, unit in sorted(units.items())]
        raise AmbiguousRequest(
            f"{signal.name} is kept in different units ({', '.join(distinct)}) on the parts "
            f"it would watch; name a part", readings=readings)
    target = distinct[0] or None if distinct else None
    converted = to_unit(value, number.unit, target, delta=statistic in _DELTA)
    return Threshold(value=converted, unit=target, written=written)


def _what(signal: SignalReading) -> str:
    if signal.measure == "defect_code":
        return f"number of {signal.name} defects"
    return f"{signal.statistic.replace('_', ' ')} of {signal.name or signal.measure}"


def _canonical(unit: str) -> str:
    try:
        return normalize_unit(unit) if unit else ""
    except AndonError:  # a unit units.py does not know compares as written
        return unit
