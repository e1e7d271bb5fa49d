"""Andon's defect knowledge graph: defects, causes (6M), parameters, equipment,
characteristics, controls, actions and standard clauses, with queries and learning.

The stable interface is documented in docs/knowledge_graph.md. This package imports
nothing from the rest of Andon and reads no environment.
"""

from knowledge_graph.classify import classify_event_text
from knowledge_graph.errors import KnowledgeGraphError, UnknownNode
from knowledge_graph.graph import QualityGraph
from knowledge_graph.learning import (
    ConfirmedCause,
    KnowledgeStore,
    ProblemQuery,
    Snapshot,
    SnapshotCause,
    SnapshotMatch,
)
from knowledge_graph.load import load_graph
from knowledge_graph.models import (
    CANDIDATE_KINDS,
    CATEGORIES_6M,
    DIRECTIONS,
    Actions,
    CandidateKind,
    CauseLink,
    CauseNode,
    ClauseRef,
    CodeMatch,
    ControlRef,
    DefectNode,
    Direction,
    Text,
)

__all__ = [
    "CANDIDATE_KINDS",
    "CATEGORIES_6M",
    "DIRECTIONS",
    "Actions",
    "CandidateKind",
    "CauseLink",
    "CauseNode",
    "ClauseRef",
    "CodeMatch",
    "ConfirmedCause",
    "ControlRef",
    "DefectNode",
    "Direction",
    "KnowledgeGraphError",
    "KnowledgeStore",
    "ProblemQuery",
    "QualityGraph",
    "Snapshot",
    "SnapshotCause",
    "SnapshotMatch",
    "Text",
    "UnknownNode",
    "classify_event_text",
    "load_graph",
]
