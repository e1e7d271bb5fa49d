"""The demo plant's master data (``data/plant.yaml``) as validated pydantic models."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

DATA_DIR = Path(__file__).resolve().parent / "data"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MachineConfig(_Model):
    machine_id: str
    name: str
    machine_type: str


class LineConfig(_Model):
    line_id: str
    name: str
    process: str
    machines: tuple[MachineConfig, ...]


class SupplierConfig(_Model):
    supplier_id: str
    name: str
    country: str


class InspectionConfig(_Model):
    """One incoming-inspection check of a material; ``visual`` checks carry no value."""

    characteristic: str
    unit: str | None = None
    nominal: float | None = None
    spread: float = 0.0
    lsl: float | None = None
    usl: float | None = None
    decimals: int = 3

    @property
    def has_value(self) -> bool:
        return self.nominal is not None

    def passes(self, value: float | None) -> bool:
        """Pass when the value lies within the limits (a value equal to a limit passes)."""
        if value is None:
            return True
        return not ((self.lsl is not None and value < self.lsl)
                    or (self.usl is not None and value > self.usl))


class MaterialConfig(_Model):
    material: str
    suppliers: dict[str, float]
    lot_batches: tuple[int, int]
    inspections: tuple[InspectionConfig, ...]


class GaugeConfig(_Model):
    gauge_id: str
    name: str
    characteristic: str
    parts: tuple[str, ...] = ()


class ToolConfig(_Model):
    tool_id: str
    name: str
    tool_type: str
    part_id: str
    service_every: tuple[int, int]

    @property
    def service_kind(self) -> str:
        return "mold_maintenance" if self.tool_type == "mold" else "preventive"


class CharacteristicConfig(_Model):
    """A measured characteristic and its normal behaviour.

    ``cpk`` is the capability the normal process reaches; ``wear`` and ``lot`` are the batch
    mean's sensitivity to tool wear and to the lot's latent quality, in total sigmas.
    """

    name: str
    unit: str
    nominal: float | None = None
    lsl: float | None = None
    usl: float | None = None
    mean: float | None = None
    decimals: int
    cpk: float = Field(gt=0.8, lt=3.0)
    wear: float = 0.0
    lot: float = 0.0

    @model_validator(mode="after")
    def _has_limits(self) -> CharacteristicConfig:
        if self.lsl is None and self.usl is None:
            raise ValueError(f"characteristic {self.name} needs at least one limit")
        if self.process_mean is None:
            raise ValueError(f"characteristic {self.name} needs a nominal or a mean")
        return self

    @property
    def process_mean(self) -> float:
        value = self.mean if self.mean is not None else self.nominal
        return float(value) if value is not None else float("nan")

    @property
    def sigma_total(self) -> float:
        """The total standard deviation that gives the target capability."""
        gaps = [g for g in ((self.usl - self.process_mean) if self.usl is not None else None,
                            (self.process_mean - self.lsl) if self.lsl is not None else None)
                if g is not None]
        return min(gaps) / (3.0 * self.cpk)


class ParameterConfig(_Model):
    name: str
    unit: str
    setpoint: float
    sd: float
    decimals: int
    drives: str | None = None  # the characteristic this parameter nudges in normal running


class DefectRateConfig(_Model):
    code: str
    rate: float
    wear: float = 0.0  # extra share of the rate at the end of a tool's service interval


class PartConfig(_Model):
    part_id: str
    name: str
    family: str
    material: str
    line_id: str
    machines: tuple[str, ...] = ()  # allowed machines; empty means every machine of the line
    qty: tuple[int, int]
    characteristics: tuple[CharacteristicConfig, ...]
    parameters: tuple[ParameterConfig, ...]
    defects: tuple[DefectRateConfig, ...]

    def characteristic(self, name: str) -> CharacteristicConfig:
        for item in self.characteristics:
            if item.name == name:
                return item
        raise KeyError(f"{self.part_id} has no characteristic {name}")

    def parameter(self, name: str) -> ParameterConfig:
        for item in self.parameters:
            if item.name == name:
                return item
        raise KeyError(f"{self.part_id} has no parameter {name}")


class PlantConfig(_Model):
    """Everything the plant is made of, as read from ``plant.yaml``."""

    plant: dict[str, str]
    lines: tuple[LineConfig, ...]
    suppliers: tuple[SupplierConfig, ...]
    materials: tuple[MaterialConfig, ...]
    gauges: tuple[GaugeConfig, ...]
    tools: tuple[ToolConfig, ...]
    parts: tuple[PartConfig, ...]
    customers: tuple[str, ...]
    complaint_texts: dict[str, tuple[str, ...]]

    def part(self, part_id: str) -> PartConfig:
        return next(p for p in self.parts if p.part_id == part_id)

    def line(self, line_id: str) -> LineConfig:
        return next(line for line in self.lines if line.line_id == line_id)

    def material(self, name: str) -> MaterialConfig:
        return next(m for m in self.materials if m.material == name)

    def tools_of(self, part_id: str) -> tuple[ToolConfig, ...]:
        return tuple(t for t in self.tools if t.part_id == part_id)

    def machines_of(self, part: PartConfig) -> tuple[str, ...]:
        return part.machines or tuple(m.machine_id for m in self.line(part.line_id).machines)

    def gauge_for(self, part_id: str, characteristic: str) -> str:
        for gauge in self.gauges:
            if gauge.characteristic == characteristic and (not gauge.parts
                                                           or part_id in gauge.parts):
                return gauge.gauge_id
        raise KeyError(f"no gauge measures {characteristic} of {part_id}")

    def gauge_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(g.gauge_id for g in self.gauges))


@functools.cache
def load_plant_config(path: Path = DATA_DIR / "plant.yaml") -> PlantConfig:
    """The demo plant's master data (cached)."""
    return PlantConfig.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
