"""What the demo plant generator hands out: the tables, the incident manifest (ground truth
for evaluations only; the product never reads it) and the build report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tools.demo_plant.plan_config import CauseKind
from tools.reference_schema import SCHEMA_VERSION

GENERATOR_VERSION = "andon-demo-plant/1"

Measure = Literal["characteristic", "defect_code", "defect_rate", "incoming_inspection",
                  "complaints"]
EffectScale = Literal["absolute", "ratio"]


class CauseRef(BaseModel):
    """A cause as the RCA contract names it: kind and the thing's id in the database (the
    parameter's name for ``process_parameter``, the letter for ``shift``)."""

    model_config = ConfigDict(frozen=True)

    kind: CauseKind
    id: str


class Incident(BaseModel):
    """One planted incident: its cause, what it moved, by how much, when, and where."""

    incident_id: str
    cause_kind: CauseKind
    cause_id: str
    part_id: str | None = Field(description="None for incoming-inspection incidents (per "
                                            "supplier, not per part)")
    measure: Measure
    target: str = Field(description="characteristic name, defect code, 'defect_rate', "
                                    "inspection characteristic, or 'count' for complaints")
    unit: str | None
    statistic: Literal["mean", "stdev", "count", "rate", "value"]
    direction: Literal["up", "down"]
    effect_size: float = Field(description="shift in `unit` when effect_scale is 'absolute'; "
                                           "multiplier when it is 'ratio'")
    effect_scale: EffectScale
    baseline: float = Field(description="the statistic in unaffected batches (planned)")
    expected: float = Field(description="the statistic in affected batches (planned)")
    start: dt.datetime
    end: dt.datetime
    affected_batch_ids: list[str]
    affected_lot_ids: list[str] = Field(default_factory=list)
    confounded_with: list[CauseRef] = Field(default_factory=list)
    description_en: str
    description_zh: str

    @property
    def cause(self) -> CauseRef:
        return CauseRef(kind=self.cause_kind, id=self.cause_id)


class Decoy(BaseModel):
    """Something that looks like a cause and is not (or cannot be told from the real one)."""

    decoy_id: str
    kind: CauseKind
    id: str
    part_id: str | None
    at: dt.datetime | None
    near_incident: str | None
    reason: Literal["near_in_time", "no_effect", "confounded"]
    description_en: str
    description_zh: str


class PlantManifest(BaseModel):
    """Ground truth of a generated plant, written beside the database for evaluations."""

    generator: str = GENERATOR_VERSION
    schema_version: int = SCHEMA_VERSION
    seed: int
    months: int
    history_start: dt.datetime
    history_end: dt.datetime
    incidents: list[Incident]
    decoys: list[Decoy]

    def incident(self, incident_id: str) -> Incident:
        return next(i for i in self.incidents if i.incident_id == incident_id)


class PlantData(BaseModel):
    """A generated plant: rows per reference table (tuples in reference column order)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    tables: dict[str, list[tuple[Any, ...]]]
    manifest: PlantManifest

    def row_counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.tables.items()}


class BuildReport(BaseModel):
    """What ``build_plant`` wrote: rows per table, time taken, where the manifest went."""

    seed: int
    months: int
    row_counts: dict[str, int]
    seconds: float
    manifest_path: Path | None


def read_manifest(path: Path) -> PlantManifest:
    """Load a manifest written by ``build_plant`` (for evaluations and tests only)."""
    return PlantManifest.model_validate_json(path.read_text(encoding="utf-8"))
