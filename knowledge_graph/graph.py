"""``QualityGraph``: the quality knowledge graph in networkx, with its queries."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

import networkx as nx

from knowledge_graph.errors import UnknownNode
from knowledge_graph.models import (
    NODE_KINDS,
    Actions,
    CauseLink,
    CauseNode,
    ClauseRef,
    ControlRef,
    DefectNode,
    Direction,
    Text,
)
from knowledge_graph.prior import prior as _prior

_BARE_ORDER = ("defect", "cause", "control", "action", "parameter", "equipment",
               "characteristic", "clause")


def fold(name: str) -> str:
    """Case, width, spaces and hyphens folded: ``"Wall-Thickness "`` -> ``"wall_thickness"``."""
    text = unicodedata.normalize("NFKC", name).casefold().strip()
    return "_".join(text.replace("-", " ").replace("_", " ").split())


def _text(raw: dict[str, str]) -> Text:
    return Text(en=raw["en"], zh=raw["zh"])


class QualityGraph:
    """The graph (``nx``, a MultiDiGraph keyed by edge kind) and its queries."""

    def __init__(self, graph: nx.MultiDiGraph, *, version: int, content_hash: str) -> None:
        self.nx = graph
        self.version = version
        self.content_hash = content_hash
        self._aliases: dict[str, dict[str, str]] = {"characteristic": {}, "parameter": {}}
        for _node_id, data in graph.nodes(data=True):
            kind = data["kind"]
            if kind in self._aliases:
                names = [data["key"], data["name"]["en"], data["name"]["zh"],
                         *data["attrs"].get("aliases", [])]
                for name in names:
                    self._aliases[kind].setdefault(fold(name), data["key"])
        self._cause_cache: dict[str, CauseNode] = {}
        self.overlay_skipped: list[Any] = []

    # --- lookups -----------------------------------------------------------------------
    def node_id(self, node: str) -> str:
        """The full node id of ``node`` (a full id or a bare key); raises ``UnknownNode``."""
        if node in self.nx and ":" in node and node.split(":", 1)[0] in NODE_KINDS:
            return node
        for kind in _BARE_ORDER:
            if f"{kind}:{node}" in self.nx:
                return f"{kind}:{node}"
        raise UnknownNode(f"the knowledge graph has no node {node!r}")

    def _nodes(self, kind: str) -> Iterator[tuple[str, dict[str, Any]]]:
        return ((n, d) for n, d in self.nx.nodes(data=True) if d["kind"] == kind)

    def defect_codes(self) -> list[str]:
        return sorted(d["key"] for _, d in self._nodes("defect"))

    def cause_ids(self) -> list[str]:
        return sorted(d["key"] for _, d in self._nodes("cause"))

    def characteristics(self) -> list[str]:
        return sorted(d["key"] for _, d in self._nodes("characteristic"))

    def parameters(self, process: str | None = None) -> list[str]:
        return sorted(d["key"] for _, d in self._nodes("parameter")
                      if process is None or process in d["attrs"].get("processes", []))

    def resolve_characteristic(self, name: str) -> str | None:
        return self._aliases["characteristic"].get(fold(name))

    def resolve_parameter(self, name: str) -> str | None:
        return self._aliases["parameter"].get(fold(name))

    def defect(self, code: str) -> DefectNode | None:
        data = self.nx.nodes.get(f"defect:{code}")
        if data is None:
            return None
        attrs = data["attrs"]
        return DefectNode(code=data["key"], name=_text(data["name"]), category=attrs["category"],
                          processes=tuple(attrs.get("processes", ())),
                          detection_method=attrs.get("detection_method", ""),
                          synonyms_en=tuple(attrs.get("synonyms_en", ())),
                          synonyms_zh=tuple(attrs.get("synonyms_zh", ())),
                          hints_en=tuple(attrs.get("hints_en", ())),
                          hints_zh=tuple(attrs.get("hints_zh", ())))

    def cause(self, cause_id: str) -> CauseNode | None:
        if cause_id in self._cause_cache:
            return self._cause_cache[cause_id]
        data = self.nx.nodes.get(f"cause:{cause_id}")
        if data is None:
            return None
        attrs = data["attrs"]
        node = CauseNode(cause_id=data["key"], name=_text(data["name"]),
                         category_6m=attrs["category_6m"], description=_text(attrs["description"]),
                         candidate_kinds=tuple(attrs.get("candidate_kinds", ())),
                         processes=tuple(attrs.get("processes", ())),
                         parameters=tuple(attrs.get("parameters", ())),
                         equipment=tuple(attrs.get("equipment", ())))
        self._cause_cache[cause_id] = node
        return node

    def _out(self, node_id: str, kind: str) -> Iterator[tuple[str, dict[str, Any]]]:
        if node_id not in self.nx:
            return iter(())
        return ((v, d) for _, v, d in self.nx.out_edges(node_id, data=True) if d["kind"] == kind)

    # --- cause links -------------------------------------------------------------------
    def _link(self, cause_id: str, edge: dict[str, Any], source: str) -> CauseLink:
        cause = self.cause(cause_id)
        assert cause is not None
        return CauseLink(cause_id=cause_id, name=cause.name, category_6m=cause.category_6m,
                         strength=edge["strength"], evidence=edge["evidence"],
                         candidate_kinds=list(cause.candidate_kinds),
                         parameters=list(cause.parameters), equipment=list(cause.equipment),
                         processes=list(cause.processes), direction=edge.get("direction"),
                         source=source)

    def _applies(self, cause_id: str, process: str | None) -> bool:
        if process is None:
            return True
        cause = self.cause(cause_id)
        return cause is not None and (not cause.processes or process in cause.processes)

    @staticmethod
    def _ranked(links: list[CauseLink]) -> list[CauseLink]:
        return sorted(links, key=lambda link: (-link.strength, link.cause_id))

    def causes_of(self, defect_code: str, *, process: str | None = None) -> list[CauseLink]:
        """Causes of a defect, strongest first; ``[]`` for a code the graph does not know."""
        source = f"defect:{defect_code}"
        return self._ranked([self._link(v.split(":", 1)[1], d, source)
                             for v, d in self._out(source, "caused_by")
                             if self._applies(v.split(":", 1)[1], process)])

    def causes_for_characteristic(self, name: str, direction: Direction | None = None, *,
                                  process: str | None = None) -> list[CauseLink]:
        """Causes that move a characteristic (in ``direction``), strongest first."""
        key = self.resolve_characteristic(name)
        if key is None:
            return []
        target = f"characteristic:{key}"
        best: dict[str, CauseLink] = {}
        for u, _, d in self.nx.in_edges(target, data=True):
            if d["kind"] != "affects" or (direction is not None and d["direction"] != direction):
                continue
            cause_id = u.split(":", 1)[1]
            if not self._applies(cause_id, process):
                continue
            if cause_id not in best or d["strength"] > best[cause_id].strength:
                best[cause_id] = self._link(cause_id, d, target)
        return self._ranked(list(best.values()))

    def prior(self, candidate_kind: str, name: str | None = None, *,
              characteristic: str | None = None, defect_code: str | None = None,
              process: str | None = None, direction: Direction | None = None) -> float:
        """How plausible a candidate of this kind is as the cause (see docs/knowledge_graph.md)."""
        return _prior(self, candidate_kind, name, characteristic=characteristic,
                     defect_code=defect_code, process=process, direction=direction)

    # --- actions, controls, clauses ----------------------------------------------------
    def actions_for(self, cause_id: str) -> Actions:
        node = self.node_id(cause_id if cause_id.startswith("cause:") else f"cause:{cause_id}")
        texts: dict[str, list[Text]] = {"contained_by": [], "corrected_by": []}
        for kind, items in texts.items():
            items.extend(_text(self.nx.nodes[v]["name"]) for v, _ in sorted(self._out(node, kind)))
        prevention = [c.name for c in self.controls_for(node)]
        return Actions(cause_id=node.split(":", 1)[1], containment=texts["contained_by"],
                       corrective=texts["corrected_by"], prevention=prevention)

    def controls_for(self, node_id: str) -> list[ControlRef]:
        node = self.node_id(node_id)
        kind = "detected_by" if node.startswith("defect:") else "prevented_by"
        return [ControlRef(control_id=self.nx.nodes[v]["key"], name=_text(self.nx.nodes[v]["name"]),
                           kind="detection" if kind == "detected_by" else "prevention")
                for v, _ in sorted(self._out(node, kind))]

    def _clause(self, node_id: str) -> ClauseRef:
        data = self.nx.nodes[node_id]
        return ClauseRef(standard=data["attrs"]["standard"], clause=data["attrs"]["clause"],
                         title=data["name"]["en"], title_zh=data["name"]["zh"])

    def clauses_for(self, node_id: str) -> list[ClauseRef]:
        """Clauses the node cites (a defect also those of its detection controls)."""
        node = self.node_id(node_id)
        found = [v for v, _ in self._out(node, "cites")]
        if node.startswith("defect:"):
            for control, _ in self._out(node, "detected_by"):
                found.extend(v for v, _ in self._out(control, "cites"))
        return [self._clause(v) for v in sorted(dict.fromkeys(found), key=_clause_order)]

    def problem_solving_clauses(self) -> list[ClauseRef]:
        members = self.nx.nodes["clause:problem_solving"]["attrs"]["members"]
        return [self._clause(f"clause:{key}") for key in members]

    # --- structure ---------------------------------------------------------------------
    def paths(self, defect_code: str, max_length: int = 4) -> list[list[str]]:
        """defect -> cause -> parameter -> equipment (and defect -> cause -> equipment)."""
        start = f"defect:{defect_code}"
        if start not in self.nx or max_length < 2:
            return []
        found: list[list[str]] = []
        for link in self.causes_of(defect_code):
            cause = f"cause:{link.cause_id}"
            tails: list[list[str]] = []
            if max_length >= 3:
                for param, _ in sorted(self._out(cause, "via_parameter")):
                    equipment = sorted(v for v, _ in self._out(param, "set_on"))
                    if max_length >= 4 and equipment:
                        tails.extend([param, e] for e in equipment)
                    else:
                        tails.append([param])
                if not tails:
                    tails = [[v] for v, _ in sorted(self._out(cause, "on_equipment"))]
            found.extend([start, cause, *tail] for tail in (tails or [[]]))
        return found

    def defects_for_characteristic(self, name: str) -> list[str]:
        """Defect codes related to a characteristic, strongest first."""
        key = self.resolve_characteristic(name)
        if key is None:
            return []
        target = f"characteristic:{key}"
        edges = [(u, d["strength"]) for u, _, d in self.nx.in_edges(target, data=True)
                 if d["kind"] == "related_to"]
        return [u.split(":", 1)[1] for u, _ in sorted(edges, key=lambda e: (-e[1], e[0]))]


def _clause_order(node_id: str) -> tuple[str, tuple[int, ...]]:
    standard, _, clause = node_id.split(":", 1)[1].partition(":")
    return standard, tuple(int(p) for p in clause.split(".") if p.isdigit())
