"""Free text (English or Chinese) -> unified quality event codes, with a score."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from knowledge_graph.graph import QualityGraph
from knowledge_graph.models import CodeMatch

NAME_WEIGHT = 1.0
SYNONYM_WEIGHT = 0.9
HINT_WEIGHT = 0.6


def normalize(text: str) -> str:
    """NFKC, case-folded, ``_`` and ``-`` as spaces, runs of spaces collapsed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(folded.replace("_", " ").replace("-", " ").split())


@dataclass(frozen=True)
class _Term:
    text: str
    code: str
    weight: float
    pattern: re.Pattern[str] | None  # None: a Chinese term, matched as a substring


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    term: _Term


def _pattern(term: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in term.split(" ")]
    return re.compile(r"(?<![a-z0-9])" + r"\s+".join(words) + r"(?:s|es|ed|d|ing)?(?![a-z0-9])")


@functools.lru_cache(maxsize=4)
def _index(graph: QualityGraph) -> tuple[_Term, ...]:
    best: dict[tuple[str, str], _Term] = {}
    for code in graph.defect_codes():
        defect = graph.defect(code)
        assert defect is not None
        weighted = [(code, NAME_WEIGHT), (defect.name.en, NAME_WEIGHT),
                    (defect.name.zh, NAME_WEIGHT),
                    *((s, SYNONYM_WEIGHT) for s in (*defect.synonyms_en, *defect.synonyms_zh)),
                    *((h, HINT_WEIGHT) for h in (*defect.hints_en, *defect.hints_zh))]
        for raw, weight in weighted:
            text = normalize(raw)
            if not text:
                continue
            key = (text, code)
            if key in best and best[key].weight >= weight:
                continue
            best[key] = _Term(text=text, code=code, weight=weight,
                              pattern=_pattern(text) if text.isascii() else None)
    return tuple(best.values())


def _hits(text: str, terms: tuple[_Term, ...]) -> list[_Hit]:
    hits: list[_Hit] = []
    for term in terms:
        if term.pattern is None:
            start = text.find(term.text)
            while start >= 0:
                hits.append(_Hit(start, start + len(term.text), term))
                start = text.find(term.text, start + 1)
        else:
            hits.extend(_Hit(m.start(), m.end(), term) for m in term.pattern.finditer(text))
    return hits


def _longest_first(hits: list[_Hit]) -> list[_Hit]:
    """Keep the longest hits: a hit overlapping a kept hit is dropped, unless it covers
    exactly the same span with another code (one word naming several codes)."""
    kept: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start), h.start, -h.term.weight)):
        if all(hit.end <= k.start or hit.start >= k.end
               or ((hit.start, hit.end) == (k.start, k.end) and hit.term.code != k.term.code)
               for k in kept):
            kept.append(hit)
    return kept


def classify_event_text(text: str, graph: QualityGraph | None = None) -> list[CodeMatch]:
    """The defect codes a free text names, best first (``[]`` when none)."""
    if graph is None:
        from knowledge_graph.load import load_graph

        graph = load_graph()
    norm = normalize(text)
    if not norm:
        return []
    by_code: dict[str, list[_Hit]] = {}
    for hit in _longest_first(_hits(norm, _index(graph))):
        by_code.setdefault(hit.term.code, []).append(hit)
    matches: list[CodeMatch] = []
    first: dict[str, int] = {}
    for code, hits in by_code.items():
        miss = 1.0
        for weight in {h.term.text: h.term.weight for h in hits}.values():
            miss *= 1.0 - weight
        defect = graph.defect(code)
        assert defect is not None
        matched = list(dict.fromkeys(text_of(norm, h) for h in sorted(hits, key=lambda h: h.start)))
        matches.append(CodeMatch(code=code, score=round(1.0 - miss, 4), name=defect.name,
                                 category=defect.category, matched=matched))
        first[code] = min(h.start for h in hits)
    return sorted(matches, key=lambda m: (-m.score, first[m.code], m.code))


def text_of(norm: str, hit: _Hit) -> str:
    return norm[hit.start:hit.end]
