"""Records of the quality knowledge graph: node and edge records, and query results."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

Category6M = Literal["man", "machine", "material", "method", "measurement", "environment"]
CandidateKind = Literal["material_lot", "supplier", "tool", "machine", "maintenance_event",
                        "process_parameter", "operator", "shift", "engineering_change"]
Direction = Literal["up", "down", "spread"]
NodeKind = Literal["defect", "cause", "parameter", "equipment", "characteristic", "control",
                   "action", "clause"]
EdgeKind = Literal["caused_by", "via_parameter", "on_equipment", "set_on", "affects", "related_to",
                   "detected_by", "prevented_by", "contained_by", "corrected_by", "cites"]
ControlKind = Literal["detection", "prevention"]
ActionKind = Literal["containment", "corrective"]

CATEGORIES_6M: tuple[str, ...] = get_args(Category6M)
CANDIDATE_KINDS: tuple[str, ...] = get_args(CandidateKind)
DIRECTIONS: tuple[str, ...] = get_args(Direction)
NODE_KINDS: tuple[str, ...] = get_args(NodeKind)
EDGE_KINDS: tuple[str, ...] = get_args(EdgeKind)

_KEY = r"^[a-z0-9][a-z0-9_.:]*$"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(_Frozen):
    """A text in English and Chinese."""

    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)


class Node(_Frozen):
    """One node of the graph: ``id`` is ``<kind>:<key>``; ``attrs`` depend on the kind."""

    id: str
    kind: NodeKind
    key: str = Field(pattern=_KEY)
    name: Text
    attrs: dict[str, object] = Field(default_factory=dict)


class Edge(_Frozen):
    """One edge: ``source`` and ``target`` are node ids."""

    source: str
    target: str
    kind: EdgeKind
    strength: float = Field(ge=0.0, le=1.0)
    evidence: str = Field(min_length=1)
    origin: str = Field(min_length=1, description="seed file or confirmed investigation")
    direction: Direction | None = None

    @property
    def key(self) -> str:
        """The multigraph key: the edge kind, plus the direction when there is one."""
        return self.kind if self.direction is None else f"{self.kind}:{self.direction}"


class DefectNode(_Frozen):
    """A defect type as the graph knows it (names from the code list)."""

    code: str
    name: Text
    category: str
    processes: tuple[str, ...]
    detection_method: str
    synonyms_en: tuple[str, ...] = ()
    synonyms_zh: tuple[str, ...] = ()
    hints_en: tuple[str, ...] = ()
    hints_zh: tuple[str, ...] = ()


class CauseNode(_Frozen):
    """A cause with its 6M category and the RCA candidate kinds it shows up as."""

    cause_id: str
    name: Text
    category_6m: Category6M
    description: Text
    candidate_kinds: tuple[CandidateKind, ...]
    processes: tuple[str, ...] = ()
    parameters: tuple[str, ...] = ()
    equipment: tuple[str, ...] = ()


class CauseLink(_Frozen):
    """A cause reached from a defect or a characteristic, with the link's strength."""

    cause_id: str
    name: Text
    category_6m: Category6M
    strength: float
    evidence: str
    candidate_kinds: list[CandidateKind]
    parameters: list[str]
    equipment: list[str] = Field(default_factory=list)
    processes: list[str] = Field(default_factory=list)
    direction: Direction | None = None
    source: str = ""


class Actions(_Frozen):
    """What to do about a cause: containment, corrective actions and preventive controls."""

    cause_id: str
    containment: list[Text]
    corrective: list[Text]
    prevention: list[Text] = Field(default_factory=list)


class ClauseRef(_Frozen):
    """A clause of a standard."""

    standard: str
    clause: str
    title: str
    title_zh: str = ""


class ControlRef(_Frozen):
    """A detection or prevention control."""

    control_id: str
    name: Text
    kind: ControlKind


class CodeMatch(_Frozen):
    """A defect code found in free text, with a score in (0, 1]."""

    code: str
    score: float
    name: Text
    category: str
    matched: list[str]
