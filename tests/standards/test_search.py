"""Retrieval smoke cases (tests/fixtures/standards/retrieval.yaml) and the hit shape."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from tests.standards.conftest import cases
from tools.standards import Corpus, SearchArgs, StandardsIndex, search_standards
from tools.standards.errors import UnknownStandard

CASES = cases("retrieval.yaml")


def _check(index: StandardsIndex, case: dict[str, Any]) -> None:
    hits = search_standards(SearchArgs(query=case["q"], k=5, standards=case.get("standards")),
                            index=index)
    keys = [h.key for h in hits]
    if "first" in case:
        assert keys[0] == case["first"], keys
    if "expect" in case:
        assert case["expect"] in keys[:case.get("within", 3)], keys
    if "only" in case:
        assert {h.standard for h in hits} <= set(case["only"]), keys
    scores = [h.score for h in hits]
    assert all(0 <= s <= 1 for s in scores) and scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("case", CASES["keyword"], ids=lambda c: c["q"])
def test_keyword_and_exact(keyword_index: StandardsIndex, case: dict[str, Any]) -> None:
    _check(keyword_index, case)


@pytest.mark.parametrize("case", CASES["hybrid"], ids=lambda c: c["q"])
def test_hybrid_with_use(hybrid_index: StandardsIndex, case: dict[str, Any]) -> None:
    _check(hybrid_index, case)


@pytest.mark.parametrize("case", CASES["vector_only"], ids=lambda c: c["q"])
def test_vectors_find_what_keywords_miss(hybrid_index: StandardsIndex, small_corpus: Corpus,
                                         case: dict[str, Any]) -> None:
    args = SearchArgs(query=case["q"], k=3)
    keyword_only = [h.key for h in StandardsIndex(small_corpus).search(args)]
    assert case["expect"] not in keyword_only
    first = hybrid_index.search(args)[0]
    assert first.key == case["expect"] and first.matched == ["vector"]


def test_exact_match_scores_one_and_fused_stay_below(keyword_index: StandardsIndex) -> None:
    hits = keyword_index.search(SearchArgs(query="IATF 16949 10.2.4 error proofing", k=5))
    assert hits[0].key == "IATF 16949 10.2.4" and hits[0].score == 1.0
    assert hits[0].matched == ["exact"]
    assert all(h.score <= 0.9 for h in hits[1:])


def test_parent_of_a_missing_clause_scores_below_exact(keyword_index: StandardsIndex) -> None:
    hits = keyword_index.search(SearchArgs(query="VDA 6.3 P6.2.3", k=3))
    assert hits[0].key == "VDA 6.3 P6.2" and hits[0].score == 0.95
    assert hits[0].matched == ["parent"]


def test_contract_fields(keyword_index: StandardsIndex) -> None:
    hit = keyword_index.search(SearchArgs(query="控制计划", k=1))[0]
    body = hit.model_dump(mode="json")
    assert {"standard", "clause", "title", "score"} <= set(body)
    assert isinstance(body["score"], float)


def test_unknown_standard_filter(keyword_index: StandardsIndex) -> None:
    with pytest.raises(UnknownStandard):
        keyword_index.search(SearchArgs(query="audit", standards=["AS9100"]))


@pytest.mark.parametrize("bad", [{"query": ""}, {"query": "x", "k": 0}, {"query": "x", "k": 51},
                                 {"query": "x" * 501}, {"query": "x", "other": 1}])
def test_search_args_are_validated(bad: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        SearchArgs(**bad)


def test_a_named_standard_with_no_match_widens(keyword_index: StandardsIndex) -> None:
    hits = keyword_index.search(SearchArgs(query="CQI-9 electronic signature password", k=3))
    assert hits and any(h.standard == "21 CFR Part 11" for h in hits)
