"""Clause references in text, and their resolution against the corpus.
Cases: tests/fixtures/standards/references.yaml."""

from __future__ import annotations

from typing import Any

import pytest

from tests.standards.conftest import cases
from tools.standards import Corpus
from tools.standards.refs import canonical_standard, find_references, parent_clause

CASES = cases("references.yaml")


@pytest.mark.parametrize("case", CASES["cases"], ids=[c["text"] for c in CASES["cases"]])
def test_references(case: dict[str, Any], corpus: Corpus) -> None:
    found = find_references(case["text"])
    if "standards" in case:
        assert found.standards == case["standards"]
    if "weak" in case:
        assert found.weak == case["weak"]
    assert found.clauses == case["clauses"]
    if "resolve" in case:
        got = [[r.cited, [x.key for x in r.records], r.how] for r in corpus.resolve(case["text"])]
        assert got == case["resolve"]


@pytest.mark.parametrize("case", CASES["standard_names"], ids=lambda c: c["name"] or "empty")
def test_standard_names(case: dict[str, Any]) -> None:
    assert canonical_standard(case["name"]) == case["canonical"]


@pytest.mark.parametrize(("clause", "parent"), [
    ("8.5.1.1", "8.5.1"), ("10", None), ("11.10(e)", "11.10"), ("P6.2.3", "P6.2"),
    ("P6", None), ("III-B", "III")])
def test_parent_clause(clause: str, parent: str | None) -> None:
    assert parent_clause(clause) == parent
