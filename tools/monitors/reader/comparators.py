"""Comparators and their thresholds: "exceeds 0.35%", "> 0.15g", "不低于99%", "3 or more",
"0.15 g 以上", "doesn't exceed 2%", "between 41 and 43 g", "outside 41-43 g".

A comparator takes the first number written after it (before the next comparator); one
written after its number ("or more", "以上") takes the number before it. A negation right
before a comparator ("does not exceed", "并未超过") turns it around.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from tools.monitors.reader.tokens import Token
from tools.monitors.reader.vocabulary import load_vocabulary
from tools.monitors.spec import Comparator

_NEGATED: dict[str, Comparator] = {">": "<=", ">=": "<", "<": ">=", "<=": ">", "==": "!=",
                                   "!=": "=="}
_NEGATION_BEFORE = re.compile(
    r"(?:\bnot|n't|\bnever|\bno\s+longer|并未|没有|不|没|未)\s*"
    r"(?:(?:go|goes|get|gets|rise|rises|fall|falls|drop|drops|be|been|climb|climbs|dip|"
    r"dips|is|are)\s+)?$", re.IGNORECASE)


_ECHO_GAP = re.compile(r"\s*[个件条次批只份项起台]?\s*")


class Comparison(BaseModel):
    """A comparator, where it was written, and its threshold (a number token) if any."""

    model_config = ConfigDict(frozen=True)

    comparator: Comparator
    start: int
    end: int
    threshold: Token | None = None
    group: int | None = None  # the comparisons of one "between" or "outside" phrase
    join: str | None = None

    @property
    def last(self) -> int:
        """Where this comparison ends, threshold included."""
        return max(self.end, self.threshold.end if self.threshold else self.end)

    @property
    def first(self) -> int:
        return min(self.start, self.threshold.start if self.threshold else self.start)


def find_comparisons(text: str, tokens: list[Token]) -> list[Comparison]:
    """Every comparison in the request, in order (``text`` with used spans masked)."""
    numbers = [t for t in tokens if t.kind == "number"]
    ranges, taken = _ranges(text, numbers)
    found: list[tuple[Comparator, int, int, bool]] = []
    for token in tokens:
        if token.has("comparator") and not token.inside(taken):
            found.append((_comparator(token.concepts("comparator")[0]), token.start, token.end,
                          False))
    for pattern, comparator in load_vocabulary().postfix_comparators:
        for match in pattern.finditer(text):
            if not any(s < match.end() and match.start() < e for _, s, e, _ in found) \
                    and not any(s <= match.start() < e for s, e in taken):
                found.append((_comparator(comparator), match.start(), match.end(), True))
    found.sort(key=lambda f: f[1])
    found = _without_stacked(text, _without_echoes(text, found, numbers))
    comparisons: list[Comparison] = []
    used: set[int] = {n.start for r in ranges if r.threshold for n in [r.threshold]}
    for index, (comparator, start, end, postfix) in enumerate(found):
        if _NEGATION_BEFORE.search(text[max(0, start - 24):start]) and not postfix:
            comparator = _NEGATED[comparator]
        limit = found[index + 1][1] if index + 1 < len(found) else len(text)
        threshold = _threshold(numbers, start, end, limit, postfix, used)
        if threshold is not None:
            used.add(threshold.start)
        comparisons.append(Comparison(comparator=comparator, start=start, end=end,
                                      threshold=threshold))
    return sorted([*comparisons, *ranges], key=lambda c: c.start)


def _without_echoes(text: str, found: list[tuple[Comparator, int, int, bool]],
                    numbers: list[Token]) -> list[tuple[Comparator, int, int, bool]]:
    """"达到2条及以上", "at least 3 or more": a comparator before a number and one after it
    say the same thing once; the one written first is kept."""
    kept: list[tuple[Comparator, int, int, bool]] = []
    for entry in found:
        if entry[3] and kept and not kept[-1][3]:
            between = [n for n in numbers if kept[-1][2] <= n.start and n.end <= entry[1]]
            if len(between) == 1 and not text[kept[-1][2]:between[0].start].strip() \
                    and _ECHO_GAP.fullmatch(text[between[0].end:entry[1]]):
                continue
        kept.append(entry)
    return kept


def _without_stacked(text: str, found: list[tuple[Comparator, int, int, bool]]
                     ) -> list[tuple[Comparator, int, int, bool]]:
    """"add up to more than 45": of two comparators written one right after the other,
    the one nearer the number is meant; the first is part of the wording."""
    kept: list[tuple[Comparator, int, int, bool]] = []
    for index, entry in enumerate(found):
        following = found[index + 1] if index + 1 < len(found) else None
        if following is not None and not entry[3] and not following[3] \
                and not text[entry[2]:following[1]].strip():
            continue
        kept.append(entry)
    return kept


def _comparator(text: str) -> Comparator:
    return {"≥": ">=", "≤": "<=", "=>": ">=", "=<": "<=", "=": "==", "≠": "!=",
            "<>": "!="}.get(text, text)  # type: ignore[return-value]


def _threshold(numbers: list[Token], start: int, end: int, limit: int, postfix: bool,
               used: set[int]) -> Token | None:
    after = [n for n in numbers if end <= n.start < limit and n.start not in used]
    before = [n for n in numbers if n.end <= start and n.start not in used]
    if postfix:
        return before[-1] if before and start - before[-1].end <= 12 else None
    if after:
        return after[0]
    return before[-1] if before and start - before[-1].end <= 3 else None


def _ranges(text: str, numbers: list[Token]) -> tuple[list[Comparison], list[tuple[int, int]]]:
    """"between a and b" (>= a and <= b) and "outside a-b" (< a or > b)."""
    vocabulary = load_vocabulary()
    out: list[Comparison] = []
    spans: list[tuple[int, int]] = []
    for group, (pattern, low, high, join) in enumerate(
            ((vocabulary.outside, "<", ">", "or"), (vocabulary.between, ">=", "<=", "and"))):
        for match in pattern.finditer(text):
            inside = [n for n in numbers if match.start() <= n.start < match.end() + 12]
            if len(inside) < 2 or any(s < match.end() and match.start() < e for s, e in spans):
                continue
            first, second = inside[0], inside[1]
            if first.unit is None and second.unit is not None:
                first = first.model_copy(update={"unit": second.unit})
            spans.append((match.start(), max(match.end(), second.end)))
            out.append(Comparison(comparator=low, start=match.start(), end=match.start(),  # type: ignore[arg-type]
                                  threshold=first, group=group, join=join))
            out.append(Comparison(comparator=high, start=second.start, end=second.start,  # type: ignore[arg-type]
                                  threshold=second, group=group, join=join))
    return out, spans
