"""Free text in English and Chinese -> unified quality event codes (data-driven)."""

from __future__ import annotations

from typing import Any

import pytest

from knowledge_graph import QualityGraph, classify_event_text
from tests.knowledge_graph.conftest import load_cases

CASES = load_cases("event_text_cases.yaml")["cases"]


def test_there_are_enough_cases_in_both_languages() -> None:
    chinese = [c for c in CASES if any("\u4e00" <= ch <= "\u9fff" for ch in c["text"])]
    assert len(CASES) >= 60 and len(chinese) >= 25 and len(CASES) - len(chinese) >= 25


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["text"] or "<empty>")
def test_classify(graph: QualityGraph, case: dict[str, Any]) -> None:
    matches = classify_event_text(case["text"], graph)
    codes = [m.code for m in matches]
    if case.get("none"):
        assert codes == []
        return
    assert matches, case
    if "top" in case:
        assert codes[0] == case["top"], [(m.code, m.score, m.matched) for m in matches]
    assert set(case.get("includes", [])) <= set(codes), codes
    for match in matches:
        assert 0 < match.score <= 1 and match.matched and match.name.zh
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_default_graph_is_the_shipped_one(graph: QualityGraph) -> None:
    assert classify_event_text("短射") == classify_event_text("短射", graph)


def test_a_word_inside_a_longer_word_counts_for_the_longer_one(graph: QualityGraph) -> None:
    # 尺寸超差 (dimension out of tolerance) contains 超差, also a synonym of the same code;
    # 表面粗糙度超差 is surface roughness: the longer name wins over 超差 / 粗糙度
    assert [m.code for m in classify_event_text("表面粗糙度超差", graph)] == ["surface_roughness"]
    match = classify_event_text("尺寸超差", graph)[0]
    assert match.matched == ["尺寸超差"] and match.score == 1.0
