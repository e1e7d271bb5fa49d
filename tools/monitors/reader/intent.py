"""Is it a monitor at all, and what is missing when it is not one: questions and reports
("why did weight rise?", "show me last week's defects") are refused as not monitors; a
request that names a measure but no threshold or comparator needs a clarifying question;
a name the plant does not have is refused with the nearest names it does have."""

from __future__ import annotations

import re

from tools.catalog import Catalog
from tools.errors import (
    AmbiguousRequest,
    NotAMonitorRequest,
    UnknownCharacteristic,
    UnknownPart,
)
from tools.monitors.grounding import nearest_names
from tools.monitors.reader.index import CatalogIndex
from tools.monitors.reader.tokens import Token
from tools.monitors.reader.vocabulary import load_vocabulary
from tools.monitors.reader.windows import MASK

_EXAMPLE = "e.g. 'alert when weight stdev > 0.15 g over 5 batches'"
_ASCII_WORD = re.compile(r"[A-Za-z][A-Za-z']+")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_MEASURE_KINDS = ("characteristic", "parameter", "inspection_characteristic", "defect")
_OWNER = re.compile(r" ?(?:of|for|on|in) (?:the |our |all |any |each |every )?"
                    r"(?P<words>[A-Za-z][A-Za-z-]*(?: [A-Za-z][A-Za-z-]*){0,2}) ?$",
                    re.IGNORECASE)
_UNNAMED_STATISTICS = frozenset({"defect_rate", "yield", "qty_defective", "pass_rate"})


def refuse_questions(text: str) -> None:
    """Refuse a question or a report request that asks for no alert."""
    vocabulary = load_vocabulary()
    if vocabulary.question_intent.search(text) and not vocabulary.monitor_intent.search(text):
        raise NotAMonitorRequest("this asks about the data rather than for a monitor; a "
                                 f"monitor says what to watch and when to alert ({_EXAMPLE})")


def refuse_without_condition(text: str, named: str | None, number: Token | None) -> None:
    """No comparison was found: say what is missing."""
    vocabulary = load_vocabulary()
    if named and number is not None:
        raise AmbiguousRequest(
            f"the request gives {number.text} for {named} but not whether to alert above or "
            "below it; say 'above' or 'below'",
            readings=[f"{named} > {number.text}", f"{named} < {number.text}"])
    if named and vocabulary.monitor_intent.search(text):
        raise AmbiguousRequest(
            f"the request names {named} but no threshold; say when to alert, e.g. "
            f"'{named} above ...' with a number", readings=[], missing="threshold")
    raise NotAMonitorRequest("this is not a monitoring request: it names no measure with a "
                             f"threshold to watch ({_EXAMPLE})")


def refuse_unknown_subject(leftover: str, index: CatalogIndex, catalog: Catalog) -> None:
    """A name in the subject of a condition that the plant does not have ("glossiness",
    "光泽度"): refused with the nearest characteristic names."""
    words = [w for w in _ASCII_WORD.findall(leftover)
             if len(w) >= 3 and not index.known_word(w.casefold())]
    chinese = [_strip_function(run) for run in _CJK_RUN.findall(leftover)]
    chinese = [run for run in chinese if len(run) >= 2]
    subject = " ".join(words) if words else (chinese[-1] if chinese else None)
    if not subject:
        return
    suggestions = (catalog.suggest("characteristic", subject)
                   or catalog.suggest("parameter", subject)
                   or catalog.suggest("inspection_characteristic", subject)
                   or nearest_names(catalog, "characteristic", subject))
    known = catalog.characteristic_names()
    hint = (f" — did you mean {' or '.join(suggestions)}?" if suggestions
            else f"; its characteristics are {', '.join(known[:10]) or 'none'}")
    raise UnknownCharacteristic(f"this plant has no characteristic, parameter or inspection "
                                f"called {subject!r}{hint}", suggestions=suggestions)


def refuse_unknown_owner(leftover: str, index: CatalogIndex, catalog: Catalog) -> None:
    """"the defect rate of the valve body above 2%": words the plant does not know, right
    after a measure and "of / for / on" and before the comparison, name a part it does not
    have (``leftover`` is the text between the measure and the comparator, tokens blanked)."""
    owner = _OWNER.match(leftover)
    if owner is None:
        return
    words = [w for w in owner.group("words").split()
             if len(w) >= 3 and not index.known_word(w.casefold())]
    if not words:
        return
    said = owner.group("words").strip()
    suggestions = nearest_names(catalog, "part", said)
    hint = (f" — did you mean {' or '.join(suggestions)}?" if suggestions
            else f"; its parts include {', '.join(p.part_id for p in catalog.parts[:6])}")
    raise UnknownPart(f"this plant has no part called {said!r}{hint}", kind="part",
                      suggestions=suggestions or [p.part_id for p in catalog.parts][:6])


def refuse_unknown_chinese_names(text: str, tokens: list[Token], catalog: Catalog) -> None:
    """A Chinese word just before a measure that nothing reads ("泵体不良率", "叶轮重量"):
    a part the plant does not call that, refused rather than silently left out."""
    covered = [False] * len(text)
    for token in tokens:
        for position in range(token.start, min(token.end, len(text))):
            covered[position] = True
    named = any(token.has(k) for token in tokens for k in _MEASURE_KINDS)
    for token in tokens:
        measure = any(token.has(k) for k in _MEASURE_KINDS)
        batch_rate = bool(set(token.concepts("statistic")) & _UNNAMED_STATISTICS)
        if not (measure or batch_rate or (token.has("statistic") and named)):
            continue  # before a bare statistic the word is the measure: refused elsewhere
        end = token.start
        if end > 0 and text[end - 1] == "的":
            end -= 1
        start = end
        while start > 0 and not covered[start - 1] and _CJK_RUN.fullmatch(text[start - 1]):
            start -= 1
        run = _strip_modifiers(_strip_function(text[start:end]))
        if len(run) >= 2:
            parts = [f"{p.part_id} ({p.name})" for p in catalog.parts][:6]
            raise UnknownPart(f"this plant has no part, family or process called {run!r}; "
                              f"its parts include {', '.join(parts) or 'none'}",
                              kind="part", suggestions=[p.part_id for p in catalog.parts][:6])


def _strip_modifiers(run: str) -> str:
    for word in load_vocabulary().zh_modifiers:
        run = run.replace(word, "")
    return _strip_function(run)


def _strip_function(run: str) -> str:
    function = load_vocabulary().zh_function_chars
    start, end = 0, len(run)
    while start < end and run[start] in function:
        start += 1
    while end > start and run[end - 1] in function:
        end -= 1
    return run[start:end]


def leftover_text(text: str, tokens: list[Token], start: int, end: int) -> str:
    """The stretch ``text[start:end]`` with every token blanked: the words nobody read."""
    chars = list(text[start:end])
    for token in tokens:
        for position in range(max(token.start, start), min(token.end, end)):
            chars[position - start] = " "
    return "".join(" " if c == MASK else c for c in chars)
