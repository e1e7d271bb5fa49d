"""Errors of the knowledge graph (it imports nothing from the product, so not tools/errors)."""

from __future__ import annotations


class KnowledgeGraphError(ValueError):
    """The graph data (seed, graph.json, overlay, snapshot) is missing or malformed."""


class UnknownNode(KnowledgeGraphError, LookupError):
    """A node id (defect code, cause id, clause...) the graph does not hold."""
