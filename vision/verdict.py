"""Class probabilities -> ok / ng / review, the defect class and the two scores.

``score`` is the probability that the part is defective: 1 - P(ok class), or 1 for a
model that has no ok class (it only tells defects apart). ``class_score`` is the share of
that probability held by the most likely defect class. ok when score < ok_below; ng when
score >= ng_at and class_score >= class_min; otherwise a person decides (review).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from vision.manifest import Thresholds

Verdict = Literal["ok", "ng", "review"]


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    defect_class: str | None      # most likely defect class (None for an ok verdict)
    class_index: int              # index of the most likely defect class in ``classes``
    score: float
    class_score: float


def decide(probabilities: np.ndarray, classes: list[str], ok_class: str | None,
           thresholds: Thresholds) -> Decision:
    """The decision for one image's class probabilities (summing to 1)."""
    probs = np.asarray(probabilities, dtype=np.float64)
    ok_index = classes.index(ok_class) if ok_class is not None else -1
    defect_probs = probs.copy()
    if ok_index >= 0:
        defect_probs[ok_index] = -1.0
    index = int(np.argmax(defect_probs))
    score = 1.0 - float(probs[ok_index]) if ok_index >= 0 else 1.0
    class_score = float(probs[index]) / score if score > 0 else 0.0
    score, class_score = min(max(score, 0.0), 1.0), min(max(class_score, 0.0), 1.0)
    verdict: Verdict
    if score < thresholds.ok_below:
        verdict = "ok"
    elif score >= thresholds.ng_at and class_score >= thresholds.class_min:
        verdict = "ng"
    else:
        verdict = "review"
    return Decision(verdict=verdict, defect_class=None if verdict == "ok" else classes[index],
                    class_index=index, score=score, class_score=class_score)
