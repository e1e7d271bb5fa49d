"""Signals: which measure, which statistic, of what ("weight stdev", "重量标准差",
"flash defects", "supplier pass rate", "melt temp", "weekly complaints"...).

A name is read through the lexicon and kept only if the plant has it: a characteristic of
some part, a process parameter, an incoming-inspection characteristic or a recorded
defect code. A name with readings of several measures is settled by the request's
context (see ``context.py``); several names of one measure with no way to choose are
refused as ambiguous, naming them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from tools.catalog.terms import normalize_text
from tools.errors import AmbiguousRequest, InvalidInput
from tools.monitors.reader.context import RequestContext
from tools.monitors.reader.index import CatalogIndex
from tools.monitors.reader.tokens import Token
from tools.monitors.spec import STATISTICS_BY_MEASURE, Comparator

NAME_KINDS = ("characteristic", "parameter", "inspection_characteristic", "defect")
_PRIORITY = ("relative_change", "pass_rate", "cpk", "out_of_spec_rate", "stdev", "range",
             "median", "min", "max", "count", "mean", "defect_rate", "yield", "qty_defective")
_SAMPLE_ONLY = frozenset({"cpk", "out_of_spec_rate", "range", "median", "min", "max", "count"})
_PARAMETER_OK = frozenset({"mean", "median", "min", "max"})
_MEASURES_OF_KIND = {"characteristic": ("characteristic", "incoming"),
                     "inspection_characteristic": ("incoming", "characteristic"),
                     "parameter": ("parameter",), "defect": ("defect_code",)}
_MEASURE_WORDS = {"characteristic": "characteristic", "parameter": "process parameter",
                  "incoming": "incoming inspection", "defect_code": "defect code"}


class SignalReading(BaseModel):
    """A measure, statistic and name (None for batch quantities and complaints)."""

    model_config = ConfigDict(frozen=True)

    measure: str
    statistic: str
    name: str | None = None
    said: str = ""


class Cues(BaseModel):
    """Clues in one condition's stretch of the request."""

    model_config = ConfigDict(frozen=True)

    extreme: bool = False
    out_of_spec: bool = False
    complaint: bool = False
    change: bool = False  # says "change" / "变化" (of a relative-change condition)


def name_options(token: Token, index: CatalogIndex) -> set[tuple[str, str]]:
    """The (measure, name) readings of a name token that the plant has."""
    options: set[tuple[str, str]] = set()
    for term in token.terms:
        for measure in _MEASURES_OF_KIND.get(term.kind, ()):
            name = index.catalog_name(measure, term.concept)
            if name is not None:
                options.add((measure, name))
    written = normalize_text(token.text)
    measures = {m for m, _ in options} or {m for t in token.terms
                                           for m in _MEASURES_OF_KIND.get(t.kind, ())}
    for measure in measures:  # a generic head ("转速", "thickness") of longer names
        options |= {(measure, n) for n in index.generic_heads[measure].get(written, ())}
    if not options and " " in normalize_text(token.text):
        head = normalize_text(token.text).split(" ")[-1]
        for term in index.lexicon.lookup(head):
            if term.kind in NAME_KINDS:
                options |= name_options(token.model_copy(update={"terms": (term,),
                                                                 "text": head}), index)
    return options


def is_name(token: Token) -> bool:
    return any(token.has(kind) for kind in NAME_KINDS)


def read_signals(region: list[Token], cues: Cues, context: RequestContext,
                 index: CatalogIndex, comparator: Comparator,
                 scoped_parts: frozenset[str] | None) -> list[SignalReading]:
    """The signals one condition is about (several when it names several things: "weight
    or length"); empty when the stretch names none (the caller may inherit one)."""
    stats = [c for t in region for c in t.concepts("statistic")]
    named = [(t, name_options(t, index)) for t in region if is_name(t)]
    known = [(t, o) for t, o in named if o]
    if any(m != "defect_code" for _, o in known for m, _ in o):  # a defect word beside a
        known = [(t, o) for t, o in known  # characteristic is not a second signal
                 if any(m != "defect_code" for m, _ in o)]
    readings: list[SignalReading] = []
    for token, options in known:
        measure, name = _settle(token, options, stats, cues, context, scoped_parts, index)
        statistic = _statistic(measure, stats, cues, context, comparator)
        reading = SignalReading(measure=measure, statistic=statistic, name=name,
                                said=token.text)
        if not any(_same_signal(reading, r) for r in readings):  # one name said twice
            readings.append(reading)
    if readings:
        return readings
    unnamed = _unnamed(stats, cues, context, region)
    return [unnamed] if unnamed else []


def _same_signal(a: SignalReading, b: SignalReading) -> bool:
    return (a.measure, a.statistic, a.name) == (b.measure, b.statistic, b.name)


def restate(previous: SignalReading, region: list[Token], cues: Cues,
            context: RequestContext, comparator: Comparator) -> SignalReading:
    """The previous condition's signal, with this stretch's statistic if it names one
    ("mean weight above 43 g or stdev above 0.2 g")."""
    stats = [c for t in region for c in t.concepts("statistic")]
    if previous.measure == "incoming" and context.relative and cues.change and not stats:
        return previous.model_copy(update={"statistic": "relative_change"})
    if not stats and not cues.extreme and not cues.out_of_spec:
        return previous
    statistic = _statistic(previous.measure, stats, cues, context, comparator)
    return previous.model_copy(update={"statistic": statistic})


def _settle(token: Token, options: set[tuple[str, str]], stats: list[str], cues: Cues,
            context: RequestContext, scoped_parts: frozenset[str] | None,
            index: CatalogIndex) -> tuple[str, str]:
    if scoped_parts:  # names of one measure narrowed to the scoped parts' (the measure
        narrowed: set[tuple[str, str]] = set()  # itself is for the context to settle)
        for measure in {m for m, _ in options}:
            same = {(m, n) for m, n in options if m == measure}
            narrowed |= {(m, n) for m, n in same if _on_parts(m, n, scoped_parts, index)} \
                or same
        options = narrowed
    measures = {m for m, _ in options}
    if {"characteristic", "incoming"} <= measures:
        measures = {_product_or_incoming(token, options, stats, cues, context)}
    if len(measures) > 1:
        measures = {_pick_measure(measures, stats, context)}
    measure = measures.pop()
    names = sorted(n for m, n in options if m == measure)
    if len(names) > 1:
        written = normalize_text(token.text)
        exact = [n for n in names if normalize_text(n) == written]
        if len(exact) == 1:
            return measure, exact[0]
        raise AmbiguousRequest(
            f"'{token.text}' can mean the {_MEASURE_WORDS[measure]}s "
            f"{' or '.join(names)}; name the one to watch", readings=names)
    return measure, names[0]


def _on_parts(measure: str, name: str, parts: frozenset[str], index: CatalogIndex) -> bool:
    if measure == "characteristic":
        return bool(set(index.characteristic_units.get(name, {})) & parts)
    if measure == "parameter":
        return bool(set(index.parameter_parts.get(name, ())) & parts)
    return True


def _product_or_incoming(token: Token, options: set[tuple[str, str]], stats: list[str],
                         cues: Cues, context: RequestContext) -> str:
    """A name that is both a characteristic of parts and an incoming-inspection item
    ("hardness", "厚度"): incoming clues read the lots, a part, line, batch or a statistic
    only samples have read the parts; with neither, the reader asks."""
    if context.lots_meant or {"pass_rate", "relative_change"} & set(stats):
        return "incoming"
    if context.batch_scope or context.batch_word or cues.extreme or cues.out_of_spec \
            or _SAMPLE_ONLY & set(stats):
        return "characteristic"
    product = sorted(n for m, n in options if m == "characteristic")
    incoming = sorted(n for m, n in options if m == "incoming")
    readings = [f"{' or '.join(product)} of the parts' batches",
                f"{' or '.join(incoming)} of incoming material lots"]
    raise AmbiguousRequest(
        f"'{token.text}' is measured both on parts and on incoming material lots; say which "
        f"(e.g. name a part, or say 'incoming')", readings=readings)


def _pick_measure(measures: set[str], stats: list[str], context: RequestContext) -> str:
    if "incoming" in measures and (context.lots_meant or {"pass_rate", "relative_change"}
                                   & set(stats)):
        return "incoming"
    if "defect_code" in measures and (context.defect_word or "count" in stats):
        return "defect_code"
    for measure in ("characteristic", "parameter", "incoming", "defect_code"):
        if measure in measures:
            return measure
    raise AssertionError("no measure")  # pragma: no cover - measures is never empty


def _statistic(measure: str, stats: list[str], cues: Cues, context: RequestContext,
               comparator: Comparator) -> str:
    allowed = STATISTICS_BY_MEASURE[measure]
    if measure == "incoming":
        if "relative_change" in stats or context.relative or "stdev" in stats:
            return "relative_change"
        if {"pass_rate", "yield"} & set(stats):
            return "pass_rate"
        return "value"
    if measure == "parameter":
        odd = [s for s in stats if s not in _PARAMETER_OK]
        if odd:
            raise InvalidInput(f"a process parameter has one value per batch, so its "
                               f"{odd[0].replace('_', ' ')} cannot be watched; watch its "
                               "value instead")
        return "value"
    if measure == "defect_code":
        return "quantity"
    chosen = [s for s in _PRIORITY if s in stats and s in allowed]
    if chosen:
        return chosen[0]
    if cues.out_of_spec:
        return "out_of_spec_rate"
    if cues.extreme:
        return "max" if comparator in (">", ">=") else "min"
    return "mean"


def _unnamed(stats: list[str], cues: Cues, context: RequestContext,
             region: list[Token]) -> SignalReading | None:
    """A signal with no name: complaints, batch quantities, the pass rate of lots."""
    said = " ".join(t.text for t in region if t.has("statistic"))
    if cues.complaint or (context.complaint and not stats):
        return SignalReading(measure="complaints", statistic="count", said="complaints")
    rates = set(stats)
    if rates & {"yield", "pass_rate"}:
        return _yield_or_pass_rate(rates, context, said)
    for statistic in ("defect_rate", "qty_defective"):
        if statistic in rates:
            return SignalReading(measure="batch", statistic=statistic, said=said)
    if "out_of_spec_rate" in rates:
        return SignalReading(measure="batch", statistic="defect_rate", said=said)
    if context.defect_word and (not stats or "count" in rates):
        return SignalReading(measure="batch", statistic="qty_defective", said="defects")
    return None


def _yield_or_pass_rate(rates: set[str], context: RequestContext, said: str) -> SignalReading:
    lots, batches = context.lots_meant, context.batch_scope and not context.incoming
    if "pass_rate" in rates and "yield" not in rates:
        batches = batches and not context.supplier
        lots = not batches
    elif "yield" in rates and "pass_rate" not in rates:
        lots = context.incoming
        batches = not lots
    if lots and not batches:
        return SignalReading(measure="incoming", statistic="pass_rate", said=said)
    if batches and not lots:
        return SignalReading(measure="batch", statistic="yield", said=said)
    raise AmbiguousRequest(
        f"'{said}' can mean the yield of production batches or the pass rate of incoming "
        "lots; say which (e.g. 'yield of P-100 batches' or 'incoming pass rate')",
        readings=["yield of production batches", "pass rate of incoming lots"])
