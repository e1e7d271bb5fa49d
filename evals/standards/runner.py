"""Run the questions through ``search_standards`` and score the rankings."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from evals.standards.dataset import Question
from tools.standards.corpus import Corpus, default_corpus
from tools.standards.models import SearchArgs
from tools.standards.search import StandardsIndex, Weights, search_standards
from tools.standards.store import SyncReport

DEPTH = 10  # results read per question (MRR@10)
INDEX_ROOT = Path(tempfile.gettempdir()) / "andon-evals-standards"


@dataclass
class Outcome:
    question: Question
    rank: int | None  # 1-based rank of the first accepted clause within DEPTH
    top: list[str]
    ms: float


@dataclass
class Summary:
    n: int
    recall_at_1: float
    recall_at_3: float
    recall_at_5: float
    mrr: float
    p50_ms: float
    p95_ms: float
    failures: list[str] = field(default_factory=list)


@dataclass
class Variant:
    """One retriever configuration to measure: an embedder (or none) and fusion weights."""

    name: str
    embedder: str | None
    weights: Weights = field(default_factory=Weights)


def open_index(variant: Variant, corpus: Corpus | None = None, *, root: Path = INDEX_ROOT,
               rebuild: bool = False) -> tuple[StandardsIndex, SyncReport | None]:
    corpus = corpus or default_corpus()
    if variant.embedder is None:
        return StandardsIndex(corpus, None, variant.weights), None
    return StandardsIndex.open(path=root / variant.embedder, embedder=variant.embedder,
                               corpus=corpus, rebuild=rebuild, weights=variant.weights)


def run(index: StandardsIndex, questions: Iterable[Question]) -> list[Outcome]:
    outcomes = []
    for question in questions:
        started = time.perf_counter()
        hits = search_standards(SearchArgs(query=question.q, k=DEPTH), index=index)
        ms = (time.perf_counter() - started) * 1000
        keys = [h.key for h in hits]
        rank = next((i + 1 for i, key in enumerate(keys) if key in question.accepted), None)
        outcomes.append(Outcome(question, rank, keys, ms))
    return outcomes


def summarize(outcomes: list[Outcome]) -> Summary:
    if not outcomes:
        return Summary(0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)

    def share(limit: int) -> float:
        return sum(o.rank is not None and o.rank <= limit for o in outcomes) / len(outcomes)

    times = sorted(o.ms for o in outcomes)
    return Summary(
        n=len(outcomes), recall_at_1=share(1), recall_at_3=share(3), recall_at_5=share(5),
        mrr=sum(1 / o.rank for o in outcomes if o.rank) / len(outcomes),
        p50_ms=statistics.median(times),
        p95_ms=times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        failures=[o.question.id for o in outcomes if o.rank is None or o.rank > 3])


def breakdown(outcomes: list[Outcome],
              by: Callable[[Question], str]) -> dict[str, Summary]:
    groups: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        groups.setdefault(by(outcome.question), []).append(outcome)
    return {name: summarize(group) for name, group in sorted(groups.items())}
