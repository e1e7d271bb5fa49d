"""Hybrid clause retrieval: exact clause numbers first, then BM25 keywords and vectors fused
by reciprocal rank.

``StandardsIndex.open(path=...)`` loads the corpus, syncs the Chroma store (embedding only
what changed) and returns an index; ``search_standards(SearchArgs(...), index=...)`` and
``show_clause("IATF 16949 10.2.3")`` are the tools the agents and interfaces call.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tools.standards.bm25 import BM25
from tools.standards.corpus import Corpus, Resolution, default_corpus
from tools.standards.embedders import DEFAULT_EMBEDDER, Embedder, get_embedder
from tools.standards.models import ClauseHit, ClauseRecord, SearchArgs
from tools.standards.refs import find_references
from tools.standards.store import ClauseStore, Progress, SyncReport
from tools.standards.text import bigrams, tokens, words

RRF_K = 60
MAX_PINNED = 3  # a bare number found in more standards than this is a hint, not an answer
PARENT_SCORE = 0.95
FUSED_MAX = 0.9  # fused scores stay below a clause-number match (1.0) and its parent (0.95)
# "Which clause..." asks for a requirement: the AIAG manuals (guidance with chapters and
# sections, not clauses) step back unless the question names one of them.
_ASKS_CLAUSE = re.compile(r"\bclauses?\b|条款|哪一?条", re.IGNORECASE)
GUIDANCE_FACTOR = 0.7


@dataclass(frozen=True)
class Weights:
    """Fusion weights of the ranked lists and how deep each list is read."""

    keyword: float = 1.0
    vector: float = 1.0
    pool: int = 50
    method: str = "score"  # "score": min-max scaled scores, weighted; "rrf": reciprocal rank
    chinese: str = "jieba"  # Chinese keyword tokens: "jieba" words or character "bigrams"


def record_tokens(record: ClauseRecord, chinese: str = "jieba") -> list[str]:
    """What keyword search sees of a record: headings and keywords twice, summaries once."""
    split = bigrams if chinese == "bigrams" else words
    heading = " ".join([record.title, record.title_zh, *record.keywords_en, *record.keywords_zh])
    return tokens(heading, split) * 2 + tokens(f"{record.summary_en} {record.summary_zh}", split)


class StandardsIndex:
    """The corpus with its keyword index and (optionally) its vector store."""

    def __init__(self, corpus: Corpus, store: ClauseStore | None = None,
                 weights: Weights = Weights()) -> None:
        self.corpus = corpus
        self.store = store
        self.weights = weights
        self.records = list(corpus)
        self._split = bigrams if weights.chinese == "bigrams" else words
        self._bm25 = BM25([record_tokens(r, weights.chinese) for r in self.records])
        self._position = {r.key: i for i, r in enumerate(self.records)}

    @classmethod
    def open(cls, *, path: Path | None = None, url: str | None = None,
             embedder: str | Embedder = DEFAULT_EMBEDDER, corpus: Corpus | None = None,
             rebuild: bool = False, progress: Progress | None = None,
             weights: Weights = Weights()) -> tuple[StandardsIndex, SyncReport]:
        """Open the store in ``path`` (or the Chroma server at ``url``), bring it up to date
        with the corpus and return the index with what the sync did."""
        corpus = corpus or default_corpus()
        model = get_embedder(embedder) if isinstance(embedder, str) else embedder
        store = ClauseStore.open(model, path=path, url=url)
        report = store.sync(corpus, rebuild=rebuild, progress=progress)
        model.embed_query("warm up")  # loads the model's weights now, not on the first query
        return cls(corpus, store, weights), report

    def search(self, args: SearchArgs) -> list[ClauseHit]:
        query = args.query.strip()
        explicit = self.corpus.check_standards(args.standards) if args.standards else None
        hits = self._search(query, args.k, explicit or find_references(query).standards or None,
                            explicit is not None)
        if not hits and explicit is None:  # a named standard with nothing relevant: widen
            hits = self._search(query, args.k, None, False)
        return hits

    def _search(self, query: str, k: int, scope: list[str] | None,
                explicit: bool) -> list[ClauseHit]:
        pinned: dict[str, tuple[ClauseRecord, str]] = {}
        for res in self.corpus.resolve(query, within=scope if explicit else None):
            if len(res.records) <= MAX_PINNED:
                for record in res.records:
                    if scope is None or record.standard in scope or res.how == "base":
                        pinned.setdefault(record.key, (record, _how(res)))
        allowed = None if scope is None else {
            i for i, r in enumerate(self.records) if r.standard in scope}
        pool = max(self.weights.pool, k)
        keyword = [(self.records[i].key, s)
                   for i, s in self._bm25.top(tokens(query, self._split), pool, allowed)]
        vector: list[tuple[str, float]] = []
        if self.store is not None and self.weights.vector > 0:
            vector = self.store.query(self.store.embedder.embed_query(query), pool, scope)
        lists = {"keyword": (keyword, self.weights.keyword),
                 "vector": (vector, self.weights.vector)}
        fused = _fuse_scores(lists) if self.weights.method == "score" else _fuse(lists)
        mentions = find_references(query)
        if _ASKS_CLAUSE.search(query) and not any(
                s.startswith("AIAG") for s in [*mentions.standards, *mentions.weak]):
            fused = sorted(((key, (score * GUIDANCE_FACTOR, how)) if key.startswith("AIAG")
                            else (key, (score, how)) for key, (score, how) in fused),
                           key=lambda item: -item[1][0])
        hits = [_hit(record, PARENT_SCORE if how == "parent" else 1.0, [how])
                for record, how in pinned.values()]
        for key, (score, matched) in fused:
            if key not in pinned and len(hits) < k:
                hits.append(_hit(self.records[self._position[key]], score, matched))
        return hits[:k]


def _how(res: Resolution) -> str:
    return "parent" if res.how == "parent" else "exact"


Ranked = Sequence[tuple[str, float]]
Fused = list[tuple[str, tuple[float, list[str]]]]


def _fuse(lists: Mapping[str, tuple[Ranked, float]]) -> Fused:
    """Reciprocal rank fusion, scaled into 0..FUSED_MAX (first in every list = FUSED_MAX)."""
    scores: dict[str, float] = {}
    matched: dict[str, list[str]] = {}
    best = sum(w for _, w in lists.values()) / (RRF_K + 1)
    for name, (ranked, weight) in lists.items():
        for rank, (key, _) in enumerate(ranked):
            scores[key] = scores.get(key, 0.0) + weight / (RRF_K + rank + 1)
            matched.setdefault(key, []).append(name)
    return _ranked(scores, matched, best)


def _fuse_scores(lists: Mapping[str, tuple[Ranked, float]]) -> Fused:
    """Weighted sum of each list's scores scaled to 0..1 (best in its list = 1, the pool's
    last = 0): unlike ranks, keeps how far ahead a confident first result is."""
    scores: dict[str, float] = {}
    matched: dict[str, list[str]] = {}
    for name, (ranked, weight) in lists.items():
        if not ranked:
            continue
        top, low = ranked[0][1], ranked[-1][1]
        for key, value in ranked:
            scaled = (value - low) / (top - low) if top > low else 1.0
            scores[key] = scores.get(key, 0.0) + weight * scaled
            matched.setdefault(key, []).append(name)
    return _ranked(scores, matched, sum(w for _, w in lists.values()))


def _ranked(scores: dict[str, float], matched: dict[str, list[str]], best: float) -> Fused:
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    return [(key, (round(FUSED_MAX * score / best, 4) if best else 0.0, matched[key]))
            for key, score in ranked]


def _hit(record: ClauseRecord, score: float, matched: list[str]) -> ClauseHit:
    return ClauseHit(standard=record.standard, clause=record.clause, title=record.title,
                     score=score, edition=record.edition, title_zh=record.title_zh,
                     summary_en=record.summary_en, summary_zh=record.summary_zh,
                     matched=matched, note=record.note)


def search_standards(args: SearchArgs, *, index: StandardsIndex) -> list[ClauseHit]:
    """Find the clauses of quality standards that answer a question.

    Covers ISO 9001:2015, IATF 16949:2016 (supplemental requirements), VDA 6.3 (process
    elements P1-P7 and their questions), ISO 13485:2016, 21 CFR Part 11, the AIAG core tools
    (APQP, PPAP, AIAG-VDA FMEA, MSA, SPC) and AIAG CQI-9/11/12/15/23. Ask in English or
    Chinese ("Which IATF clause covers problem solving?", "控制计划要求在哪个条款"), or cite a
    clause ("IATF 16949 10.2.3", "P6.4", "21 CFR 11.10(e)"): a cited clause comes first with
    score 1.0. Naming a standard in the question limits the search to it; ``standards`` does
    so explicitly. Each hit gives the standard, clause number, title, a summary of what the
    clause asks in Andon's own words, and a score (higher is better).
    """
    return index.search(args)


def show_clause(reference: str, *, corpus: Corpus | None = None) -> ClauseRecord:
    """The full record of one clause, e.g. ``show_clause("IATF 16949 10.2.3")``.

    Accepts 'STANDARD CLAUSE', a bare number when only one standard has it ('8.5.1.1'),
    VDA questions ('P6.4') and CFR sections ('§11.10(e)'). An unknown clause is refused with
    the nearest clauses that exist; a bare number found in several standards asks which.
    """
    return (corpus or default_corpus()).lookup(reference)
