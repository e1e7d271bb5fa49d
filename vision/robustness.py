"""Robustness as regulators ask for it: accuracy of the deployed (ONNX) model under stated
image corruptions, and the share of images each condition sends to human review.

Levels are in gray levels (0-255), pixels, degrees and JPEG quality. Rotations turn about
the centre and fill the corners by reflection.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import cv2
import numpy as np
from pydantic import BaseModel

if TYPE_CHECKING:
    from vision.service import Inspector

Corruption = Callable[[np.ndarray, np.random.Generator], np.ndarray]


def _noise(sigma: float) -> Corruption:
    def apply(gray: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        noisy = gray.astype(np.float32) + rng.normal(0, sigma, gray.shape).astype(np.float32)
        return np.clip(np.rint(noisy), 0, 255).astype(np.uint8)
    return apply


def _blur(sigma: float) -> Corruption:
    return lambda gray, _: cv2.GaussianBlur(gray, (0, 0), sigma)


def _brightness(delta: float) -> Corruption:
    return lambda gray, _: np.clip(gray.astype(np.int16) + int(delta), 0, 255).astype(np.uint8)


def _contrast(factor: float) -> Corruption:
    def apply(gray: np.ndarray, _: np.random.Generator) -> np.ndarray:
        mean = float(gray.mean())
        return np.clip(np.rint((gray - mean) * factor + mean), 0, 255).astype(np.uint8)
    return apply


def _rotation(degrees: float) -> Corruption:
    def apply(gray: np.ndarray, _: np.random.Generator) -> np.ndarray:
        h, w = gray.shape
        matrix = cv2.getRotationMatrix2D((w / 2 - 0.5, h / 2 - 0.5), degrees, 1.0)
        return cv2.warpAffine(gray, matrix, (w, h), flags=cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_REFLECT_101)
    return apply


def _jpeg(quality: int) -> Corruption:
    def apply(gray: np.ndarray, _: np.random.Generator) -> np.ndarray:
        ok, data = cv2.imencode(".jpg", gray, [cv2.IMWRITE_JPEG_QUALITY, quality])
        decoded = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE) if ok else None
        return gray if decoded is None else decoded
    return apply


CORRUPTIONS: tuple[tuple[str, str, Corruption], ...] = (
    ("gaussian noise", "σ = 5", _noise(5)),
    ("gaussian noise", "σ = 10", _noise(10)),
    ("gaussian noise", "σ = 20", _noise(20)),
    ("gaussian blur", "σ = 1 px", _blur(1.0)),
    ("gaussian blur", "σ = 2 px", _blur(2.0)),
    ("brightness", "−40", _brightness(-40)),
    ("brightness", "+40", _brightness(40)),
    ("contrast", "× 0.6", _contrast(0.6)),
    ("contrast", "× 1.4", _contrast(1.4)),
    ("rotation", "5°", _rotation(5)),
    ("rotation", "15°", _rotation(15)),
    ("rotation", "90°", _rotation(90)),
    ("jpeg", "quality 50", _jpeg(50)),
    ("jpeg", "quality 20", _jpeg(20)),
    ("jpeg", "quality 10", _jpeg(10)),
)


class RobustnessRow(BaseModel):
    corruption: str
    level: str
    accuracy: float
    delta: float                      # accuracy minus clean accuracy, percentage points / 100
    review_share: float
    ng_recall: float | None = None    # defective images judged ng or review (ok-class models)


def _row(inspector: Inspector, name: str, level: str, images: list[np.ndarray],
         labels: np.ndarray, clean: float | None) -> RobustnessRow:
    predictions = inspector.predict(images)
    probs = np.stack([p.probabilities for p in predictions])
    accuracy = float((probs.argmax(axis=1) == labels).mean())
    review = float(np.mean([p.decision.verdict == "review" for p in predictions]))
    ok_class = inspector.manifest.ok_class
    recall = None
    if ok_class is not None:
        ok_index = inspector.manifest.classes.index(ok_class)
        defective = [p for p, y in zip(predictions, labels, strict=True) if y != ok_index]
        recall = float(np.mean([p.decision.verdict != "ok" for p in defective])) \
            if defective else None
    return RobustnessRow(corruption=name, level=level, accuracy=accuracy,
                         delta=accuracy - (accuracy if clean is None else clean),
                         review_share=review, ng_recall=recall)


def robustness(inspector: Inspector, images: np.ndarray, labels: np.ndarray,
               seed: int = 0) -> list[RobustnessRow]:
    """The clean row first, then one row per corruption and level."""
    grays = list(images)
    rows = [_row(inspector, "none (clean)", "", grays, labels, None)]
    clean = rows[0].accuracy
    for name, level, corrupt in CORRUPTIONS:
        rng = np.random.default_rng(seed)
        rows.append(_row(inspector, name, level, [corrupt(g, rng) for g in grays], labels,
                         clean))
    return rows
