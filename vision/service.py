"""The inspector: images in, verdicts that explain themselves out.

decode + validate (vision.images) -> OpenCV preprocessing -> one onnxruntime call per
batch (logits and CAMs) -> verdict bands -> heat map, regions, overlay PNG -> root-cause
path from the knowledge graph; every image's statistics go to the drift store.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tools.errors import AndonError
from vision.cam import heat_map, overlay_png, regions, write_overlay
from vision.drift import DriftReport, DriftStore
from vision.errors import ImageTooLarge
from vision.images import DecodedImage, ImageLimits, decode_image, validate_array
from vision.knowledge import explain
from vision.model import OnnxModel, softmax
from vision.preprocess import image_features, to_batch
from vision.results import BatchError, BatchItem, InspectionResult, ModelRef
from vision.verdict import Decision, decide

MAX_BATCH = 64
CHUNK = 16


@dataclass(frozen=True)
class Prediction:
    """The model's reading of one image, before any file is written."""

    decision: Decision
    probabilities: np.ndarray
    heat: np.ndarray              # (H, W) float32 in [0, 1], image size
    regions: list[tuple[int, int, int, int]]


class Inspector:
    """A verified model plus where overlays and drift statistics go."""

    def __init__(self, model: OnnxModel, *, heatmap_dir: Path | None = None,
                 drift_dir: Path | None = None, limits: ImageLimits | None = None) -> None:
        self.model = model
        self.manifest = model.manifest
        self.heatmap_dir = heatmap_dir
        self.limits = limits or ImageLimits()
        self.drift = DriftStore(
            drift_dir / f"drift-{model.sha256[:12]}.json" if drift_dir is not None else None,
            self.manifest.reference)
        self.model_ref = ModelRef(name=self.manifest.name, version=self.manifest.version,
                                  sha256=model.sha256)

    # --- the core, no files -------------------------------------------------------------
    def predict(self, grays: Sequence[np.ndarray]) -> list[Prediction]:
        """Verdicts, heat maps and regions for 8-bit grayscale images (any size)."""
        out: list[Prediction] = []
        height, width = self.model.input_size
        m = self.manifest
        for start in range(0, len(grays), CHUNK):
            chunk = grays[start:start + CHUNK]
            raw = self.model.run(to_batch(chunk, height, width))
            probs = softmax(raw.logits, m.temperature)
            for gray, p, cams in zip(chunk, probs, raw.cams, strict=True):
                decision = decide(p, m.classes, m.ok_class, m.thresholds)
                heat = heat_map(cams[decision.class_index], gray.shape[0], gray.shape[1])
                boxes = regions(heat, m.thresholds.cam) if decision.verdict != "ok" else []
                out.append(Prediction(decision, p, heat, boxes))
        return out

    # --- images in, results out ---------------------------------------------------------
    def inspect_bytes(self, data: bytes, name: str = "image", *,
                      heatmap: bool = True) -> InspectionResult:
        """One image file's bytes inspected; a refusal raises (vision.errors)."""
        started = time.perf_counter()
        decoded = decode_image(data, name=name, limits=self.limits)
        digest = hashlib.sha256(data).hexdigest()
        return self._results([decoded], [digest], heatmap, started)[0]

    def inspect_array(self, image: np.ndarray, name: str = "image", *,
                      heatmap: bool = True) -> InspectionResult:
        decoded = validate_array(image, name=name, limits=self.limits)
        digest = hashlib.sha256(decoded.gray.tobytes()).hexdigest()
        return self._results([decoded], [digest], heatmap, time.perf_counter())[0]

    def inspect_batch(self, items: Sequence[tuple[str, bytes]], *,
                      heatmap: bool = True) -> list[BatchItem]:
        """Each (name, bytes) inspected; refused images become ``BatchError`` entries."""
        if len(items) > MAX_BATCH:
            raise ImageTooLarge(f"a batch holds at most {MAX_BATCH} images, not {len(items)}.")
        started = time.perf_counter()
        decoded: list[DecodedImage] = []
        digests: list[str] = []
        slots: list[BatchItem | None] = []
        for name, data in items:
            try:
                decoded.append(decode_image(data, name=name, limits=self.limits))
                digests.append(hashlib.sha256(data).hexdigest())
                slots.append(None)
            except AndonError as error:
                slots.append(BatchError(image=name, error=error.to_dict()["error"]))
        results = iter(self._results(decoded, digests, heatmap, started) if decoded else [])
        return [slot if slot is not None else next(results) for slot in slots]

    def _results(self, decoded: list[DecodedImage], digests: list[str], heatmap: bool,
                 started: float) -> list[InspectionResult]:
        predictions = self.predict([d.gray for d in decoded])
        out = []
        for image, digest, pred in zip(decoded, digests, predictions, strict=True):
            out.append(self._result(image, digest, pred, heatmap))
        elapsed = (time.perf_counter() - started) * 1000 / max(len(out), 1)
        for result in out:
            result.latency_ms = round(elapsed, 3)
        return out

    def _result(self, image: DecodedImage, digest: str, pred: Prediction,
                heatmap: bool) -> InspectionResult:
        m, decision = self.manifest, pred.decision
        code = m.defect_codes.get(decision.defect_class or "")
        notes: list[str] = []
        explanation = explain(code, m.process) if code else None
        if explanation is not None and explanation.note:
            notes.append(explanation.note)
        region = pred.regions[0] if pred.regions else None
        heat_path = None
        if heatmap and self.heatmap_dir is not None:
            stem = f"{_safe(image.name)}-{digest[:10]}"
            png = overlay_png(image.gray, pred.heat, region)
            heat_path = str(write_overlay(self.heatmap_dir, stem, png))
        stats = image_features(image.gray)
        stats.update(score=decision.score, class_score=decision.class_score)
        self.drift.record(stats)
        return InspectionResult(
            verdict=decision.verdict, defect_code=code, score=round(decision.score, 6),
            heatmap=heat_path, region=list(region) if region else None,
            root_cause_path=explanation.root_cause_path if explanation else [],
            suggested_compensation=explanation.suggested_compensation if explanation else [],
            likely_causes=explanation.likely_causes if explanation else [],
            image=image.name, defect_class=decision.defect_class,
            class_score=round(decision.class_score, 6),
            probabilities={c: round(float(p), 6) for c, p in zip(m.classes, pred.probabilities,
                                                                strict=True)},
            regions=[list(b) for b in pred.regions], width=image.width, height=image.height,
            format=image.format, model=self.model_ref, notes=notes, latency_ms=0.0)

    def drift_report(self, day: str | None = None) -> DriftReport:
        """Today's (or ``day``'s) inputs and scores against the training distribution."""
        return self.drift.report(self.manifest.name, day)

    def close(self) -> None:
        """Write the drift statistics still held in memory."""
        self.drift.flush()


def _safe(name: str) -> str:
    stem = Path(name).stem or "image"
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", stem)[:60]
