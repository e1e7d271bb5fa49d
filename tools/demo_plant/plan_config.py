"""The planted incidents (``data/incidents.yaml``) as validated pydantic models."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from tools.demo_plant.config import DATA_DIR

CauseKind = Literal["material_lot", "supplier", "tool", "machine", "maintenance_event",
                    "process_parameter", "operator", "shift", "engineering_change"]
Statistic = Literal["mean", "stdev", "count", "rate"]
MaintenanceKind = Literal["preventive", "corrective", "calibration", "mold_maintenance"]
AssetType = Literal["machine", "tool", "gauge"]
ChangeKind = Literal["bom", "process", "drawing"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EffectConfig(_Model):
    """What an incident moves: a characteristic's mean or stdev, a code's count, the rate."""

    target: str
    statistic: Statistic
    size: float
    code: str | None = None  # for statistic == "rate": the code the extra defects carry

    @model_validator(mode="after")
    def _rate_has_code(self) -> EffectConfig:
        if self.statistic == "rate" and (self.target != "defect_rate" or not self.code):
            raise ValueError("a rate effect targets defect_rate and names its defect code")
        return self


class ParameterShiftConfig(_Model):
    name: str
    delta: float
    share: float = Field(gt=0.0, le=1.0)


class LotConfig(_Model):
    batches: int
    inspection: str
    z: float


class InspectionShiftConfig(_Model):
    characteristic: str
    delta: float


class EventConfig(_Model):
    asset: str
    asset_type: AssetType
    kind: MaintenanceKind
    description: str


class ChangeConfig(_Model):
    kind: ChangeKind
    description: str


class IncidentConfig(_Model):
    """One planted incident of a cause kind on one part."""

    id: str
    kind: CauseKind
    part: str
    at: float = Field(ge=0.0, lt=1.0)
    days: float = 14.0
    until_end: bool = False
    effect: EffectConfig
    en: str
    zh: str
    parameter: ParameterShiftConfig | None = None
    tool: str | None = None
    confound_machine: str | None = None
    machine: str | None = None
    fix: str | None = None
    lot: LotConfig | None = None
    supplier: str | None = None
    inspection: InspectionShiftConfig | None = None
    event: EventConfig | None = None
    pin_share: float = 1.0
    operator: str | None = None
    shift: Literal["A", "B", "C"] | None = None
    change: ChangeConfig | None = None

    @model_validator(mode="after")
    def _kind_fields(self) -> IncidentConfig:
        needed: dict[str, tuple[str, ...]] = {
            "process_parameter": ("parameter",), "tool": ("tool", "fix"),
            "machine": ("machine", "fix"), "material_lot": ("lot",),
            "supplier": ("supplier", "inspection"), "maintenance_event": ("event", "fix"),
            "operator": ("operator",), "shift": ("shift",), "engineering_change": ("change",),
        }
        missing = [f for f in needed[self.kind] if getattr(self, f) is None]
        if missing:
            raise ValueError(f"{self.id} ({self.kind}) needs {', '.join(missing)}")
        return self


class InspectionIncidentConfig(_Model):
    id: str
    supplier: str
    material: str
    characteristic: str
    at: float
    days: float
    drift: float
    en: str
    zh: str


class ComplaintSpikeConfig(_Model):
    id: str
    follows: str
    count: int
    delay_days: tuple[float, float]
    customer: str
    severity: Literal["low", "medium", "high", "critical"]
    text: str
    en: str
    zh: str


class DecoyConfig(_Model):
    id: str
    kind: Literal["maintenance_event", "engineering_change"]
    near: str | None = None
    offset_days: float = 0.0
    part: str | None = None
    at: float | None = None
    event: EventConfig | None = None
    change: ChangeConfig | None = None
    en: str
    zh: str


class IncidentPlanConfig(_Model):
    incidents: tuple[IncidentConfig, ...]
    inspection_incidents: tuple[InspectionIncidentConfig, ...]
    complaint_spikes: tuple[ComplaintSpikeConfig, ...]
    decoys: tuple[DecoyConfig, ...]

    def incident(self, incident_id: str) -> IncidentConfig:
        return next(i for i in self.incidents if i.id == incident_id)


@functools.cache
def load_incident_plan(path: Path = DATA_DIR / "incidents.yaml") -> IncidentPlanConfig:
    """The planted incidents, decoys and complaint spikes (cached)."""
    return IncidentPlanConfig.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
