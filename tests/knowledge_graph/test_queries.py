"""Query cases: causes, characteristics, priors, actions, clauses, paths (data-driven)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from knowledge_graph import CANDIDATE_KINDS, KnowledgeGraphError, QualityGraph, UnknownNode
from knowledge_graph.prior import CEILING, FLOOR, UNKNOWN_PARAMETER_FACTOR
from tests.knowledge_graph.conftest import load_cases

CASES = load_cases("query_cases.yaml")


def _check_list(found: list[str], case: dict[str, Any]) -> None:
    if case.get("empty"):
        assert found == []
        return
    assert found, case
    if "top" in case:
        top = case["top"] if isinstance(case["top"], list) else [case["top"]]
        assert set(found[:len(top)]) == set(top), (found[:5], case)
    assert set(case.get("includes", [])) <= set(found), (found, case)
    assert not set(case.get("excludes", [])) & set(found), (found, case)


@pytest.mark.parametrize("case", CASES["causes_of"],
                         ids=lambda c: f"{c['defect']}-{c.get('process')}")
def test_causes_of(graph: QualityGraph, case: dict[str, Any]) -> None:
    links = graph.causes_of(case["defect"], process=case.get("process"))
    strengths = [link.strength for link in links]
    assert strengths == sorted(strengths, reverse=True)
    for link in links:
        assert link.source == f"defect:{case['defect']}" and link.evidence and link.candidate_kinds
        assert not case.get("process") or not link.processes or case["process"] in link.processes
    _check_list([link.cause_id for link in links], case)


@pytest.mark.parametrize("case", CASES["causes_for_characteristic"],
                         ids=lambda c: f"{c['characteristic']}-{c.get('direction')}")
def test_causes_for_characteristic(graph: QualityGraph, case: dict[str, Any]) -> None:
    links = graph.causes_for_characteristic(case["characteristic"], case.get("direction"),
                                            process=case.get("process"))
    assert [x.strength for x in links] == sorted((x.strength for x in links), reverse=True)
    assert len({x.cause_id for x in links}) == len(links)
    assert all(x.direction == case.get("direction") for x in links if case.get("direction"))
    _check_list([link.cause_id for link in links], case)


@pytest.mark.parametrize("case", CASES["prior"], ids=lambda c: f"{c['higher']}>{c['lower']}")
def test_prior_ranks(graph: QualityGraph, case: dict[str, Any]) -> None:
    higher = graph.prior(*case["higher"], **case["problem"])
    lower = graph.prior(*case["lower"], **case["problem"])
    assert higher > lower, (higher, lower)


@pytest.mark.parametrize("case", CASES["prior"], ids=lambda c: str(c["problem"]))
def test_prior_is_a_bounded_probability_for_every_kind(graph: QualityGraph,
                                                       case: dict[str, Any]) -> None:
    for kind in CANDIDATE_KINDS:
        value = graph.prior(kind, None, **case["problem"])
        assert FLOOR <= value <= CEILING, (kind, value)


def test_prior_rules(graph: QualityGraph) -> None:
    problem: dict[str, Any] = {"characteristic": "weight", "direction": "down",
                               "process": "injection_molding"}
    any_parameter = graph.prior("process_parameter", None, **problem)
    assert graph.prior("process_parameter", "hold_pressure", **problem) <= any_parameter
    assert graph.prior("process_parameter", "Holding Pressure", **problem) == \
        graph.prior("process_parameter", "hold_pressure", **problem)
    unknown = graph.prior("process_parameter", "zz_unknown_parameter", **problem)
    assert unknown == pytest.approx(max(FLOOR, UNKNOWN_PARAMETER_FACTOR * any_parameter))
    assert graph.prior("tool", None, defect_code="banana") == FLOOR
    assert FLOOR <= graph.prior("machine", None) <= CEILING
    with pytest.raises(KnowledgeGraphError):
        graph.prior("weather", None, **problem)


@pytest.mark.parametrize("case", CASES["actions"], ids=lambda c: c["cause"])
def test_actions_for(graph: QualityGraph, case: dict[str, Any]) -> None:
    actions = graph.actions_for(case["cause"])
    assert actions.cause_id == case["cause"]
    for text in [*actions.containment, *actions.corrective, *actions.prevention]:
        assert text.en and text.zh and not text.zh.isascii()
    assert actions.containment and actions.corrective and actions.prevention
    assert graph.actions_for(f"cause:{case['cause']}") == actions


def test_unknown_nodes_raise(graph: QualityGraph) -> None:
    with pytest.raises(UnknownNode):
        graph.actions_for("no_such_cause")
    with pytest.raises(UnknownNode):
        graph.clauses_for("no_such_node")
    assert graph.causes_of("no_such_defect") == []
    assert graph.paths("no_such_defect") == []


@pytest.mark.parametrize("case", CASES["clauses"], ids=lambda c: c["node"])
def test_clauses_for(graph: QualityGraph, case: dict[str, Any]) -> None:
    found = {(c.standard, c.clause) for c in graph.clauses_for(case["node"])}
    assert {tuple(x) for x in case["includes"]} <= found, found


def test_problem_solving_clauses(graph: QualityGraph) -> None:
    clauses = graph.problem_solving_clauses()
    assert [(c.standard, c.clause) for c in clauses][:1] == [tuple(CASES["problem_solving"][0])]
    assert {tuple(x) for x in CASES["problem_solving"]} <= {(c.standard, c.clause) for c in clauses}
    assert all(c.title and c.title_zh for c in clauses)


@pytest.mark.parametrize("case", CASES["paths"],
                         ids=lambda c: f"{c['defect']}-{c.get('max_length')}")
def test_paths(graph: QualityGraph, case: dict[str, Any]) -> None:
    max_length = case.get("max_length", 4)
    paths = graph.paths(case["defect"], max_length=max_length)
    assert paths and all(2 <= len(p) <= max_length and p[0] == f"defect:{case['defect']}"
                         for p in paths)
    for path in paths:
        for u, v in itertools.pairwise(path):
            assert graph.nx.has_edge(u, v), (u, v)
    for wanted in case["includes"]:
        assert wanted in paths, paths[:5]


@pytest.mark.parametrize("case", CASES["defects_for_characteristic"],
                         ids=lambda c: c["characteristic"])
def test_defects_for_characteristic(graph: QualityGraph, case: dict[str, Any]) -> None:
    _check_list(graph.defects_for_characteristic(case["characteristic"]), case)
