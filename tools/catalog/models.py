"""The things a plant catalog lists, as pydantic models (JSON-serialisable, cacheable)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class Plant(BaseModel):
    plant_id: str
    name: str


class Line(BaseModel):
    """A production line; ``process`` is a lower-case word such as ``injection_molding``."""

    line_id: str
    plant_id: str
    name: str
    process: str


class Machine(BaseModel):
    machine_id: str
    line_id: str
    name: str
    machine_type: str


class Part(BaseModel):
    """A part number and where it is made (from its batches)."""

    part_id: str
    name: str
    family: str
    material: str
    line_ids: list[str] = Field(default_factory=list, description="lines its batches ran on")
    processes: list[str] = Field(default_factory=list, description="processes of those lines")
    batch_count: int = 0
    first_batch_at: dt.datetime | None = None
    last_batch_at: dt.datetime | None = None


class Characteristic(BaseModel):
    """A measured characteristic of one part, with its specification limits."""

    characteristic_id: str
    part_id: str
    name: str
    unit: str
    nominal: float | None = None
    lsl: float | None = None
    usl: float | None = None


class ProcessParameter(BaseModel):
    """A process parameter name recorded on batches, and which parts and processes carry it."""

    name: str
    unit: str | None = None
    part_ids: list[str] = Field(default_factory=list)
    line_ids: list[str] = Field(default_factory=list)
    processes: list[str] = Field(default_factory=list)


class Supplier(BaseModel):
    supplier_id: str
    name: str
    country: str
    materials: list[str] = Field(default_factory=list, description="materials of its lots")


class Material(BaseModel):
    """A raw material: who delivers it (material lots) and which parts are made of it."""

    name: str
    supplier_ids: list[str] = Field(default_factory=list)
    part_ids: list[str] = Field(default_factory=list)
    lot_count: int = 0


class Tool(BaseModel):
    tool_id: str
    name: str
    tool_type: str
    part_id: str | None = None


class DefectCode(BaseModel):
    """A defect code present in the ``defects`` table, with how often it was recorded."""

    code: str
    records: int = Field(description="rows in defects with this code")
    quantity: int = Field(description="sum of their quantity")


class InspectionCharacteristic(BaseModel):
    """A characteristic checked at incoming inspection, and the suppliers it was checked on."""

    name: str
    unit: str | None = None
    supplier_ids: list[str] = Field(default_factory=list)


CATALOG_KINDS = ("part", "family", "process", "material", "characteristic", "parameter",
                 "inspection_characteristic", "supplier", "line", "machine", "tool",
                 "defect_code", "shift", "plant")
