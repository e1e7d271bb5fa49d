"""Bilingual tokens and a small BM25 ranker (no models, no downloads)."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

_WORD = re.compile(r"[a-z0-9]+(?:[-_.][a-z0-9]+)*")
_CJK = re.compile(r"[\u3400-\u9fff]+")
_STOP = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "by", "did", "do", "does", "for", "from", "had",
    "has", "have", "how", "in", "is", "it", "its", "of", "on", "or", "our", "that", "the",
    "their", "then", "there", "this", "to", "was", "were", "what", "when", "where", "which",
    "who", "why", "will", "with", "last", "week", "month", "day", "days", "since", "after",
    "before",
))
K1 = 1.2
B = 0.75


def tokens(text: str) -> list[str]:
    """English words (lower case, a plural ``s`` stripped) and Chinese character bigrams."""
    norm = unicodedata.normalize("NFKC", text).casefold()
    found: list[str] = []
    for word in _WORD.findall(norm):
        if word in _STOP or (len(word) < 2 and not word.isdigit()):
            continue
        found.append(word[:-1] if len(word) > 3 and word.endswith("s") and not
                     word.endswith("ss") else word)
    for run in _CJK.findall(norm):
        found.extend([run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)])
    return found


def bm25(query: Sequence[str], documents: Sequence[Sequence[str]]) -> list[float]:
    """BM25 score of every document for the query tokens."""
    if not documents:
        return []
    n = len(documents)
    average = sum(len(d) for d in documents) / n or 1.0
    frequency = Counter(t for d in documents for t in set(d))
    scores: list[float] = []
    counts = [Counter(d) for d in documents]
    for doc, count in zip(documents, counts, strict=True):
        score = 0.0
        for term in set(query):
            tf = count.get(term, 0)
            if not tf:
                continue
            idf = math.log(1.0 + (n - frequency[term] + 0.5) / (frequency[term] + 0.5))
            score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * len(doc) / average))
        scores.append(score)
    return scores
