"""The manifest beside every model (``manifest.json``): what the ONNX file is, its sha256,
its classes and their defect codes, input size, verdict thresholds and the training
reference distribution for drift. A model is refused when its file does not hash to the
manifest's pin (or to a pin the caller holds).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from vision.errors import ModelRefused

MANIFEST_NAME = "manifest.json"


class InputSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    height: int = Field(gt=0)
    width: int = Field(gt=0)
    channels: int = 1
    normalization: str = "per_image"


class Thresholds(BaseModel):
    """Verdict bands. ``score`` is the defect probability (1 - P(ok class)); a model without
    an ok class scores 1. ok: score < ok_below; ng: score >= ng_at and the defect class
    holds at least class_min of it; anything else goes to a person (review)."""

    model_config = ConfigDict(extra="forbid")

    ok_below: float = Field(default=0.2, ge=0.0, le=1.0)
    ng_at: float = Field(default=0.8, ge=0.0, le=1.0)
    class_min: float = Field(default=0.6, ge=0.0, le=1.0)
    cam: float = Field(default=0.5, gt=0.0, lt=1.0,
                       description="Share of the heat map's peak that bounds the region.")

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.ok_below > self.ng_at:
            raise ValueError("ok_below must not exceed ng_at")
        return self


class FeatureReference(BaseModel):
    """A statistic's training distribution: quantile bin edges, the share in each bin and
    a sample of values (for the KS test)."""

    model_config = ConfigDict(extra="forbid")

    edges: list[float]
    proportions: list[float]
    sample: list[float]
    mean: float
    std: float


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: int = 1
    name: str
    version: str = "1"
    onnx_file: str = "model.onnx"
    onnx_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    classes: list[str] = Field(min_length=2)
    defect_codes: dict[str, str] = Field(
        description="Class name -> defect code of knowledge_graph/data/defect_codes.yaml.")
    ok_class: str | None = None
    process: str | None = Field(default=None, description="Process whose causes the "
                                "knowledge graph should prefer, e.g. steel_rolling.")
    input: InputSpec
    temperature: float = Field(default=1.0, gt=0.0)
    thresholds: Thresholds = Thresholds()
    reference: dict[str, FeatureReference] = Field(default_factory=dict)
    outputs: list[str] = ["logits", "cam"]
    card: str | None = Field(default="model_card.md", description="Model card beside it.")
    trained: dict[str, object] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> Manifest:
        if self.ok_class is not None and self.ok_class not in self.classes:
            raise ValueError(f"ok_class {self.ok_class!r} is not one of the classes")
        unmapped = [c for c in self.classes if c != self.ok_class and c not in self.defect_codes]
        if unmapped:
            raise ValueError(f"classes without a defect code: {', '.join(unmapped)}")
        return self


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_manifest(model_dir: Path) -> Manifest:
    """The manifest of the model in ``model_dir``; refusals name the file and the fault."""
    path = model_dir / MANIFEST_NAME
    if not path.is_file():
        raise ModelRefused(f"no model at {model_dir}: {MANIFEST_NAME} is missing.")
    try:
        return Manifest.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (json.JSONDecodeError, ValidationError) as exc:
        first = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
        raise ModelRefused(f"{path} is not a valid model manifest ({first}).") from None


def verify_model(model_dir: Path, manifest: Manifest, pin: str | None = None) -> Path:
    """The ONNX file's path once its sha256 matches the manifest (and ``pin``, if given)."""
    onnx_path = model_dir / manifest.onnx_file
    if not onnx_path.is_file():
        raise ModelRefused(f"{onnx_path} is missing.")
    actual = sha256_file(onnx_path)
    for expected, whose in ((manifest.onnx_sha256, "its manifest"), (pin, "the pinned value")):
        if expected is not None and actual != expected:
            raise ModelRefused(f"{onnx_path.name} has sha256 {actual[:12]}…, not "
                               f"{expected[:12]}… as {whose} says: refusing to load it.",
                               actual=actual, expected=expected)
    return onnx_path


def write_manifest(model_dir: Path, manifest: Manifest) -> Path:
    path = model_dir / MANIFEST_NAME
    path.write_text(manifest.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return path
