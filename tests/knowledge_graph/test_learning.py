"""Learning round trip: confirmed causes nudge the graph (overlay) and are retrieved later."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from knowledge_graph import (
    ConfirmedCause,
    KnowledgeGraphError,
    KnowledgeStore,
    ProblemQuery,
    load_graph,
)
from knowledge_graph.build import GRAPH_PATH
from knowledge_graph.overlay import NEW_EDGE_STRENGTH, learned_strength
from tests.knowledge_graph.conftest import load_cases

CASES = load_cases("learning_cases.yaml")


def _confirmed(case: dict[str, Any]) -> ConfirmedCause:
    fields = {k: v for k, v in case.items() if not k.startswith("expect_")}
    return ConfirmedCause.model_validate(fields)


def _edge_strength(store: KnowledgeStore, case: dict[str, Any]) -> float | None:
    graph = store.graph()
    if case.get("defect_code"):
        data = graph.nx.get_edge_data(f"defect:{case['defect_code']}",
                                      f"cause:{case['expect_cause']}", "caused_by")
    else:
        data = graph.nx.get_edge_data(f"cause:{case['expect_cause']}",
                                      f"characteristic:{case['characteristic']}",
                                      f"affects:{case['direction']}")
    return None if data is None else data["strength"]


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[KnowledgeStore]:
    shipped = GRAPH_PATH.read_bytes()
    yield KnowledgeStore(tmp_path / "knowledge")
    assert GRAPH_PATH.read_bytes() == shipped, "the shipped graph.json must never be rewritten"


def test_round_trip(store: KnowledgeStore) -> None:
    base = load_graph()
    for case in CASES["investigations"]:
        before = _edge_strength(store, case)
        snapshot = store.record_confirmed_cause(_confirmed(case))
        assert snapshot.cause.cause_id == case["expect_cause"]
        assert snapshot.evidence == case["evidence"] and snapshot.actions is not None
        assert snapshot.actions.corrective and snapshot.clauses
        assert ("IATF 16949", "10.2.3") in {(c.standard, c.clause) for c in snapshot.clauses}
        after = _edge_strength(store, case)
        assert after is not None
        expected = learned_strength(NEW_EDGE_STRENGTH if before is None else before, 1)
        assert after == pytest.approx(expected, abs=1e-6) and after > (before or 0.0)
    assert (store.path / "overlay.json").is_file()
    assert len(list((store.path / "snapshots").glob("*.json"))) == len(CASES["investigations"])
    # a fresh store object (a restart) sees the overlay; the plain graph does not
    reloaded = KnowledgeStore(store.path).graph()
    first = CASES["investigations"][0]
    link = next(x for x in reloaded.causes_for_characteristic("weight", "down")
                if x.cause_id == first["expect_cause"])
    assert "INV-001" in link.evidence
    plain = next(x for x in base.causes_for_characteristic("weight", "down")
                 if x.cause_id == first["expect_cause"])
    assert link.strength > plain.strength and "INV-001" not in plain.evidence
    assert load_graph() is base


def test_confirming_twice_counts_twice(store: KnowledgeStore) -> None:
    case = CASES["investigations"][1]
    before = _edge_strength(store, case)
    assert before is not None
    store.record_confirmed_cause(_confirmed(case))
    store.record_confirmed_cause(_confirmed({**case, "investigation_id": "INV-002b",
                                             "closed_at": "2025-04-12T08:30:00Z"}))
    assert _edge_strength(store, case) == pytest.approx(learned_strength(before, 2), abs=1e-6)
    link = next(x for x in store.graph().causes_of("burr") if x.cause_id == case["expect_cause"])
    assert "confirmed 2x" in link.evidence and "INV-002b" in link.evidence


def test_similar_snapshots(store: KnowledgeStore) -> None:
    assert store.similar_snapshots("P-100 重量下降") == []
    for case in CASES["investigations"]:
        store.record_confirmed_cause(_confirmed(case))
    for query in CASES["queries"]:
        raw = query["query"]
        problem = raw if isinstance(raw, str) else ProblemQuery.model_validate(raw)
        found = store.similar_snapshots(problem, k=3)
        if query.get("none"):
            assert found == [], found
            continue
        assert found and found[0].snapshot.investigation_id == query["top"], \
            [(m.snapshot.investigation_id, m.score) for m in found]
        assert len(found) <= 3 and all(m.score > 0 for m in found)


def test_a_cause_the_graph_lacks_is_still_a_snapshot(store: KnowledgeStore) -> None:
    case = {"investigation_id": "INV-X", "closed_at": "2025-01-01T00:00:00Z",
            "candidate_kind": "shift", "candidate_name": "B", "process": "welding",
            "defect_code": "no_such_code", "evidence": ["only on shift B"]}
    snapshot = store.record_confirmed_cause(ConfirmedCause.model_validate(case))
    assert snapshot.cause.kind == "shift"
    with pytest.raises(KnowledgeGraphError):
        store.record_confirmed_cause(ConfirmedCause.model_validate(
            {**case, "cause_id": "no_such_cause"}))


def test_closed_at_must_be_timezone_aware() -> None:
    with pytest.raises(ValidationError):
        ConfirmedCause(investigation_id="I", closed_at=datetime(2025, 1, 1),  # noqa: DTZ001
                       candidate_kind="tool")


def test_a_broken_overlay_is_reported(store: KnowledgeStore) -> None:
    store.path.mkdir(parents=True)
    (store.path / "overlay.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(KnowledgeGraphError):
        store.graph()
