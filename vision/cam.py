"""From the model's class activation map to a heat map, defect regions and a PNG overlay."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

Box = tuple[int, int, int, int]   # x, y, w, h in image pixels


def heat_map(cam: np.ndarray, height: int, width: int) -> np.ndarray:
    """One class's CAM (h, w) -> float32 (height, width) in [0, 1]: negative evidence
    clipped to 0, the peak scaled to 1, resized bilinearly to the image."""
    positive = np.maximum(cam.astype(np.float32), 0.0)
    peak = float(positive.max())
    if peak <= 0.0:
        return np.zeros((height, width), np.float32)
    resized = cv2.resize(positive / peak, (width, height), interpolation=cv2.INTER_LINEAR)
    return np.clip(resized, 0.0, 1.0)


def regions(heat: np.ndarray, threshold: float, min_share: float = 0.1) -> list[Box]:
    """Boxes around the connected areas where ``heat >= threshold``, largest heat mass
    first; areas holding less than ``min_share`` of the thresholded mass are dropped."""
    mask = (heat >= threshold).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if count <= 1:
        return []
    masses = np.bincount(labels.ravel(), weights=heat.ravel(), minlength=count)[1:]
    total = float(masses.sum())
    order = np.argsort(-masses)
    boxes: list[Box] = []
    for index in order:
        if total > 0 and masses[index] / total < min_share and boxes:
            continue
        x, y, w, h = (int(v) for v in stats[index + 1, :4])
        boxes.append((x, y, w, h))
    return boxes


def mass_inside(heat: np.ndarray, boxes: list[tuple[int, int, int, int]]) -> float:
    """Share of the heat map's mass inside the union of boxes given as (xmin, ymin, xmax,
    ymax), inclusive pixel corners (Pascal VOC style). NaN when the map is empty."""
    total = float(heat.sum())
    if total <= 0.0:
        return float("nan")
    mask = np.zeros(heat.shape, bool)
    for xmin, ymin, xmax, ymax in boxes:
        mask[max(ymin, 0):ymax + 1, max(xmin, 0):xmax + 1] = True
    return float(heat[mask].sum() / total)


def overlay_png(gray: np.ndarray, heat: np.ndarray, region: Box | None,
                alpha: float = 0.45) -> bytes:
    """The image with the heat map blended over it (JET colours) and the region boxed."""
    base = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)
    colours = cv2.applyColorMap((heat * 255).astype(np.uint8), cv2.COLORMAP_JET)
    blended = cv2.addWeighted(colours, alpha, base, 1.0 - alpha, 0.0)
    if region is not None:
        x, y, w, h = region
        cv2.rectangle(blended, (x, y), (x + w - 1, y + h - 1), (255, 255, 255), 1)
    ok, encoded = cv2.imencode(".png", blended)
    if not ok:  # pragma: no cover - OpenCV encodes any 8-bit BGR image
        raise RuntimeError("PNG encoding failed")
    return encoded.tobytes()


def write_overlay(directory: Path, stem: str, png: bytes) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{stem}.png"
    path.write_bytes(png)
    return path
