"""The bilingual (English / Chinese) lexicon every reader of people's words shares.

``Lexicon.load()`` reads ``lexicon.yaml`` (characteristics, statistics, comparators,
families, processes, roles, windows, units...) plus the project's defect code list, and
answers two questions: what can this phrase mean (``lookup``), and which known phrases
does this sentence contain (``find_in``: a longest-match scan that needs no spaces, so it
works on Chinese). ``lexicon.extended(catalog.terms())`` adds a plant's own names (part
ids, characteristic names such as ``wall_thickness``, supplier names...).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tools.catalog.defect_terms import defect_terms
from tools.catalog.terms import (
    Language,
    Match,
    Term,
    TermKind,
    normalize_text,
    normalize_with_offsets,
)
from tools.errors import InvalidInput

LEXICON_PATH = Path(__file__).with_name("lexicon.yaml")
_PLURAL_KINDS = {"characteristic", "parameter", "inspection_characteristic", "family",
                 "entity", "role", "period"}
_KINDS = set(get_args(TermKind))


class _Forms(BaseModel):
    model_config = ConfigDict(extra="forbid")
    en: list[str] = Field(default_factory=list)
    zh: list[str] = Field(default_factory=list)


class _ConceptEntry(_Forms):
    parts: _Forms | None = None


def _plural(word: str) -> str:
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _with_plural(text: str, kind: str) -> list[str]:
    words = text.split(" ")
    if kind not in _PLURAL_KINDS or not words[-1].isascii() or not words[-1].isalpha() \
            or len(words[-1]) < 3:
        return [text]
    return [text, " ".join([*words[:-1], _plural(words[-1])])]


def _parse_lexicon(data: Any, origin: str) -> list[Term]:
    if not isinstance(data, dict):
        raise InvalidInput(f"lexicon {origin} must be a mapping of kinds to concepts")
    terms: list[Term] = []
    for kind, concepts in data.items():
        if kind == "version":
            continue
        if kind not in _KINDS:
            raise InvalidInput(f"lexicon {origin} has an unknown kind {kind!r}; kinds are "
                               f"{', '.join(sorted(_KINDS))}")
        for concept, raw in (concepts or {}).items():
            try:
                entry = _ConceptEntry.model_validate(raw or {})
            except ValidationError as exc:
                raise InvalidInput(f"lexicon {origin}: {kind}.{concept} is malformed "
                                   f"({exc.errors()[0]['msg']})") from exc
            terms.extend(_terms_of(str(concept), kind, entry, denotes_parts=False))
            if entry.parts is not None:
                terms.extend(_terms_of(str(concept), kind, entry.parts, denotes_parts=True))
    return terms


def _terms_of(concept: str, kind: str, forms: _Forms, *, denotes_parts: bool) -> list[Term]:
    out: list[Term] = []
    languages: tuple[tuple[Language, list[str]], ...] = (("en", forms.en), ("zh", forms.zh))
    for language, texts in languages:
        for text in texts:
            for variant in _with_plural(str(text), kind) if language == "en" else [str(text)]:
                out.append(Term(text=variant, concept=concept, kind=cast(TermKind, kind),
                                language=language, denotes_parts=denotes_parts))
    return out


class Lexicon:
    """An index of terms by normalized text; build with ``load`` or ``from_terms``."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self._index: dict[str, list[Term]] = {}
        for term in terms:
            key = normalize_text(term.text)
            if not key:
                continue
            bucket = self._index.setdefault(key, [])
            if all((t.concept, t.kind, t.denotes_parts) != (term.concept, term.kind,
                                                            term.denotes_parts)
                   for t in bucket):
                bucket.append(term)
        self._lengths: dict[str, list[int]] = {}
        for key in self._index:
            lengths = self._lengths.setdefault(key[0], [])
            if len(key) not in lengths:
                lengths.append(len(key))
        for lengths in self._lengths.values():
            lengths.sort(reverse=True)

    @classmethod
    def load(cls, path: Path | None = None, *, defect_codes: Path | None = None) -> Lexicon:
        """The shipped lexicon (or the one at ``path``) plus the defect code list, if any."""
        return _load_cached(path or LEXICON_PATH, defect_codes)

    @classmethod
    def from_terms(cls, terms: Iterable[Term]) -> Lexicon:
        return cls(terms)

    def extended(self, terms: Iterable[Term]) -> Lexicon:
        """A new lexicon with these terms added (typically ``catalog.terms()``)."""
        return Lexicon([*self.terms, *terms])

    @property
    def terms(self) -> list[Term]:
        return [term for bucket in self._index.values() for term in bucket]

    def concepts(self, kind: str) -> list[str]:
        """Every concept of one kind, in first-seen order."""
        return list(dict.fromkeys(t.concept for t in self.terms if t.kind == kind))

    def forms(self, concept: str, kind: str | None = None) -> list[Term]:
        """Every written form of a concept (of one kind if given)."""
        return [t for t in self.terms
                if t.concept == concept and (kind is None or t.kind == kind)]

    def lookup(self, text: str) -> list[Term]:
        """Every term written exactly as ``text`` (after normalization): what it can mean.
        Empty if the phrase is unknown; several terms if it is ambiguous (合格率)."""
        return list(self._index.get(normalize_text(text), []))

    def find_in(self, text: str) -> list[Match]:
        """Known phrases in a sentence, left to right, longest first, not overlapping.

        English phrases must stand on word boundaries ('mean' is not found inside
        'meantime'); Chinese needs no spaces. One-letter units (g, s, h) and one-character
        Chinese units (克, 秒) count only right after a number. Offsets index ``text``.
        """
        norm, offsets = normalize_with_offsets(text)
        matches: list[Match] = []
        pos = 0
        while pos < len(norm):
            found = self._longest_at(norm, pos)
            if found is None:
                pos += 1
                continue
            end, terms = found
            start_raw, end_raw = offsets[pos], offsets[end - 1] + 1
            matches.append(Match(start=start_raw, end=end_raw, text=text[start_raw:end_raw],
                                 terms=terms))
            pos = end
        return matches

    def _longest_at(self, norm: str, pos: int) -> tuple[int, list[Term]] | None:
        if norm[pos] == " ":
            return None
        for length in self._lengths.get(norm[pos], []):
            end = pos + length
            if end > len(norm):
                continue
            terms = self._index.get(norm[pos:end])
            if terms is None or not _on_boundaries(norm, pos, end):
                continue
            terms = [t for t in terms if not _needs_number(t) or _after_number(norm, pos)]
            if terms:
                return end, terms
        return None


def _is_word_char(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _on_boundaries(norm: str, start: int, end: int) -> bool:
    first, last = norm[start], norm[end - 1]
    before = norm[start - 1] if start > 0 else " "
    after = norm[end] if end < len(norm) else " "
    if _is_word_char(first) and _is_word_char(before):
        return False
    if first.isdigit() and before.isdigit():
        return False
    if _is_word_char(last) and _is_word_char(after):
        return False
    return not (last.isdigit() and after.isdigit())


def _needs_number(term: Term) -> bool:
    key = normalize_text(term.text)
    return term.kind == "unit" and len(key) == 1 and key.isalpha()


def _after_number(norm: str, pos: int) -> bool:
    index = pos - 1
    while index >= 0 and norm[index] == " ":
        index -= 1
    return index >= 0 and norm[index].isdigit()


@functools.lru_cache(maxsize=8)
def _load_cached(path: Path, defect_codes: Path | None) -> Lexicon:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InvalidInput(f"cannot read the lexicon at {path}: {exc}") from exc
    return Lexicon([*_parse_lexicon(data, path.name), *defect_terms(defect_codes)])
