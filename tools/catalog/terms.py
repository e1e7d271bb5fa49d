"""Words people use for plant concepts, and where they were found in a sentence.

A ``Term`` is one way of writing one concept ('克重' for the characteristic ``weight``);
a ``Match`` is a stretch of a sentence that reads as one or more terms. Text is compared
after ``normalize_text``: NFKC (full-width letters and digits become ASCII, 'µ' becomes
'μ', '℃' becomes '°C'), case folded, underscores and hyphens read as spaces and runs of
white space collapsed, so 'Wall_Thickness', 'wall-thickness' and 'ＷＡＬＬ thickness' agree.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

from pydantic import BaseModel, Field

TermKind = Literal[
    "characteristic", "parameter", "inspection_characteristic", "statistic", "comparator",
    "family", "process", "role", "window", "period", "entity", "action", "logic", "unit",
    "defect", "part", "line", "machine", "supplier", "material", "tool", "shift", "plant",
]
Language = Literal["en", "zh"]
TermSource = Literal["lexicon", "catalog", "defect_codes"]


class Term(BaseModel):
    """One written form of a concept: ``text`` as written, ``concept`` its canonical id
    (a characteristic name, a statistic such as ``stdev``, a comparator such as ``>=``, a
    unit such as ``mg``, a part id...), ``kind`` what sort of thing it is."""

    model_config = {"frozen": True}

    text: str
    concept: str
    kind: TermKind
    language: Language
    denotes_parts: bool = Field(
        default=False,
        description="a process or family word meaning the parts made by it (注塑件, molded parts)")
    source: TermSource = "lexicon"


class Match(BaseModel):
    """A stretch ``text[start:end]`` of the scanned sentence and every term it can mean."""

    start: int
    end: int
    text: str
    terms: list[Term]

    @property
    def kinds(self) -> set[str]:
        return {t.kind for t in self.terms}

    def concepts(self, kind: str | None = None) -> list[str]:
        """The distinct concepts of this match (of one kind if given), in lexicon order."""
        seen: list[str] = []
        for term in self.terms:
            if (kind is None or term.kind == kind) and term.concept not in seen:
                seen.append(term.concept)
        return seen


_SEPARATORS = {"_", "-", "\u2010", "\u2011", "\u2013"}


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """``normalize_text`` plus, for each normalized character, its index in ``text``."""
    chars: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        for piece in unicodedata.normalize("NFKC", char).casefold():
            if piece in _SEPARATORS or piece.isspace():
                if chars and chars[-1] != " ":
                    chars.append(" ")
                    offsets.append(index)
                continue
            chars.append(piece)
            offsets.append(index)
    while chars and chars[-1] == " ":
        chars.pop()
        offsets.pop()
    return "".join(chars), offsets


def normalize_text(text: str) -> str:
    """Text in the form terms are compared in (see the module docstring)."""
    return normalize_with_offsets(text)[0]


def is_chinese(text: str) -> bool:
    """True if the text holds a CJK ideograph."""
    return any("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in text)


def language_of(text: str) -> Language:
    return "zh" if is_chinese(text) else "en"
