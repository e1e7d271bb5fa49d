"""Plant units: one shared pint registry, unit spellings normalised, quantities converted.

Databases and people write the same unit many ways ('C', '°C', '℃', '摄氏度'; 'um', 'μm',
'µm', 'micron'; 'Nm', 'N·m'). Every unit is reduced to one canonical short spelling (the
one the reference schema uses: ``g``, ``mm``, ``um``, ``Nm``, ``HRC``, ``%``, ``ppm``,
``degC``...) before pint sees it, so 'C' is Celsius, never coulomb, and 'Nm' is a newton
metre, never pint's "number metre". Hardness scales (HRC, HRB, HV, HB) are units of their
own: they convert to nothing else. Offset units (degC, degF) convert absolute values with
the offset; pass ``delta=True`` to convert a difference (a stdev or range of 2 degC is 2 K).
"""

from __future__ import annotations

import functools
import re
import unicodedata

import pint
from pydantic import BaseModel, Field

from tools.errors import InvalidInput, UnitMismatch

__all__ = [
    "CANONICAL_UNITS",
    "Quantity",
    "convert",
    "dimension_name",
    "is_compatible",
    "normalize_unit",
    "parse_quantity",
    "ureg",
]


def _build_registry() -> pint.UnitRegistry:
    registry: pint.UnitRegistry = pint.UnitRegistry(autoconvert_offset_to_baseunit=False)
    for line in (
        "HRC = [rockwell_c_hardness]",
        "HRB = [rockwell_b_hardness]",
        "HV = [vickers_hardness]",
        "HB = [brinell_hardness]",
        "stroke = [stroke]",
        "spm = stroke / minute",
        "rev = turn",
        "g_per_10min = gram / (10 * minute)",  # melt flow index
    ):
        registry.define(line)
    return registry


ureg: pint.UnitRegistry = _build_registry()
"""The one registry every part of Andon shares (pint quantities only compare within one)."""

# Canonical short spelling -> the pint expression it stands for.
CANONICAL_UNITS: dict[str, str] = {
    "g": "gram", "mg": "milligram", "kg": "kilogram", "t": "metric_ton",
    "um": "micrometer", "mm": "millimeter", "cm": "centimeter", "m": "meter",
    "in": "inch",
    "N": "newton", "kN": "kilonewton", "Nm": "newton * meter", "Ncm": "newton * centimeter",
    "Pa": "pascal", "kPa": "kilopascal", "MPa": "megapascal", "bar": "bar", "mbar": "millibar",
    "psi": "psi",
    "degC": "degree_Celsius", "degF": "degree_Fahrenheit", "K": "kelvin",
    "ms": "millisecond", "s": "second", "min": "minute", "h": "hour", "d": "day",
    "rpm": "revolutions_per_minute", "spm": "spm", "Hz": "hertz",
    "%": "percent", "ppm": "ppm",
    "mm/rev": "millimeter / turn", "g/10min": "g_per_10min", "ml/min": "milliliter / minute",
    "N/mm2": "newton / millimeter ** 2",
    "HRC": "HRC", "HRB": "HRB", "HV": "HV", "HB": "HB",
    "A": "ampere", "V": "volt", "kW": "kilowatt", "W": "watt",
}

# Spellings pint gets wrong or does not know, matched exactly first, then case-folded.
_ALIASES: dict[str, str] = {
    "C": "degC", "°C": "degC", "℃": "degC", "deg C": "degC", "degc": "degC",
    "celsius": "degC", "degree celsius": "degC", "degrees celsius": "degC",
    "°F": "degF", "℉": "degF", "F": "degF", "fahrenheit": "degF",
    "μm": "um", "µm": "um", "micron": "um", "microns": "um", "micrometre": "um",
    "Nm": "Nm", "N·m": "Nm", "N⋅m": "Nm", "N.m": "Nm", "N*m": "Nm", "N m": "Nm",
    "N-m": "Nm", "newton meter": "Nm", "newton metre": "Nm", "newton meters": "Nm",
    "percent": "%", "pct": "%", "per cent": "%",
    "sec": "s", "secs": "s", "seconds": "s", "hr": "h", "hrs": "h", "hours": "h",
    "mins": "min", "minutes": "min", "days": "d",
    "r/min": "rpm", "rev/min": "rpm", "strokes/min": "spm", "strokes per minute": "spm",
    "grams": "g", "gram": "g", "milligrams": "mg", "kilograms": "kg",
    "millimetre": "mm", "millimeters": "mm", "millimetres": "mm",
    "g/10 min": "g/10min", "g/10mins": "g/10min",
}
_FOLDED_ALIASES = {k.casefold(): v for k, v in _ALIASES.items()}
_FOLDED_CANONICAL = {k.casefold(): k for k in CANONICAL_UNITS}
_OFFSET_DELTAS = {"degC": "delta_degC", "degF": "delta_degF"}
_DIMENSION_NAMES = {
    "[mass]": "mass", "[length]": "length", "[temperature]": "temperature", "[time]": "time",
    "[mass] * [length] ** 2 / [time] ** 2": "torque or energy",
    "[mass] * [length] / [time] ** 2": "force",
    "[mass] / [length] / [time] ** 2": "pressure",
    "dimensionless": "a ratio (% or ppm)",
    "1 / [time]": "frequency",
    "[stroke] / [time]": "stroke rate",
    "[rockwell_c_hardness]": "Rockwell C hardness",
    "[rockwell_b_hardness]": "Rockwell B hardness",
    "[vickers_hardness]": "Vickers hardness",
    "[brinell_hardness]": "Brinell hardness",
}
_NUMBER = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(.*?)\s*$")


class Quantity(BaseModel):
    """A number with a unit in its canonical spelling (``None``: no unit was written)."""

    value: float
    unit: str | None = Field(default=None, description="canonical spelling, e.g. 'mg', 'um'")

    def to(self, unit: str, *, delta: bool = False) -> Quantity:
        """The same quantity in another unit; raises ``UnitMismatch`` if incompatible."""
        if self.unit is None:
            raise UnitMismatch(f"{self.value:g} has no unit, so it cannot be converted to {unit}")
        target = normalize_unit(unit)
        return Quantity(value=convert(self.value, self.unit, target, delta=delta), unit=target)

    def __str__(self) -> str:
        return f"{self.value:g}" if self.unit is None else f"{self.value:g} {self.unit}"


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


@functools.lru_cache(maxsize=512)
def normalize_unit(text: str) -> str:
    """The canonical spelling of a unit written any usual way ('C' -> 'degC', 'μm' -> 'um',
    'N·m' -> 'Nm', '毫克' -> 'mg'); raises ``InvalidInput`` for an unknown unit."""
    raw = text.strip()
    cleaned = _clean(raw)
    for candidate in (raw, cleaned):
        if candidate in CANONICAL_UNITS:
            return candidate
        if candidate in _ALIASES:
            return _ALIASES[candidate]
    unit = _pint_unit_or_none(cleaned)
    if unit is not None:
        return _canonical_of(unit)
    folded = cleaned.casefold()
    if folded in _FOLDED_ALIASES:
        return _FOLDED_ALIASES[folded]
    if folded in _FOLDED_CANONICAL:
        return _FOLDED_CANONICAL[folded]
    from_lexicon = _unit_from_lexicon(cleaned)
    if from_lexicon is not None:
        return from_lexicon
    raise InvalidInput(f"unknown unit {text!r}; write units such as g, mg, mm, um, Nm, %, "
                       "ppm, HRC, degC, bar, s")


def _pint_unit_or_none(text: str) -> pint.Unit | None:
    if not text or not re.fullmatch(r"[A-Za-z_µμ°/*·.^ 0-9-]+", text):
        return None
    text = re.sub(r"(?<=[A-Za-z])([23])(?![0-9])", r"^\1", text.replace("·", "*"))
    try:
        return ureg.Unit(text)
    except (pint.errors.PintError, ValueError, TypeError, AttributeError, AssertionError):
        return None


@functools.cache
def _canonical_units() -> list[tuple[str, pint.Unit]]:
    return [(name, ureg.Unit(expr)) for name, expr in CANONICAL_UNITS.items()]


def _canonical_of(unit: pint.Unit) -> str:
    for name, known in _canonical_units():
        if known == unit:
            return name
    return f"{unit:~}".replace("µ", "u").replace("μ", "u").replace(" ", "")


def _unit_from_lexicon(text: str) -> str | None:
    from tools.catalog.lexicon import Lexicon

    for term in Lexicon.load().lookup(text):
        if term.kind == "unit" and term.concept in CANONICAL_UNITS:
            return term.concept
    return None


def pint_unit(unit: str) -> pint.Unit:
    """The registry's unit for any spelling ``normalize_unit`` accepts."""
    return ureg.Unit(CANONICAL_UNITS.get(normalize_unit(unit), normalize_unit(unit)))


def dimension_name(unit: str) -> str:
    """What a unit measures, in words ('mass', 'length', 'Rockwell C hardness'...)."""
    dims = str(pint_unit(unit).dimensionality)
    return _DIMENSION_NAMES.get(dims, dims)


def is_compatible(a: str, b: str) -> bool:
    """True when a quantity in unit ``a`` can be expressed in unit ``b``."""
    return bool(pint_unit(a).is_compatible_with(pint_unit(b)))


def convert(value: float, from_unit: str, to_unit: str, *, delta: bool = False) -> float:
    """``value`` in ``from_unit`` expressed in ``to_unit`` (0.15 g -> 150 mg; 5 um -> 0.005 mm).

    ``delta=True`` converts a difference rather than a reading, which only matters for
    offset scales: a stdev of 2 degC is 2 K and 3.6 degF, while a reading of 2 degC is
    275.15 K. Raises ``UnitMismatch`` when the units measure different things.
    """
    source, target = normalize_unit(from_unit), normalize_unit(to_unit)
    if source == target:
        return float(value)
    if not is_compatible(source, target):
        raise UnitMismatch(
            f"cannot convert {source} to {target}: {source} measures {dimension_name(source)} "
            f"and {target} measures {dimension_name(target)}",
            from_unit=source, to_unit=target)
    src_expr = CANONICAL_UNITS.get(source, source)
    dst_expr = CANONICAL_UNITS.get(target, target)
    if delta:
        src_expr = _OFFSET_DELTAS.get(source, src_expr)
        dst_expr = _OFFSET_DELTAS.get(target, dst_expr)
    return float(ureg.Quantity(float(value), src_expr).to(dst_expr).magnitude)


def parse_quantity(text: str) -> Quantity:
    """A quantity written by a person or stored in a database: '150 mg', '0.15g', '5 μm',
    '12 N·m', '99.5%', '20 °C', '１５０ｍｇ', '0.2毫米'. A bare number has ``unit=None``.
    Raises ``InvalidInput`` if the text is not a number followed by a known unit."""
    cleaned = _clean(text)
    match = _NUMBER.match(cleaned)
    if match is None:
        raise InvalidInput(f"{text!r} is not a quantity such as '150 mg' or '0.2 mm'")
    number, unit_text = match.groups()
    return Quantity(value=float(number), unit=normalize_unit(unit_text) if unit_text else None)
