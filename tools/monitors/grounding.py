"""Grounding: a monitor spec checked against the plant it will run on.

``ground_spec(spec, catalog)`` accepts a spec from any reader (the deterministic one, an
LLM, a stored monitor) only if every name exists in the catalog: scope ids (a part's name
or an id written without its separators is replaced by the id), characteristics on the
scoped parts, parameters, incoming-inspection characteristics, defect codes. Units become
the catalog's unit of the measure (a threshold written in mg for a characteristic kept in
g is converted); thresholds must be finite and plausible for their statistic. Refusals
are the usual one-sentence errors: ``UnknownPart``, ``UnknownCharacteristic``,
``AmbiguousRequest`` (one characteristic kept in different units on the scoped parts),
``UnitMismatch`` and ``InvalidInput``.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterable

from tools.catalog import Catalog
from tools.catalog.terms import normalize_text
from tools.errors import (
    AmbiguousRequest,
    AndonError,
    InvalidInput,
    UnitMismatch,
    UnknownCharacteristic,
    UnknownPart,
)
from tools.monitors.spec import (
    FRACTION_STATISTICS,
    UNITLESS_STATISTICS,
    Condition,
    MonitorSpec,
    Scope,
    Signal,
)
from tools.units import convert, normalize_unit

_DELTA_STATISTICS = frozenset({"stdev", "range"})
_NON_NEGATIVE = frozenset({"stdev", "range", "count", "qty_defective", "quantity"})


def ground_spec(spec: MonitorSpec, catalog: Catalog) -> MonitorSpec:
    """``spec`` with its names and units made the catalog's; raises if it names anything
    the plant does not have (see the module docstring)."""
    scope = _ground_scope(spec.scope, catalog)
    parts = scoped_parts(scope, catalog) if spec.evaluation_unit != "lot" else None
    if parts is not None and not parts:
        raise UnknownPart("no part of this plant is in the monitor's scope "
                          f"({_describe(scope)})", scope=scope.model_dump(mode="json"))
    conditions = tuple(_ground_condition(c, scope, parts, catalog) for c in spec.conditions)
    return spec.model_copy(update={"scope": scope, "conditions": conditions})


# -- scope ------------------------------------------------------------------------------
def _ground_scope(scope: Scope, catalog: Catalog) -> Scope:
    def ids(pairs: list[tuple[str, str]]) -> Callable[[str], str | None]:
        return lambda text: _id(text, pairs)

    def words(known: list[str]) -> Callable[[str], str | None]:
        return lambda text: _word(text, known)

    named: dict[str, tuple[str, Callable[[str], str | None]]] = {
        "part_ids": ("part", ids([(p.part_id, p.name) for p in catalog.parts])),
        "families": ("family", words(catalog.families())),
        "processes": ("process", words(catalog.processes())),
        "line_ids": ("line", ids([(ln.line_id, ln.name) for ln in catalog.lines])),
        "machine_ids": ("machine", ids([(m.machine_id, m.name) for m in catalog.machines])),
        "tool_ids": ("tool", ids([(t.tool_id, t.name) for t in catalog.tools])),
        "supplier_ids": ("supplier", ids([(s.supplier_id, s.name) for s in catalog.suppliers])),
        "materials": ("material", words([m.name for m in catalog.materials])),
        "shifts": ("shift", words(catalog.shifts)),
    }
    update: dict[str, tuple[str, ...]] = {}
    for field, (kind, find) in named.items():
        values: list[str] = []
        for value in getattr(scope, field):
            found = find(value)
            if found is None:
                suggestions = nearest_names(catalog, kind, value)
                hint = (f" — did you mean {' or '.join(suggestions)}?" if suggestions
                        else "; see 'andon catalog' for the known names")
                raise UnknownPart(f"unknown {kind} {value!r}{hint}", kind=kind,
                                  suggestions=suggestions)
            if found not in values:
                values.append(found)
        update[field] = tuple(values)
    return scope.model_copy(update=update)


def _id(text: str, pairs: list[tuple[str, str]]) -> str | None:
    key = _squash(text)
    for ident, _ in pairs:
        if _squash(ident) == key:
            return ident
    names = [ident for ident, name in pairs if normalize_text(name) == normalize_text(text)]
    return names[0] if len(names) == 1 else None


def _word(text: str, known: Iterable[str]) -> str | None:
    key = normalize_text(text)
    return next((k for k in known if normalize_text(k) == key), None)


def _squash(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def scoped_parts(scope: Scope, catalog: Catalog) -> frozenset[str]:
    """The parts a (batch or week) scope can reach, as far as the catalog tells."""
    parts = {p.part_id: p for p in catalog.parts}
    keep = set(parts)
    if scope.part_ids:
        keep &= set(scope.part_ids)
    if scope.families:
        keep &= {k for k, p in parts.items() if p.family in scope.families}
    if scope.processes:
        keep &= {k for k, p in parts.items() if set(p.processes) & set(scope.processes)}
    if scope.line_ids:
        keep &= {k for k, p in parts.items() if set(p.line_ids) & set(scope.line_ids)}
    if scope.machine_ids:
        lines = {m.line_id for m in catalog.machines if m.machine_id in scope.machine_ids}
        keep &= {k for k, p in parts.items() if set(p.line_ids) & lines}
    if scope.tool_ids:
        owners = {t.part_id for t in catalog.tools if t.tool_id in scope.tool_ids}
        if None not in owners:
            keep &= {o for o in owners if o}
    if scope.supplier_ids:
        materials = {m for s in catalog.suppliers if s.supplier_id in scope.supplier_ids
                     for m in s.materials}
        keep &= {k for k, p in parts.items() if p.material in materials}
    if scope.materials:
        keep &= {k for k, p in parts.items() if p.material in scope.materials}
    return frozenset(keep)


def _describe(scope: Scope) -> str:
    return "; ".join(f"{field.replace('_ids', '').replace('_', ' ')}: {', '.join(values)}"
                     for field, values in scope.model_dump().items() if values)


# -- signals ---------------------------------------------------------------------------
def measure_units(measure: str, name: str | None, catalog: Catalog,
                  parts: frozenset[str] | None) -> dict[str, str | None]:
    """The catalog's unit of a measure, per group that has it (part id, or the name itself
    for parameters and inspections); empty if nothing in scope has it."""
    if measure == "characteristic":
        return {c.part_id: c.unit for c in catalog.characteristics
                if c.name == name and (parts is None or c.part_id in parts)}
    if measure == "parameter":
        return {p.name: p.unit for p in catalog.parameters if p.name == name
                and (parts is None or not p.part_ids or bool(set(p.part_ids) & parts))}
    if measure == "incoming":
        return {i.name: i.unit for i in catalog.inspection_characteristics if i.name == name}
    return {}


def _ground_condition(condition: Condition, scope: Scope, parts: frozenset[str] | None,
                      catalog: Catalog) -> Condition:
    signal = _ground_name(condition.signal, scope, parts, catalog)
    threshold = condition.threshold
    if not math.isfinite(threshold):
        raise InvalidInput(f"the threshold of {signal.name or signal.statistic} must be a "
                           "finite number")
    unit: str | None = None
    if signal.statistic in UNITLESS_STATISTICS:
        if signal.unit is not None:
            raise InvalidInput(f"{signal.statistic.replace('_', ' ')} takes no unit "
                               f"(got {signal.unit!r}); write rates as fractions (2% = 0.02)")
    else:
        units = set(measure_units(signal.measure, signal.name, catalog, parts).values())
        if len({_canonical(u) for u in units}) > 1:
            readings = sorted(f"{u}" for u in units if u)
            raise AmbiguousRequest(
                f"{signal.name} is kept in different units on the parts in scope "
                f"({', '.join(readings)}); name one part", readings=readings)
        unit = units.pop() if units else None
        threshold = to_unit(threshold, signal.unit, unit,
                            delta=signal.statistic in _DELTA_STATISTICS)
    _check_plausible(signal, threshold)
    return condition.model_copy(update={"signal": signal.model_copy(update={"unit": unit}),
                                        "threshold": threshold})


def _ground_name(signal: Signal, scope: Scope, parts: frozenset[str] | None,
                 catalog: Catalog) -> Signal:
    if signal.name is None:
        return signal
    name = signal.name
    if signal.measure == "characteristic":
        found = _word(name, catalog.characteristic_names())
        if found is None:
            suggestions = nearest_names(catalog, "characteristic", name)
            raise UnknownCharacteristic(_unknown("characteristic", name, suggestions,
                                                 catalog.characteristic_names()),
                                        suggestions=suggestions)
        signal = signal.model_copy(update={"name": found})
        if not measure_units(signal.measure, signal.name, catalog, parts):
            have = sorted({c.name for c in catalog.characteristics
                           if parts is None or c.part_id in parts})
            owners = sorted({c.part_id for c in catalog.characteristics if c.name == found})
            raise UnknownCharacteristic(
                f"no part in the monitor's scope has a characteristic {found!r} (it is "
                f"measured on {', '.join(owners)}); the scoped parts have "
                f"{', '.join(have) or 'none'}", suggestions=have[:5])
        return signal
    known = {"parameter": [p.name for p in catalog.parameters],
             "incoming": [i.name for i in catalog.inspection_characteristics],
             "defect_code": [d.code for d in catalog.defect_codes]}[signal.measure]
    kind = {"parameter": "parameter", "incoming": "inspection_characteristic",
            "defect_code": "defect_code"}[signal.measure]
    found = _word(name, known)
    if found is None:
        suggestions = nearest_names(catalog, kind, name)
        raise UnknownCharacteristic(_unknown(kind.replace("_", " "), name, suggestions, known),
                                    suggestions=suggestions)
    signal = signal.model_copy(update={"name": found})
    if signal.measure == "parameter" and not measure_units("parameter", found, catalog,
                                                               parts):
        raise UnknownCharacteristic(f"no part in the monitor's scope records the process "
                                    f"parameter {found!r}", suggestions=[])
    if signal.measure == "incoming" and scope.supplier_ids:
        checked = next(i for i in catalog.inspection_characteristics if i.name == found)
        if checked.supplier_ids and not set(checked.supplier_ids) & set(scope.supplier_ids):
            raise UnknownCharacteristic(
                f"{found} is not inspected on lots of {', '.join(scope.supplier_ids)} (it is "
                f"on lots of {', '.join(checked.supplier_ids)})", suggestions=[])
    return signal


def nearest_names(catalog: Catalog, kind: str, text: str, limit: int = 3) -> list[str]:
    """The known names of ``kind`` nearest to ``text``: ``catalog.suggest``, or, when
    nothing is that close, the least far ones ("VX-9999" -> "VX-1001")."""
    close = catalog.suggest(kind, text, limit)
    if close:
        return close
    by_norm: dict[str, str] = {}
    for name in catalog.names(kind):
        by_norm.setdefault(normalize_text(name), name)
    far = difflib.get_close_matches(normalize_text(text), list(by_norm), n=limit, cutoff=0.3)
    return [by_norm[n] for n in far]


def _unknown(kind: str, name: str, suggestions: list[str], known: Iterable[str]) -> str:
    if suggestions:
        return f"unknown {kind} {name!r} — did you mean {' or '.join(suggestions)}?"
    listed = sorted(known)
    return (f"unknown {kind} {name!r}; this plant has "
            f"{', '.join(listed[:8]) + (' ...' if len(listed) > 8 else '') or 'none'}")


# -- units and thresholds -------------------------------------------------------------
def _canonical(unit: str | None) -> str | None:
    if unit is None:
        return None
    try:
        return normalize_unit(unit)
    except AndonError:
        return unit


def to_unit(value: float, written: str | None, target: str | None, *, delta: bool) -> float:
    """``value`` written in ``written`` expressed in the catalog's ``target`` unit (no
    unit written: already in it). Raises ``UnitMismatch`` when they cannot convert."""
    if written is None or _canonical(written) == _canonical(target):
        return value
    if target is None:
        raise UnitMismatch(f"{value:g} {written} has a unit but the measure has none",
                           from_unit=written)
    return convert(value, _canonical(written) or written, _canonical(target) or target,
                   delta=delta)


def _check_plausible(signal: Signal, threshold: float) -> None:
    what = signal.name or signal.statistic.replace("_", " ")
    statistic = signal.statistic
    if statistic in FRACTION_STATISTICS and statistic != "relative_change" \
            and not 0 <= threshold <= 1:
        raise InvalidInput(f"the {statistic.replace('_', ' ')} threshold of {what} must be "
                           f"a fraction between 0 and 1 (2% is 0.02), not {threshold:g}")
    if (statistic in _NON_NEGATIVE or statistic == "relative_change") and threshold < 0:
        raise InvalidInput(f"the {statistic.replace('_', ' ')} of {what} is never negative, "
                           f"so a threshold of {threshold:g} cannot be meant")
