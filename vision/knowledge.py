"""Root-cause path and suggested compensation for a defect code, from the knowledge graph
(``knowledge_graph.load_graph``, see docs/knowledge_graph.md).

While the graph is missing or unreadable, explanations are empty and say why in ``note``;
a verdict never fails because of the graph.
"""

from __future__ import annotations

import functools
from typing import Any

from pydantic import BaseModel, Field


class PathStep(BaseModel):
    """One node on the root-cause path: defect -> cause -> parameter -> equipment."""

    node: str = Field(description="Graph node id, e.g. 'defect:scratch', 'cause:...'.")
    name: str
    name_zh: str | None = None
    strength: float | None = Field(default=None, description="Link strength (causes).")


class Compensation(BaseModel):
    """A containment or corrective step the graph holds for the most likely cause."""

    kind: str = Field(description="containment, corrective or prevention")
    en: str
    zh: str | None = None


class LikelyCause(BaseModel):
    cause_id: str
    name: str
    category_6m: str | None = None
    strength: float


class Explanation(BaseModel):
    root_cause_path: list[PathStep] = Field(default_factory=list)
    suggested_compensation: list[Compensation] = Field(default_factory=list)
    likely_causes: list[LikelyCause] = Field(default_factory=list)
    note: str | None = None


def _text(value: Any) -> tuple[str, str | None]:
    if value is None:
        return "", None
    if isinstance(value, str):
        return value, None
    return str(getattr(value, "en", value)), getattr(value, "zh", None)


def _node_name(graph: Any, node_id: str) -> tuple[str, str | None]:
    kind, _, key = node_id.partition(":")
    record = None
    if kind == "defect" and hasattr(graph, "defect"):
        record = graph.defect(key)
    elif kind == "cause" and hasattr(graph, "cause"):
        record = graph.cause(key)
    if record is not None and getattr(record, "name", None) is not None:
        return _text(record.name)
    attrs = graph.nx.nodes.get(node_id, {}) if hasattr(graph, "nx") else {}
    name = attrs.get("name") if isinstance(attrs, dict) else None
    if isinstance(name, dict):
        return str(name.get("en", key)), name.get("zh")
    return key.replace("_", " "), None


@functools.cache
def explain(defect_code: str, process: str | None = None) -> Explanation:
    """The strongest cause chain of a defect and what the graph says to do about it."""
    try:
        from knowledge_graph import load_graph  # type: ignore[attr-defined,unused-ignore]

        graph = load_graph()
        links = list(graph.causes_of(defect_code, process=process))
        if not links and process is not None:
            links = list(graph.causes_of(defect_code))
    except Exception as exc:  # the graph is another package's data: never fail a verdict
        return Explanation(note=f"knowledge graph unavailable ({type(exc).__name__}: {exc})")
    if not links:
        return Explanation(note=f"the knowledge graph holds no causes of {defect_code}")
    causes = [LikelyCause(cause_id=link.cause_id, name=_text(link.name)[0],
                          category_6m=getattr(link, "category_6m", None),
                          strength=float(link.strength)) for link in links[:3]]
    top = links[0]
    path_ids = next((p for p in graph.paths(defect_code)
                     if len(p) > 1 and p[1] == f"cause:{top.cause_id}"),
                    [f"defect:{defect_code}", f"cause:{top.cause_id}"])
    steps = []
    for node_id in path_ids:
        name, name_zh = _node_name(graph, node_id)
        strength = float(top.strength) if node_id == f"cause:{top.cause_id}" else None
        steps.append(PathStep(node=node_id, name=name, name_zh=name_zh, strength=strength))
    compensation: list[Compensation] = []
    try:
        actions = graph.actions_for(top.cause_id)
        for kind in ("corrective", "containment", "prevention"):
            for item in getattr(actions, kind, []) or []:
                en, zh = _text(item)
                compensation.append(Compensation(kind=kind, en=en, zh=zh))
    except LookupError:
        pass
    return Explanation(root_cause_path=steps, suggested_compensation=compensation,
                       likely_causes=causes)
