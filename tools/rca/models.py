"""What a root-cause investigation reads, finds and hands back (the ``andon rca`` shapes).

``ProblemSpec`` is the question as read (part, measure, statistic, direction, time hint);
``Problem`` is what the data showed (when it changed, affected against unaffected batches);
``RcaResult`` is the contract's ``{"question", "problem", "causes", "narrative", "actions"}``
plus ``clauses`` and ``language``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

CauseKind = Literal["material_lot", "supplier", "tool", "machine", "maintenance_event",
                    "process_parameter", "operator", "shift", "engineering_change"]
CAUSE_KINDS: tuple[str, ...] = ("material_lot", "supplier", "tool", "machine",
                                "maintenance_event", "process_parameter", "operator", "shift",
                                "engineering_change")
Measure = Literal["characteristic", "defect_code", "defect_rate", "incoming_inspection"]
Statistic = Literal["mean", "stdev", "range", "rate", "value", "count"]
Direction = Literal["up", "down"]
Language = Literal["en", "zh"]
Mode = Literal["change", "static"]


class TimeHint(BaseModel):
    """A time named in the question, resolved against the data's last date."""

    model_config = ConfigDict(frozen=True)

    text: str = Field(description="the words that named it")
    start: dt.datetime
    end: dt.datetime
    since: bool = Field(default=False, description="'since June 3': the change began there")


class ProblemSpec(BaseModel):
    """The question as read: what to explain, where, which way and when."""

    model_config = ConfigDict(frozen=True)

    question: str
    language: Language
    part_ids: tuple[str, ...] = Field(description="parts to look at (several: the one that "
                                                  "changed most is taken); empty for lots")
    measure: Measure
    target: str = Field(description="characteristic name, defect code, 'defect_rate' or "
                                    "inspection characteristic")
    statistic: Statistic
    asked: str = Field(description="the statistic as asked ('yield' for a falling yield)")
    direction: Direction | None = Field(description="direction of the measure analysed; "
                                                    "None when the question names none")
    unit: str | None = None
    hint: TimeHint | None = None
    materials: tuple[str, ...] = Field(default=(), description="for incoming inspections")
    mode: Mode = Field(default="change", description="change: when and why it moved; "
                                                     "static: why it happens at all")


class Evidence(BaseModel):
    """One claim, the guarded query that backs it and the rows it returned."""

    id: str = Field(description="E1, E2...: what the narrative cites")
    claim: str
    query: str
    rows: list[list[Any]]


class CauseRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: CauseKind
    id: str


class Cause(BaseModel):
    """One ranked cause: the contract's ``{kind, id, score, evidence, confounded_with?}``."""

    kind: CauseKind
    id: str
    score: float = Field(ge=0.0, le=1.0)
    evidence: list[Evidence] = Field(default_factory=list)
    confounded_with: list[CauseRef] | None = Field(
        default=None, description="candidates the data cannot tell apart from this one")
    fit: float = Field(description="how well it separates affected from unaffected batches")
    p_value: float | None = None
    timing: float = Field(default=0.0, description="alignment with the change (0..1)")
    prior: float = Field(default=0.5, description="the knowledge graph's prior (0..1)")
    independent: bool = Field(default=True, description="kept by the multivariable model")


class Period(BaseModel):
    start: dt.datetime
    end: dt.datetime
    units: int = Field(description="batches (lots for incoming inspections)")
    value: float | None = Field(default=None, description="the statistic over the period")


class Problem(BaseModel):
    """What was found: the measure, and when and where it changed."""

    part_id: str | None
    part_name: str | None = None
    material: str | None = None
    measure: Measure
    target: str
    statistic: Statistic
    asked: str
    direction: Direction | None
    unit: str | None = None
    mode: Mode
    asked_window: TimeHint | None = None
    change_point: dt.datetime | None = None
    affected: Period | None = Field(default=None, description="the changed period")
    baseline: Period | None = Field(default=None, description="the stable comparison")
    method: str
    parts_considered: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)


class ClauseItem(BaseModel):
    standard: str
    clause: str
    title: str


class RcaResult(BaseModel):
    """The ``andon rca --json`` shape (shared/spec/cli-contract.md) plus added fields."""

    question: str
    language: Language
    problem: Problem
    causes: list[Cause]
    narrative: str
    actions: list[str]
    clauses: list[ClauseItem] = Field(default_factory=list)

    def contract(self) -> dict[str, Any]:
        """The JSON body: optional fields left out when empty."""
        body = self.model_dump(mode="json")
        for cause in body["causes"]:
            if not cause.get("confounded_with"):
                cause.pop("confounded_with", None)
        return body

    def all_evidence(self) -> list[Evidence]:
        return [*self.problem.evidence, *(e for c in self.causes for e in c.evidence)]
