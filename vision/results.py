"""What an inspection returns: the shape of ``andon vision inspect --json`` and of the
service's ``POST /v1/inspect`` (shared/spec/cli-contract.md names the first fields)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from vision.knowledge import Compensation, LikelyCause, PathStep


class ModelRef(BaseModel):
    name: str
    version: str
    sha256: str


class InspectionResult(BaseModel):
    verdict: Literal["ok", "ng", "review"]
    defect_code: str | None = Field(description="Defect code (defect_codes.yaml) of the most "
                                                "likely defect; None for an ok verdict.")
    score: float = Field(description="Probability that the part is defective (1 - P(ok)).")
    heatmap: str | None = Field(description="Path of the PNG heat-map overlay, if written.")
    region: list[int] | None = Field(description="[x, y, w, h] of the strongest heat-map "
                                                 "region in image pixels; None for ok.")
    root_cause_path: list[PathStep] = Field(default_factory=list)
    suggested_compensation: list[Compensation] = Field(default_factory=list)
    image: str = Field(description="The image's name (file name or the name given).")
    defect_class: str | None = Field(description="The model's class name for defect_code.")
    class_score: float = Field(description="Share of the defect probability held by "
                                           "defect_class.")
    probabilities: dict[str, float]
    regions: list[list[int]] = Field(default_factory=list,
                                     description="Every heat-map region, strongest first.")
    likely_causes: list[LikelyCause] = Field(default_factory=list)
    width: int
    height: int
    format: str
    model: ModelRef
    notes: list[str] = Field(default_factory=list)
    latency_ms: float = Field(description="Decode to verdict, this image's share of its "
                                          "batch.")


class BatchError(BaseModel):
    """One image of a batch that was refused; the others are still inspected."""

    image: str
    error: dict[str, Any]


BatchItem = InspectionResult | BatchError
