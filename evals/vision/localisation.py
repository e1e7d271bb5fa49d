"""Heat-map localisation against annotated boxes: the share of the heat map's mass inside
the boxes (the figure asked for), the pointing game (is the peak inside a box?), and the
share of the image the boxes cover — what a uniform heat map would score."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np

from vision.cam import mass_inside
from vision.service import Prediction

Box = tuple[int, int, int, int]


def _inside(mask_shape: tuple[int, int], boxes: Sequence[Box]) -> np.ndarray:
    mask = np.zeros(mask_shape, bool)
    for xmin, ymin, xmax, ymax in boxes:
        mask[max(ymin, 0):ymax + 1, max(xmin, 0):xmax + 1] = True
    return mask


def localisation(predictions: Sequence[Prediction], labels: Sequence[str],
                 boxes: Sequence[Sequence[tuple[str, Box]]]) -> dict[str, Any]:
    """Per image: heat map of the predicted class vs the boxes of the image's class (all
    boxes as a second figure). Means overall and per class."""
    rows: dict[str, list[tuple[float, float, float, float]]] = defaultdict(list)
    for pred, label, image_boxes in zip(predictions, labels, boxes, strict=True):
        own = [b for cls, b in image_boxes if cls == label] or [b for _, b in image_boxes]
        every = [b for _, b in image_boxes]
        heat = pred.heat
        peak = np.unravel_index(int(np.argmax(heat)), heat.shape)
        inside = _inside(heat.shape, own)
        rows[label].append((mass_inside(heat, own), mass_inside(heat, every),
                            float(inside[peak]), float(inside.mean())))
    def summary(values: list[tuple[float, float, float, float]]) -> dict[str, float]:
        arr = np.array(values, dtype=np.float64)
        return {"images": len(values), "mass_in_class_boxes": float(np.nanmean(arr[:, 0])),
                "mass_in_any_box": float(np.nanmean(arr[:, 1])),
                "pointing_game": float(arr[:, 2].mean()),
                "box_area_share": float(arr[:, 3].mean()),
                "median_mass_in_class_boxes": float(np.nanmedian(arr[:, 0]))}
    every_row = [r for values in rows.values() for r in values]
    return {"overall": summary(every_row),
            "per_class": {label: summary(values) for label, values in sorted(rows.items())}}
