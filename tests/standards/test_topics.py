"""The clause mapping other parts of Andon cite. Cases: tests/fixtures/standards/topics.yaml."""

from __future__ import annotations

from typing import Any

import pytest

from tests.standards.conftest import cases
from tools.standards import Corpus, clauses_for_topic, topics
from tools.standards.errors import UnknownTopic

CASES = cases("topics.yaml")


@pytest.mark.parametrize(("topic", "case"), CASES["topics"].items())
def test_topic(topic: str, case: dict[str, Any], corpus: Corpus) -> None:
    keys = [ref.key for ref in clauses_for_topic(topic)]
    assert keys[:len(case["first"])] == case["first"]
    assert set(case["includes"]) <= set(keys)
    assert len(keys) == len(set(keys))
    assert all(corpus.by_key(k) is not None for k in keys)


def test_every_topic_has_cases() -> None:
    assert set(topics()) == set(CASES["topics"])


@pytest.mark.parametrize("topic", CASES["unknown"])
def test_unknown_topic(topic: str) -> None:
    with pytest.raises(UnknownTopic) as info:
        clauses_for_topic(topic)
    assert "spc_monitor" in info.value.details["topics"]
