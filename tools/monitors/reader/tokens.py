"""A request cut into tokens: lexicon phrases, the plant's names and ids, numbers with
their units, channels and e-mail addresses.

Every token knows its span in the normalised request, so later steps (windows, actions,
conditions) can claim stretches of the sentence and leave the rest to the others.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from tools.catalog import Term
from tools.catalog.terms import language_of
from tools.errors import AndonError
from tools.monitors.reader.index import CatalogIndex
from tools.monitors.reader.names import find_ids, find_names
from tools.monitors.reader.vocabulary import load_vocabulary
from tools.monitors.reader.zh_entity_names import find_zh_entity_names
from tools.units import CANONICAL_UNITS, normalize_unit

TokenKind = Literal["term", "number", "unknown_id", "channel", "email"]
ENTITY_KINDS = frozenset({"part", "line", "machine", "tool", "supplier", "material", "plant"})
_NUMBER = re.compile(r"(?<![\w./])(?<![A-Za-z_]-)([+-]?(?:\d+(?:\.\d+)?|\.\d+))", re.ASCII)
_UNIT_TEXT = re.compile(r"\s?(°\s?[CF]|℃|℉|‰|‱|兆牛顿?|度|分钟|秒钟?|小时"
                        r"|[A-Za-zµμ%][A-Za-z0-9µμ/·.*%]*)")
_EXTRA_UNITS = {"c": "degC", "°c": "degC", "° c": "degC", "℃": "degC", "度": "degC",
                "f": "degF", "°f": "degF", "° f": "degF", "℉": "degF", "deg": "degC",
                "degrees": "degC", "percent": "%", "pct": "%", "microns": "um",
                "micron": "um", "grams": "g", "gram": "g", "milligrams": "mg",
                "millimeters": "mm", "millimetres": "mm", "seconds": "s", "sec": "s",
                "secs": "s", "ml/min": "ml/min", "g/10min": "g/10min", "mm/rev": "mm/rev",
                "兆牛": "MN", "兆牛顿": "MN", "meganewton": "MN", "meganewtons": "MN",
                "minute": "min", "minutes": "min", "mins": "min", "hour": "h", "hours": "h",
                "hrs": "h", "second": "s", "分钟": "min", "秒": "s", "秒钟": "s",
                "小时": "h"}
_NOT_UNITS = frozenset({"in", "t", "d", "m", "a", "h", "min", "k"})


class Token(BaseModel):
    """One stretch of the request and what it can mean."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int
    text: str
    kind: TokenKind = "term"
    terms: tuple[Term, ...] = ()
    value: float | None = None
    unit: str | None = None

    def has(self, kind: str) -> bool:
        return any(t.kind == kind for t in self.terms)

    def concepts(self, kind: str) -> list[str]:
        return list(dict.fromkeys(t.concept for t in self.terms if t.kind == kind))

    def inside(self, spans: Iterable[tuple[int, int]]) -> bool:
        return any(start <= self.start and self.end <= end for start, end in spans)

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


def scan(text: str, index: CatalogIndex) -> list[Token]:
    """Every token of ``text`` (already normalised), in order, not overlapping."""
    candidates: list[tuple[int, Token]] = []
    phrases: list[tuple[int, int]] = []
    for match in index.lexicon.find_in(text):
        entity = any(t.kind in ENTITY_KINDS for t in match.terms)
        candidates.append((0 if entity else 3, Token(start=match.start, end=match.end,
                                                     text=match.text,
                                                     terms=tuple(match.terms))))
        if not entity:
            phrases.append((match.start, match.end))
    for hit in find_ids(text, index):
        if hit.keys and hit.kind:
            terms = tuple(_entity_term(hit.text, key, hit.kind) for key in hit.keys)
            candidates.append((1, Token(start=hit.start, end=hit.end, text=hit.text,
                                        terms=terms)))
        else:
            candidates.append((1, Token(start=hit.start, end=hit.end, text=hit.text,
                                        kind="unknown_id",
                                        terms=(_entity_term(hit.text, hit.text,
                                                            hit.kind or "part"),))))
    for name in [*find_names(text, index), *find_zh_entity_names(text, index)]:
        start, end = name.start, _before_phrase(text, name.start, name.end, phrases)
        terms = tuple(_entity_term(text[start:end], key, name.kind) for key in name.keys)
        candidates.append((2, Token(start=start, end=end, text=text[start:end],
                                    terms=terms)))
    vocabulary = load_vocabulary()
    for pattern, kind in ((vocabulary.email_address, "email"), (vocabulary.channel, "channel")):
        for found in pattern.finditer(text):
            candidates.append((0, Token(start=found.start(), end=found.end(),
                                        text=found.group(0), kind=kind)))  # type: ignore[arg-type]
    chosen = _choose(candidates)
    chosen.extend(_numbers(text, chosen, index))
    return sorted(chosen, key=lambda t: t.start)


def _before_phrase(text: str, start: int, end: int, phrases: list[tuple[int, int]]) -> int:
    """Where a name ends when its last words begin a longer phrase of the lexicon: "the
    Schuler press force" names the Schuler press's maker, then "press force"."""
    for phrase_start, phrase_end in phrases:
        if start < phrase_start < end < phrase_end and text[start:phrase_start].strip():
            return len(text[:phrase_start].rstrip())
    return end


def _entity_term(text: str, key: str, kind: str) -> Term:
    return Term(text=text, concept=key, kind=kind, language=language_of(text),  # type: ignore[arg-type]
                source="catalog")


def _choose(candidates: list[tuple[int, Token]]) -> list[Token]:
    """Longest first, then by priority; a token overlapping a chosen one is dropped."""
    chosen: list[Token] = []
    for _, token in sorted(candidates, key=lambda c: (-(c[1].end - c[1].start), c[0],
                                                      c[1].start)):
        if not any(token.overlaps(t.start, t.end) for t in chosen):
            chosen.append(token)
    return chosen


def _numbers(text: str, taken: list[Token], index: CatalogIndex) -> list[Token]:
    blocked = [(t.start, t.end) for t in taken
               if t.kind in ("unknown_id", "email", "channel")
               or any(term.kind in ENTITY_KINDS | {"defect"} for term in t.terms)]
    units = [t for t in taken if t.has("unit")]
    out: list[Token] = []
    for match in _NUMBER.finditer(text):
        start, end = match.span(1)
        if any(s <= start < e for s, e in blocked) or (out and start < out[-1].end):
            continue
        following = text[end:end + 1]
        if following.isascii() and following.isalpha() and re.match(
                r"[A-Za-z]+\d", text[end:end + 8]):
            continue  # "30MnB5": an id or material, not a number
        value = float(match.group(1))
        unit, unit_end = _unit_after(text, end, units)
        if unit in ("‰", "‱"):
            value, unit = value / (10 if unit == "‰" else 100), "%"
        out.append(Token(start=start, end=unit_end, text=text[start:unit_end], kind="number",
                         value=value, unit=unit))
    return out


def _unit_after(text: str, end: int, unit_tokens: list[Token]) -> tuple[str | None, int]:
    """The unit written right after a number (canonical spelling) and where it ends: the
    longest known spelling ("g/10min" before "g"), else a lexicon unit ("毫克", "牛米")."""
    gap = len(text[end:]) - len(text[end:].lstrip())
    written = next((t for t in unit_tokens if t.start == end + gap and gap <= 1), None)
    match = _UNIT_TEXT.match(text, end)
    if match is not None:
        for candidate in _shrinking(match.group(1)):
            unit = _known_unit(candidate)
            stop = match.start(1) + len(candidate)
            if unit is not None and (written is None or stop >= written.end):
                return unit, stop
    if written is not None:  # a lexicon unit, or a longer one ("degrees Fahrenheit")
        return written.concepts("unit")[0], written.end
    return None, end


def _shrinking(written: str) -> list[str]:
    pieces = [written]
    for cut in ("/", ".", "*"):
        if cut in written:
            pieces.append(written.split(cut)[0])
    return pieces


def _known_unit(candidate: str) -> str | None:
    if candidate in ("A", "V", "N", "W", "kW"):  # capitals only: 'a' is an article
        return candidate
    if "/" in candidate.strip("/"):  # a rate written whole ("µm/rev", "g/10 min")
        try:
            return normalize_unit(candidate)
        except AndonError:
            pass
    if candidate in load_vocabulary().written_units:
        try:
            return normalize_unit(candidate)
        except AndonError:
            return None
    folded = candidate.casefold().rstrip(".")
    if folded in _NOT_UNITS:
        return None
    if folded in _EXTRA_UNITS:
        return _EXTRA_UNITS[folded]
    if candidate in ("‰", "‱", "%"):
        return candidate
    if candidate in CANONICAL_UNITS:
        return candidate
    folded_canonical = {k.casefold(): k for k in CANONICAL_UNITS}
    if folded in folded_canonical and folded not in _NOT_UNITS:
        return folded_canonical[folded]
    try:
        if candidate.casefold() in ("mm", "um", "μm", "µm", "nm", "kn", "mpa", "ppm", "hrc",
                                    "rpm", "spm", "bar", "kg", "mg", "g", "s", "degc"):
            return normalize_unit(candidate)
    except AndonError:
        return None
    return None
