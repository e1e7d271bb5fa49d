"""Root-cause path and compensation come from the knowledge graph's API; a missing graph
never breaks a verdict."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pytest

import knowledge_graph
from vision.knowledge import explain


class FakeGraph:
    """The documented QualityGraph surface (docs/knowledge_graph.md), two causes."""

    def causes_of(self, code: str, *, process: str | None = None) -> list[SimpleNamespace]:
        name = SimpleNamespace(en="guide roll wear", zh="导辊磨损")
        other = SimpleNamespace(en="debris on the strip", zh="带钢表面异物")
        if code != "scratch":
            return []
        return [SimpleNamespace(cause_id="sr_guide_roll_wear", name=name, strength=0.7,
                                category_6m="machine"),
                SimpleNamespace(cause_id="sr_debris", name=other, strength=0.4,
                                category_6m="environment")]

    def paths(self, code: str, max_length: int = 4) -> list[list[str]]:
        return [["defect:scratch", "cause:sr_guide_roll_wear", "equipment:guide_roll"]]

    def defect(self, code: str) -> SimpleNamespace:
        return SimpleNamespace(name=SimpleNamespace(en="scratch", zh="划伤"))

    def cause(self, cause_id: str) -> SimpleNamespace | None:
        return SimpleNamespace(name=SimpleNamespace(en="guide roll wear", zh="导辊磨损"))

    def actions_for(self, cause_id: str) -> SimpleNamespace:
        text = SimpleNamespace
        return SimpleNamespace(cause_id=cause_id,
                               containment=[text(en="sort the coil", zh="挑选")],
                               corrective=[text(en="regrind the guide roll", zh="修磨导辊")],
                               prevention=[])

    nx = SimpleNamespace(nodes={})


@pytest.fixture
def fake_graph(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(knowledge_graph, "load_graph", lambda: FakeGraph(), raising=False)
    explain.cache_clear()
    yield
    explain.cache_clear()


def test_path_and_compensation_follow_the_strongest_cause(fake_graph: None) -> None:
    result = explain("scratch", "steel_rolling")
    assert [s.node for s in result.root_cause_path] == [
        "defect:scratch", "cause:sr_guide_roll_wear", "equipment:guide_roll"]
    assert result.root_cause_path[1].strength == 0.7
    assert result.root_cause_path[0].name_zh == "划伤"
    assert result.root_cause_path[2].name == "guide roll"
    assert [c.kind for c in result.suggested_compensation] == ["corrective", "containment"]
    assert result.suggested_compensation[0].en == "regrind the guide roll"
    assert [c.cause_id for c in result.likely_causes] == ["sr_guide_roll_wear", "sr_debris"]


def test_a_defect_without_causes_says_so(fake_graph: None) -> None:
    result = explain("crazing")
    assert result.root_cause_path == [] and "no causes of crazing" in (result.note or "")


def test_an_unreadable_graph_gives_an_empty_explanation(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    def broken() -> None:
        raise ValueError("graph.json is missing")

    monkeypatch.setattr(knowledge_graph, "load_graph", broken, raising=False)
    explain.cache_clear()
    try:
        result = explain("scratch")
        assert result.root_cause_path == [] and "graph.json is missing" in (result.note or "")
    finally:
        explain.cache_clear()
