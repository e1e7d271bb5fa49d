"""Turn the seed files (``data/seed/*.yaml``) and the code list into graph nodes and edges."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from knowledge_graph.defect_codes import DefectCode, load_defect_codes
from knowledge_graph.errors import KnowledgeGraphError
from knowledge_graph.models import Edge, Node, Text
from knowledge_graph.paths import SEED_DIR
from knowledge_graph.seed_schema import (
    ActionSeed,
    CauseSeed,
    CharacteristicSeed,
    ClauseFile,
    ControlSeed,
    DefectSeed,
    EquipmentSeed,
    MetaFile,
    NamedSeed,
    ParameterSeed,
    ProcessFile,
)

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_M = TypeVar("_M", bound=BaseModel)
_N = TypeVar("_N", bound=NamedSeed)
SHARED_FILES = ("meta", "clauses", "controls", "actions", "characteristics", "equipment",
                "parameters")


class SeedContent(BaseModel):
    """Everything the seed says, validated and cross-checked."""

    version: int
    nodes: list[Node]
    edges: list[Edge]


def _read(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeGraphError(f"cannot read seed file {path}: {exc}") from exc


def _parse(model: type[_M], data: Any, where: str) -> _M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise KnowledgeGraphError(f"{where}: {loc}: {first['msg']}") from exc


def _named_list(model: type[_N], path: Path, key: str) -> list[_N]:
    raw = _read(path).get(key, [])
    return [_parse(model, item, f"{path.name} {key}[{i}]") for i, item in enumerate(raw)]


class _Builder:
    def __init__(self, codes: list[DefectCode]) -> None:
        self.nodes: dict[str, Node] = {}
        self.edges: dict[tuple[str, str, str], Edge] = {}
        self.codes = {c.code: c for c in codes}

    def node(self, kind: str, key: str, name: Text, **attrs: object) -> None:
        node_id = f"{kind}:{key}"
        if node_id in self.nodes:
            raise KnowledgeGraphError(f"node {node_id} is defined twice in the seed")
        self.nodes[node_id] = Node(id=node_id, kind=kind, key=key, name=name,  # type: ignore[arg-type]
                                   attrs={k: v for k, v in attrs.items() if v not in ((), None)})

    def edge(self, source: str, target: str, kind: str, strength: float, evidence: str,
             origin: str, direction: str | None = None) -> None:
        for end in (source, target):
            if end not in self.nodes:
                raise KnowledgeGraphError(f"{origin}: {kind} edge names unknown node {end}")
        item = Edge(source=source, target=target, kind=kind, strength=strength,  # type: ignore[arg-type]
                    evidence=evidence, origin=origin, direction=direction)  # type: ignore[arg-type]
        index = (source, target, item.key)
        if index in self.edges:
            raise KnowledgeGraphError(f"{origin}: edge {source} -{item.key}-> {target} repeats")
        self.edges[index] = item


def load_seed(seed_dir: Path | None = None, codes_path: Path | None = None) -> SeedContent:
    """Read and cross-check the seed; raise ``KnowledgeGraphError`` naming the bad entry."""
    seed_dir = seed_dir or SEED_DIR
    meta = _parse(MetaFile, _read(seed_dir / "meta.yaml"), "meta.yaml")
    b = _Builder(load_defect_codes(codes_path))
    clauses = _parse(ClauseFile, _read(seed_dir / "clauses.yaml"), "clauses.yaml")
    for clause in clauses.clauses:
        b.node("clause", clause.key, Text(en=clause.en, zh=clause.zh),
               standard=clause.standard, clause=clause.clause)
    b.node("clause", "problem_solving", Text(en="problem solving", zh="问题解决"),
           members=list(clauses.problem_solving))
    _shared_nodes(b, seed_dir)
    for code in b.codes.values():
        b.node("defect", code.code, Text(en=code.name_en, zh=code.name_zh),
               category=code.category, processes=list(code.processes),
               detection_method=code.detection_method, synonyms_en=list(code.synonyms_en),
               synonyms_zh=list(code.synonyms_zh))
    files = sorted(p for p in seed_dir.glob("*.yaml") if p.stem not in SHARED_FILES)
    parsed = [(p.name, _parse(ProcessFile, _read(p), p.name)) for p in files]
    for name, content in parsed:
        for cause in content.causes:
            _cause_node(b, cause, content.process, meta.processes, name)
    for name, content in parsed:
        for cause in content.causes:
            _cause_edges(b, cause, clauses, name)
    hints: dict[str, tuple[list[str], list[str]]] = {}
    for name, content in parsed:
        for defect in content.defects:
            _defect_edges(b, defect, name)
            en, zh = hints.setdefault(defect.code, ([], []))
            en.extend(defect.hints_en)
            zh.extend(defect.hints_zh)
    for key, (en, zh) in hints.items():
        node = b.nodes[f"defect:{key}"]
        b.nodes[node.id] = node.model_copy(update={"attrs": {
            **node.attrs, "hints_en": _unique(en), "hints_zh": _unique(zh)}})
    return SeedContent(version=meta.version, nodes=list(b.nodes.values()),
                       edges=list(b.edges.values()))


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _shared_nodes(b: _Builder, seed_dir: Path) -> None:
    for e in _named_list(EquipmentSeed, seed_dir / "equipment.yaml", "equipment"):
        b.node("equipment", e.key, Text(en=e.en, zh=e.zh), role=e.role,
               processes=list(e.processes), aliases=list(e.aliases))
    for p in _named_list(ParameterSeed, seed_dir / "parameters.yaml", "parameters"):
        b.node("parameter", p.key, Text(en=p.en, zh=p.zh), unit=p.unit,
               processes=list(p.processes), aliases=list(p.aliases))
        for equip in p.equipment:
            b.edge(f"parameter:{p.key}", f"equipment:{equip}", "set_on", 1.0,
                   f"{p.en} is set and controlled on the {equip.replace('_', ' ')}",
                   "parameters.yaml")
    for c in _named_list(CharacteristicSeed, seed_dir / "characteristics.yaml", "characteristics"):
        b.node("characteristic", c.key, Text(en=c.en, zh=c.zh), unit=c.unit,
               aliases=list(c.aliases))
    for ctl in _named_list(ControlSeed, seed_dir / "controls.yaml", "controls"):
        b.node("control", ctl.key, Text(en=ctl.en, zh=ctl.zh), control_kind=ctl.kind)
        for clause in ctl.cites:
            b.edge(f"control:{ctl.key}", f"clause:{clause}", "cites", 1.0,
                   f"{ctl.en}: a control this clause requires", "controls.yaml")
    for act in _named_list(ActionSeed, seed_dir / "actions.yaml", "actions"):
        b.node("action", act.key, Text(en=act.en, zh=act.zh), action_kind=act.kind)
        for clause in act.cites:
            b.edge(f"action:{act.key}", f"clause:{clause}", "cites", 1.0,
                   f"{act.en}: an action this clause requires", "actions.yaml")


def _cause_node(b: _Builder, cause: CauseSeed, process: str | None,
                known: tuple[str, ...], origin: str) -> None:
    processes = list(cause.processes if cause.processes is not None else
                     ((process,) if process else ()))
    unknown = set(processes) - set(known)
    if unknown:
        raise KnowledgeGraphError(f"{origin}: cause {cause.id} names unknown processes "
                                  f"{sorted(unknown)}")
    b.node("cause", cause.id, Text(en=cause.en, zh=cause.zh), category_6m=cause.category,
           description=cause.description.model_dump(), candidate_kinds=list(cause.kinds),
           processes=processes, parameters=list(cause.parameters),
           equipment=list(cause.equipment))


def _cause_edges(b: _Builder, cause: CauseSeed, clauses: ClauseFile, origin: str) -> None:
    cid = f"cause:{cause.id}"
    why = cause.description.en
    for param in cause.parameters:
        b.edge(cid, f"parameter:{param}", "via_parameter", 1.0, why, origin)
    for equip in cause.equipment:
        b.edge(cid, f"equipment:{equip}", "on_equipment", 1.0, why, origin)
    for item in cause.affects:
        generic = item.characteristic == "*"
        targets = ([n.key for n in b.nodes.values() if n.kind == "characteristic"]
                   if generic else [item.characteristic])
        evidence = item.evidence or (f"{cause.en}: a generic cause that can move any "
                                     f"characteristic ({item.direction})" if generic else why)
        for char in targets:
            b.edge(cid, f"characteristic:{char}", "affects", item.strength, evidence, origin,
                   item.direction)
    for control in cause.prevented_by:
        b.edge(cid, f"control:{control}", "prevented_by", 1.0,
               f"prevents: {cause.en}", origin)
    for kind, entries in (("contained_by", cause.containment),
                          ("corrected_by", cause.corrective)):
        for n, entry in enumerate(entries, start=1):
            target = _action(b, cause.id, kind, n, entry)
            b.edge(cid, target, kind, 1.0, f"{kind.replace('_', ' ')}: {cause.en}", origin)
    cites = [*cause.cites, *clauses.cites_by_category.get(cause.category, ())]
    for kind in cause.kinds:
        cites.extend(clauses.cites_by_kind.get(kind, ()))
    for clause in _unique(cites):
        b.edge(cid, f"clause:{clause}", "cites", 1.0,
               f"{cause.category} cause ({', '.join(cause.kinds)}): clause applies", origin)


def _action(b: _Builder, cause_id: str, kind: str, n: int, entry: str | Text) -> str:
    if isinstance(entry, str):
        return f"action:{entry}"
    key = f"{cause_id}.{'k' if kind == 'contained_by' else 'c'}{n}"
    action_kind = "containment" if kind == "contained_by" else "corrective"
    b.node("action", key, Text(en=entry.en, zh=entry.zh), action_kind=action_kind)
    return f"action:{key}"


def _defect_edges(b: _Builder, defect: DefectSeed, origin: str) -> None:
    did = f"defect:{defect.code}"
    if defect.code not in b.codes:
        raise KnowledgeGraphError(f"{origin}: defect {defect.code} is not in defect_codes.yaml")
    for link in defect.causes:
        previous = b.edges.get((did, f"cause:{link.cause}", "caused_by"))
        if previous is None:
            b.edge(did, f"cause:{link.cause}", "caused_by", link.strength, link.evidence, origin)
        else:  # a shared cause named for the defect in two process files: merge
            b.edges[(did, f"cause:{link.cause}", "caused_by")] = previous.model_copy(update={
                "strength": max(previous.strength, link.strength),
                "evidence": f"{previous.evidence} / {link.evidence}",
                "origin": f"{previous.origin}, {origin}"})
    for control in defect.detected_by:
        if (did, f"control:{control}", "detected_by") not in b.edges:
            b.edge(did, f"control:{control}", "detected_by", 1.0,
                   f"detects {defect.code.replace('_', ' ')}", origin)
    for rel in defect.related:
        if (did, f"characteristic:{rel.characteristic}", "related_to") not in b.edges:
            b.edge(did, f"characteristic:{rel.characteristic}", "related_to", rel.strength,
                   f"{defect.code.replace('_', ' ')} shows in {rel.characteristic}", origin)
    for clause in defect.cites:
        b.edge(did, f"clause:{clause}", "cites", 1.0, "clause applies to this defect", origin)
