"""The learning overlay: confirmed causes merged over the shipped graph on load.

The overlay stores, per edge, how many investigations confirmed it and their evidence; the
merged strength is recomputed from the shipped strength on every load, so a new shipped
graph and an old overlay stay coherent: ``s = 1 - (1 - s0) * (1 - LEARNING_RATE) ** n``.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from knowledge_graph.errors import KnowledgeGraphError
from knowledge_graph.models import Direction, EdgeKind

LEARNING_RATE = 0.2
NEW_EDGE_STRENGTH = 0.3
EVIDENCE_KEPT = 5
OVERLAY_FILE = "overlay.json"
FORMAT = "andon-knowledge-overlay"


class OverlayEdge(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str
    target: str
    kind: EdgeKind
    direction: Direction | None = None
    confirmations: int = Field(ge=1)
    evidence: list[str] = Field(default_factory=list)

    @property
    def key(self) -> str:
        return self.kind if self.direction is None else f"{self.kind}:{self.direction}"


class Overlay(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: str = FORMAT
    version: int = 1
    edges: list[OverlayEdge] = Field(default_factory=list)

    def find(self, source: str, target: str, key: str) -> OverlayEdge | None:
        return next((e for e in self.edges
                     if (e.source, e.target, e.key) == (source, target, key)), None)


def read_overlay(folder: Path) -> Overlay:
    path = folder / OVERLAY_FILE
    if not path.is_file():
        return Overlay()
    try:
        return Overlay.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError) as exc:
        raise KnowledgeGraphError(f"cannot read the knowledge overlay {path}: {exc}") from exc


def write_overlay(folder: Path, overlay: Overlay) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / OVERLAY_FILE
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(overlay.model_dump_json(indent=2), encoding="utf-8")
    tmp.replace(path)


def learned_strength(base: float, confirmations: int) -> float:
    return 1.0 - (1.0 - base) * (1.0 - LEARNING_RATE) ** confirmations


def apply_overlay(graph: nx.MultiDiGraph, overlay: Overlay) -> list[OverlayEdge]:
    """Merge the overlay into ``graph`` in place; returns the entries whose nodes are gone."""
    skipped: list[OverlayEdge] = []
    for item in overlay.edges:
        if item.source not in graph or item.target not in graph:
            skipped.append(item)
            continue
        current = graph.get_edge_data(item.source, item.target, item.key)
        if current is None:
            base, evidence = NEW_EDGE_STRENGTH, "learned from confirmed investigations"
            data: dict[str, object] = {"kind": item.kind, "origin": "overlay"}
            if item.direction is not None:
                data["direction"] = item.direction
        else:
            base, evidence, data = float(current["strength"]), current["evidence"], dict(current)
        recent = "; ".join(item.evidence[-EVIDENCE_KEPT:])
        data["strength"] = round(learned_strength(base, item.confirmations), 6)
        data["evidence"] = f"{evidence} | confirmed {item.confirmations}x: {recent}"
        graph.add_edge(item.source, item.target, key=item.key, **data)
    return skipped
