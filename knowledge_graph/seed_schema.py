"""The shape of the seed files under ``data/seed/`` (validated with pydantic).

Shared files: ``meta.yaml`` (version), ``clauses.yaml``, ``controls.yaml``, ``actions.yaml``,
``characteristics.yaml``, ``equipment.yaml``, ``parameters.yaml``, ``common.yaml`` (causes
that apply to every process). One file per process holds that process's causes and the
causes of its defects; a defect may appear in several process files (its causes add up).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from knowledge_graph.models import (
    ActionKind,
    CandidateKind,
    Category6M,
    ControlKind,
    Direction,
    Text,
)

_KEY = r"^[a-z0-9][a-z0-9_]*$"


class _Seed(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class NamedSeed(_Seed):
    key: str = Field(pattern=_KEY)
    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()


class ParameterSeed(NamedSeed):
    unit: str = ""
    processes: tuple[str, ...] = ()
    equipment: tuple[str, ...] = ()


class CharacteristicSeed(NamedSeed):
    unit: str = ""


class EquipmentSeed(NamedSeed):
    role: str = Field(pattern=r"^(machine|tool|gauge|facility)$")
    processes: tuple[str, ...] = ()


class ControlSeed(NamedSeed):
    kind: ControlKind
    cites: tuple[str, ...] = ()


class ActionSeed(NamedSeed):
    kind: ActionKind
    cites: tuple[str, ...] = ()


class ClauseSeed(_Seed):
    standard: str
    clause: str = Field(pattern=r"^\d+(\.\d+)*$")
    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)

    @property
    def key(self) -> str:
        return clause_key(self.standard, self.clause)


def clause_key(standard: str, clause: str) -> str:
    """``IATF 16949`` + ``10.2.3`` -> ``iatf16949:10.2.3``."""
    return "".join(ch for ch in standard.lower() if ch.isalnum()) + ":" + clause


class ClauseFile(_Seed):
    clauses: tuple[ClauseSeed, ...]
    problem_solving: tuple[str, ...]
    cites_by_kind: dict[CandidateKind, tuple[str, ...]] = Field(default_factory=dict)
    cites_by_category: dict[Category6M, tuple[str, ...]] = Field(default_factory=dict)


class Affects(_Seed):
    characteristic: str
    direction: Direction
    strength: float = Field(ge=0.0, le=1.0)
    evidence: str | None = None


def _listed(value: Any, names: tuple[str, ...]) -> Any:
    """Accept ``[a, b, c]`` (flow style) for a record whose fields are ``names``, in order."""
    if isinstance(value, list | tuple):
        return dict(zip(names, value, strict=False))
    return value


class CauseSeed(_Seed):
    id: str = Field(pattern=_KEY)
    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)
    category: Category6M
    kinds: tuple[CandidateKind, ...]
    description: Text
    processes: tuple[str, ...] | None = None
    parameters: tuple[str, ...] = ()
    equipment: tuple[str, ...] = ()
    affects: tuple[Affects, ...] = ()
    prevented_by: tuple[str, ...] = ()
    containment: tuple[str | Text, ...] = ()
    corrective: tuple[str | Text, ...] = ()
    cites: tuple[str, ...] = ()

    @field_validator("affects", mode="before")
    @classmethod
    def _affects(cls, value: Any) -> Any:
        names = ("characteristic", "direction", "strength", "evidence")
        return [_listed(item, names) for item in value or ()]


class DefectCause(_Seed):
    cause: str
    strength: float = Field(ge=0.0, le=1.0)
    evidence: str = Field(min_length=8)


class Related(_Seed):
    characteristic: str
    strength: float = Field(ge=0.0, le=1.0)


class DefectSeed(_Seed):
    code: str
    causes: tuple[DefectCause, ...] = ()
    detected_by: tuple[str, ...] = ()
    related: tuple[Related, ...] = ()
    hints_en: tuple[str, ...] = ()
    hints_zh: tuple[str, ...] = ()
    cites: tuple[str, ...] = ()

    @field_validator("causes", mode="before")
    @classmethod
    def _causes(cls, value: Any) -> Any:
        return [_listed(item, ("cause", "strength", "evidence")) for item in value or ()]

    @field_validator("related", mode="before")
    @classmethod
    def _related(cls, value: Any) -> Any:
        return [_listed(item, ("characteristic", "strength")) for item in value or ()]


class ProcessFile(_Seed):
    process: str | None = None
    causes: tuple[CauseSeed, ...] = ()
    defects: tuple[DefectSeed, ...] = ()


class MetaFile(_Seed):
    version: int = Field(ge=1)
    processes: tuple[str, ...]
    note: str = ""
