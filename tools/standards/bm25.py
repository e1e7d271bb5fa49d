"""Okapi BM25 over a small in-memory corpus (a few hundred clause records)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence


class BM25:
    """``BM25(docs).top(query_tokens, n)`` -> [(doc index, score)], best first."""

    def __init__(self, docs: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.tf = [Counter(doc) for doc in docs]
        self.length = [len(doc) for doc in docs]
        self.avg = (sum(self.length) / len(docs)) if docs else 0.0
        df: Counter[str] = Counter()
        for counts in self.tf:
            df.update(counts.keys())
        n = len(docs)
        self.idf = {term: math.log(1.0 + (n - f + 0.5) / (f + 0.5)) for term, f in df.items()}

    def scores(self, query: Sequence[str]) -> list[float]:
        out = [0.0] * len(self.tf)
        for term in set(query):
            idf = self.idf.get(term)
            if idf is None:
                continue
            for i, counts in enumerate(self.tf):
                f = counts.get(term)
                if f:
                    norm = self.k1 * (1 - self.b + self.b * self.length[i] / self.avg)
                    out[i] += idf * f * (self.k1 + 1) / (f + norm)
        return out

    def top(self, query: Sequence[str], n: int,
            allowed: set[int] | None = None) -> list[tuple[int, float]]:
        scored = [(i, s) for i, s in enumerate(self.scores(query))
                  if s > 0 and (allowed is None or i in allowed)]
        scored.sort(key=lambda pair: (-pair[1], pair[0]))
        return scored[:n]
