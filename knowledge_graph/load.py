"""Load ``data/graph.json`` (plus a knowledge overlay) into a ``QualityGraph``, cached."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import networkx as nx

from knowledge_graph.errors import KnowledgeGraphError
from knowledge_graph.graph import QualityGraph
from knowledge_graph.overlay import OVERLAY_FILE, apply_overlay, read_overlay
from knowledge_graph.paths import FORMAT, GRAPH_PATH

_CACHE: dict[tuple[object, ...], QualityGraph] = {}
_LOCK = threading.Lock()


def _state(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def load_graph(path: Path | None = None, *, knowledge: Path | None = None) -> QualityGraph:
    """The graph in ``path`` (default: the shipped graph.json) with the overlay of the
    knowledge folder merged, cached per file state. Treat the result as read-only."""
    path = Path(path or GRAPH_PATH).resolve()
    overlay_path = Path(knowledge).resolve() / OVERLAY_FILE if knowledge else None
    key = (str(path), _state(path), str(overlay_path),
           _state(overlay_path) if overlay_path else None)
    with _LOCK:
        cached = _CACHE.get(key)
    if cached is not None:
        return cached
    graph = _read(path)
    if knowledge is not None:
        skipped = apply_overlay(graph.nx, read_overlay(Path(knowledge)))
        graph.overlay_skipped = skipped
    with _LOCK:
        if len(_CACHE) > 16:
            _CACHE.clear()
        _CACHE[key] = graph
    return graph


def _read(path: Path) -> QualityGraph:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise KnowledgeGraphError(f"cannot read the knowledge graph {path}: {exc}") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise KnowledgeGraphError(f"{path} is not an Andon quality graph ({FORMAT})")
    graph = nx.MultiDiGraph()
    try:
        graph.add_nodes_from((n["id"], n) for n in document["nodes"])
        for e in document["edges"]:
            key = e["kind"] if "direction" not in e else f"{e['kind']}:{e['direction']}"
            graph.add_edge(e["source"], e["target"], key=key, **e)
    except (KeyError, TypeError) as exc:
        raise KnowledgeGraphError(f"{path} is malformed: {exc!r}") from exc
    return QualityGraph(graph, version=int(document.get("version", 0)),
                        content_hash=str(document.get("content_hash", "")))
