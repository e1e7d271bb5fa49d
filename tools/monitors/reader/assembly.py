"""``read_monitor``: a request in English or Chinese read into a grounded ``MonitorSpec``.

The steps, each in its own module: normalise (numbers.py) and correct typos (names.py);
cut into tokens (tokens.py); take out what is not a condition: a relative-change
baseline, evidence and other actions (actions.py), the window (windows.py); read the
scope (scope.py) and the comparisons (comparators.py); read one condition per comparison
(conditions.py, signals.py, quantities.py); check the spec against the catalog
(grounding.py) and echo it back (understood.py).
"""

from __future__ import annotations

import re

from pydantic import ValidationError

from tools.catalog import Catalog, Lexicon, Term
from tools.catalog.terms import language_of
from tools.errors import AmbiguousRequest, AndonError, InvalidInput, NotAMonitorRequest
from tools.monitors.alerts import Reading
from tools.monitors.grounding import ground_spec, scoped_parts
from tools.monitors.reader.actions import read_actions, read_evidence
from tools.monitors.reader.comparators import Comparison, find_comparisons
from tools.monitors.reader.conditions import read_conditions
from tools.monitors.reader.context import RequestContext, read_context
from tools.monitors.reader.index import CatalogIndex, catalog_index
from tools.monitors.reader.intent import (
    refuse_questions,
    refuse_unknown_chinese_names,
    refuse_without_condition,
)
from tools.monitors.reader.names import correct_spelling
from tools.monitors.reader.numbers import normalize_request
from tools.monitors.reader.scope import fit_scope, read_scope
from tools.monitors.reader.signals import Cues, name_options, read_signals
from tools.monitors.reader.spc_reading import is_spc_request, read_spc
from tools.monitors.reader.tokens import ENTITY_KINDS, Token, scan
from tools.monitors.reader.typos_zh import correct_chinese
from tools.monitors.reader.unknown_names import refuse_unknown_entity_names
from tools.monitors.reader.vocabulary import load_vocabulary
from tools.monitors.reader.windows import WindowReading, mask, read_window
from tools.monitors.spc_understood import explain_spc
from tools.monitors.spec import Language, MonitorSpec, Window
from tools.monitors.understood import explain_spec

_MAX_LENGTH = 2000
_WEEKS = re.compile(r"weeks?|周|星期", re.IGNORECASE)
RELATIVE_LOTS = 5


def read_monitor(text: str, catalog: Catalog, *, lexicon: Lexicon | None = None) -> Reading:
    """Read a monitoring request ("alert when weight stdev > 0.15g over 5 batches",
    "当注塑件重量标准差连续5批>0.15g时通知工艺工程师") into a typed monitor grounded in
    ``catalog``, with a plain-language echo of the reading in the request's language.

    Deterministic and offline. Refuses, with one sentence, text that is not a monitor
    (``NotAMonitorRequest``), names the plant does not have (``UnknownCharacteristic``,
    ``UnknownPart``, with the nearest names in ``details['suggestions']``) and requests
    with competing readings (``AmbiguousRequest``, naming them in ``details['readings']``).
    A request that names a control chart or a run rule ("any Nelson rule on the X-bar
    chart of diameter") becomes an ``SpcMonitorSpec`` (spc_reading.py).
    """
    if not text or not text.strip():
        raise NotAMonitorRequest("the request is empty; describe what to watch, e.g. "
                                 "'alert when weight stdev > 0.15 g over 5 batches'")
    if len(text) > _MAX_LENGTH:
        raise InvalidInput(f"the request is {len(text)} characters long; keep it under "
                           f"{_MAX_LENGTH}")
    index = catalog_index(catalog, lexicon)
    working = correct_chinese(correct_spelling(normalize_request(text), index), index)
    refuse_questions(working)
    tokens = scan(working, index)
    language = _language(working, tokens)
    addresses = [(t.start, t.end) for t in tokens if t.kind in ("channel", "email")]
    if is_spc_request(mask(working, addresses)):
        spc = read_spc(working, tokens, index, catalog, language)
        return Reading(request=text, understood=explain_spc(spc, catalog, language), spec=spc)
    spec = ground_spec(_read(working, tokens, index, catalog, language), catalog)
    return Reading(request=text, understood=explain_spec(spec, catalog, language), spec=spec)


def _language(text: str, tokens: list[Token]) -> Language:
    """Chinese when Chinese is written outside the plant's own names (an English request
    about a part called 阀杆 stays English)."""
    names = [(t.start, t.end) for t in tokens if any(term.kind in ENTITY_KINDS
                                                     for term in t.terms)]
    return language_of(mask(text, names))


def _read(text: str, tokens: list[Token], index: CatalogIndex, catalog: Catalog,
          language: Language) -> MonitorSpec:
    baseline = _relative_baseline(text)
    working = mask(text, baseline)
    evidence = read_evidence(working, tokens)
    working = mask(working, evidence.spans)
    window = read_window(working)
    working = mask(working, window.spans)
    free = [t for t in tokens if not t.inside([*baseline, *evidence.spans, *window.spans])]
    actions = read_actions(working, free)
    working = mask(working, actions.spans)
    free = [t for t in free if not t.inside(actions.spans)]
    refuse_unknown_entity_names(working, free, index, catalog)
    refuse_unknown_chinese_names(working, free, catalog)
    context = read_context(mask(text, [*evidence.spans, *actions.spans]), free,
                           relative=bool(baseline))
    scope = read_scope(working, free, index, catalog)
    free = [t for t in free if not t.inside(scope.spans)]
    parts = scoped_parts(scope.scope(), catalog) if scope.names_parts else None
    comparisons = find_comparisons(working, free)
    if not comparisons:
        comparisons, implied = _implied(working, free, context, index)
        free = sorted([*free, *implied], key=lambda t: t.start)
    conditions = read_conditions(working, free, comparisons, context, index, catalog, parts)
    _refuse_stray_numbers(working, free, comparisons)
    unit = conditions.conditions[0].signal.evaluation_unit
    spec_window = _fit_window(window, conditions.conditions[0].signal.measure, context)
    try:
        return MonitorSpec(language=language,
                           scope=fit_scope(scope, unit, catalog),
                           conditions=conditions.conditions,
                           join=conditions.join,  # type: ignore[arg-type]
                           window=spec_window,
                           actions=(*actions.actions, *evidence.actions))
    except ValidationError as exc:
        raise InvalidInput(f"the request cannot be a monitor: {_first_error(exc)}") from exc


def _relative_baseline(text: str) -> list[tuple[int, int]]:
    """Where the request compares with earlier lots ("较前5批"); the semantics fix that
    comparison at the supplier's previous 5 lots."""
    spans: list[tuple[int, int]] = []
    for pattern in load_vocabulary().relative_baseline:
        for match in pattern.finditer(text):
            if int(match.group("n")) != RELATIVE_LOTS:
                raise InvalidInput(f"'{match.group(0).strip()}': a relative change is measured "
                                   f"against the mean of the supplier's previous "
                                   f"{RELATIVE_LOTS} lots, not {match.group('n')}")
            spans.append(match.span())
    return spans


def _implied(text: str, tokens: list[Token], context: RequestContext,
             index: CatalogIndex) -> tuple[list[Comparison], list[Token]]:
    """No comparator written: "any weight sample out of spec" still reads as the share of
    samples out of specification above 0, "any cracks" / "出现裂纹" and "receives
    complaints" as a count above 0, "a failed visual inspection" / "外观检验不合格" as a pass
    rate below 100 %; anything else is refused with what is missing. Returns the
    comparison and any statistic the words imply (as tokens to read with the others)."""
    cues = load_vocabulary().cues
    names = [t for t in tokens if name_options(t, index)]
    options = {measure for t in names for measure, _ in name_options(t, index)}
    numbers = [t for t in tokens if t.kind == "number"]
    end = len(text)
    if cues["out_of_spec"].search(text) and "characteristic" in options:
        return [_zero_above(end)], []
    failed = cues["failed"].search(text)
    if failed and not numbers and ("incoming" in options or (not names and context.incoming)):
        one = Token(start=end, end=end, text="1", kind="number", value=1.0)
        rate = Token(start=failed.start(), end=failed.start(), text=failed.group(0),
                     terms=(Term(text=failed.group(0), concept="pass_rate", kind="statistic",
                                 language=language_of(failed.group(0))),))
        return [Comparison(comparator="<", start=end, end=end, threshold=one)], [rate]
    counted = "defect_code" in options or (not names and context.complaint)
    if counted and not numbers and cues["exists"].search(text):
        return [_zero_above(end)], []
    named = names[0].text if names else _unnamed_signal(tokens, context, index)
    refuse_without_condition(text, named, numbers[0] if numbers else None)
    return [], []  # pragma: no cover - refuse_without_condition always raises


def _zero_above(at: int) -> Comparison:
    zero = Token(start=at, end=at, text="0", kind="number", value=0.0)
    return Comparison(comparator=">", start=at, end=at, threshold=zero)


def _refuse_stray_numbers(text: str, tokens: list[Token],
                          comparisons: list[Comparison]) -> None:
    """A number that is neither a threshold nor part of a window, evidence or name ("持续3批"
    where the window was not understood) is refused rather than silently dropped; "one
    sample", "有1个样本" say which statistic, not a number to compare."""
    used = {c.threshold.start for c in comparisons if c.threshold is not None}
    extreme = [m.span() for m in load_vocabulary().cues["extreme"].finditer(text)]
    stray = [t for t in tokens if t.kind == "number" and t.start not in used
             and not (t.value == 1 and t.inside(extreme))]
    if stray:
        said = stray[0].text
        raise AmbiguousRequest(
            f"the request says '{said}' but not as a threshold or a window the reader "
            "understands; rephrase that part (e.g. 'for 3 consecutive batches', 'in 3 of the "
            "last 10 batches')", readings=[t.text for t in stray])


def _unnamed_signal(tokens: list[Token], context: RequestContext,
                    index: CatalogIndex) -> str | None:
    try:
        found = read_signals(tokens, Cues(complaint=context.complaint), context, index, ">",
                             None)
    except AndonError:  # any reading at all is enough to say what is missing
        return None
    return found[0].said or found[0].statistic if found else None


def _fit_window(reading: WindowReading, measure: str, context: RequestContext) -> Window:
    """"weekly complaints" are counted per week already; "daily defect rate" pools a day;
    "for 2 weeks" of a batch measure could be 2 batches or 2 weeks pooled."""
    window = reading.window
    if measure != "complaints" and window.kind in ("consecutive", "k_of_n", "rolling") \
            and reading.said and _WEEKS.search(reading.said):
        raise AmbiguousRequest(
            f"'{reading.said}' counts weeks, but this measure is evaluated per "
            f"{'lot' if measure == 'incoming' else 'batch'}; say 'over the last N weeks' to "
            "pool them or 'for N consecutive batches'",
            readings=[f"pooled over the last {window.n} weeks",
                      f"{window.n} consecutive units"])
    if measure == "complaints":
        if window.kind == "time" and window.hours == 168:
            return Window()
        return window
    if window.kind == "single" and (context.daily or context.weekly):
        return Window(kind="time", hours=24.0 if context.daily else 168.0)
    return window


def _first_error(exc: ValidationError) -> str:
    message = str(exc.errors()[0].get("msg", "invalid"))
    return message.removeprefix("Value error, ")
