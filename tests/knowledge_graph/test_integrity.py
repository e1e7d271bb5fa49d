"""The shipped graph is whole: ends exist, strengths in range, bilingual, enough content."""

from __future__ import annotations

import re
from collections import Counter

from knowledge_graph import CANDIDATE_KINDS, CATEGORIES_6M, QualityGraph
from knowledge_graph.build import GRAPH_PATH, is_stale
from knowledge_graph.defect_codes import load_defect_codes
from knowledge_graph.graph import fold
from knowledge_graph.models import EDGE_KINDS, NODE_KINDS
from tests.knowledge_graph.conftest import load_cases

EXPECT = load_cases("integrity.yaml")


def test_graph_json_is_built_from_the_seed() -> None:
    assert not is_stale(GRAPH_PATH), "run: python -m knowledge_graph.build"


def test_every_edge_joins_existing_nodes_with_valid_kind_and_strength(graph: QualityGraph) -> None:
    assert graph.nx.number_of_edges() > 0
    for u, v, data in graph.nx.edges(data=True):
        assert u in graph.nx and v in graph.nx
        assert data["kind"] in EDGE_KINDS, (u, v, data["kind"])
        assert 0.0 <= data["strength"] <= 1.0, (u, v, data)
        assert data["evidence"].strip(), (u, v)
    for node, data in graph.nx.nodes(data=True):
        assert data["kind"] in NODE_KINDS and node == f"{data['kind']}:{data['key']}"


def test_edge_kinds_join_the_right_node_kinds(graph: QualityGraph) -> None:
    allowed = {k: tuple(v) for k, v in EXPECT["edge_ends"].items()}
    for u, v, data in graph.nx.edges(data=True):
        source, target = allowed[data["kind"]]
        assert graph.nx.nodes[u]["kind"] == source or source == "*", (u, data["kind"], v)
        assert graph.nx.nodes[v]["kind"] == target, (u, data["kind"], v)
        assert (data.get("direction") is not None) == (data["kind"] == "affects"), (u, v)


def test_every_node_is_bilingual(graph: QualityGraph) -> None:
    for node, data in graph.nx.nodes(data=True):
        name = data["name"]
        assert name["en"].strip() and name["zh"].strip(), node
        assert re.search(r"[\u4e00-\u9fff]", name["zh"]), (node, name["zh"])
        assert not re.search(r"[\u4e00-\u9fff]", name["en"]), (node, name["en"])


def test_defects_have_causes_and_corrective_actions(graph: QualityGraph) -> None:
    for code in graph.defect_codes():
        links = graph.causes_of(code)
        assert len(links) >= EXPECT["min_causes_per_defect"], code
        corrective = [a for link in links for a in graph.actions_for(link.cause_id).corrective]
        assert corrective, code


def test_causes_are_complete(graph: QualityGraph) -> None:
    kinds: Counter[str] = Counter()
    for cause_id in graph.cause_ids():
        cause = graph.cause(cause_id)
        assert cause is not None
        assert cause.category_6m in CATEGORIES_6M
        assert cause.candidate_kinds, cause_id
        assert cause.description.en and re.search(r"[\u4e00-\u9fff]", cause.description.zh)
        actions = graph.actions_for(cause_id)
        assert actions.containment and actions.corrective, cause_id
        assert graph.clauses_for(cause_id), cause_id
        kinds.update(set(cause.candidate_kinds))
    assert len(graph.cause_ids()) >= EXPECT["min_causes"]
    for kind in CANDIDATE_KINDS:
        assert kinds[kind] >= EXPECT["min_causes_per_candidate_kind"], (kind, kinds[kind])
    assert {graph.cause(c).category_6m for c in graph.cause_ids()} == set(CATEGORIES_6M)  # type: ignore[union-attr]


def test_clause_numbers_are_well_formed(graph: QualityGraph) -> None:
    clauses = [d for _, d in graph.nx.nodes(data=True)
               if d["kind"] == "clause" and d["key"] != "problem_solving"]
    assert clauses
    for data in clauses:
        assert data["attrs"]["standard"] in EXPECT["standards"], data
        assert re.fullmatch(r"\d+(\.\d+)*", data["attrs"]["clause"]), data


def test_enough_defects_over_the_seven_processes(graph: QualityGraph) -> None:
    processes = EXPECT["processes"]
    per_process: Counter[str] = Counter()
    in_scope = 0
    for code in graph.defect_codes():
        defect = graph.defect(code)
        assert defect is not None
        mine = set(defect.processes) & set(processes)
        in_scope += bool(mine)
        per_process.update(mine)
    assert in_scope >= EXPECT["min_defects"]
    for process in processes:
        assert per_process[process] >= EXPECT["min_defects_per_process"], (process, per_process)


def test_graph_and_code_list_agree(graph: QualityGraph) -> None:
    codes = {c.code: c for c in load_defect_codes()}
    assert set(graph.defect_codes()) == set(codes)
    for code, item in codes.items():
        defect = graph.defect(code)
        assert defect is not None
        assert (defect.name.en, defect.name.zh, defect.category) == \
            (item.name_en, item.name_zh, item.category)


def test_plant_parameters_and_characteristics_are_known(graph: QualityGraph) -> None:
    for name in EXPECT["plant_parameters"]:
        assert graph.resolve_parameter(name) == name, name
    for name in EXPECT["plant_characteristics"]:
        assert graph.resolve_characteristic(name) == name, name
    for name in EXPECT["plant_equipment"]:
        assert f"equipment:{name}" in graph.nx, name


def test_aliases_name_one_node_per_kind(graph: QualityGraph) -> None:
    for kind in ("characteristic", "parameter"):
        owners: dict[str, set[str]] = {}
        for _, data in graph.nx.nodes(data=True):
            if data["kind"] != kind:
                continue
            names = [data["key"], data["name"]["en"], data["name"]["zh"],
                     *data["attrs"].get("aliases", [])]
            for name in names:
                owners.setdefault(fold(name), set()).add(data["key"])
        clashes = {k: v for k, v in owners.items() if len(v) > 1}
        assert clashes == {}, (kind, clashes)


def test_every_parameter_a_cause_uses_is_set_on_equipment(graph: QualityGraph) -> None:
    for node, data in graph.nx.nodes(data=True):
        if data["kind"] == "parameter" and graph.nx.in_degree(node):
            kinds = {d["kind"] for _, _, d in graph.nx.out_edges(node, data=True)}
            assert "set_on" in kinds, node


def test_every_parameter_has_a_drift_cause(graph: QualityGraph) -> None:
    """RCA candidates of kind process_parameter find a graph cause for any known parameter."""
    for name in graph.parameters():
        edges = graph.nx.in_edges(f"parameter:{name}", data=True)
        causes = [u.split(":", 1)[1] for u, _, d in edges if d["kind"] == "via_parameter"]
        kinds = {k for c in causes for k in graph.cause(c).candidate_kinds}  # type: ignore[union-attr]
        assert "process_parameter" in kinds, (name, causes)
