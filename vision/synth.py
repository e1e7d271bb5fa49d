"""Synthetic textured-surface defects (numpy + OpenCV, seeded): the demo model's data.

Backgrounds are brushed (directional grain), granular or mottled metal-like surfaces with
an illumination gradient; defects are drawn on top at random strength, so that some are
faint. Classes use defect codes of knowledge_graph/data/defect_codes.yaml, plus ``ok``.
The same (kind, seed, size) always gives the same image and box.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

CLASSES: tuple[str, ...] = ("ok", "scratch", "inclusion", "pitted_surface", "patches", "crack")
Box = tuple[int, int, int, int]    # xmin, ymin, xmax, ymax (inclusive)


@dataclass(frozen=True)
class Sample:
    image: np.ndarray      # (size, size) uint8
    kind: str
    box: Box | None        # where the defect was drawn; None for ok


def _smooth_noise(rng: np.random.Generator, size: int, sigma: float,
                  ksize: tuple[int, int] | None = None) -> np.ndarray:
    noise: np.ndarray = rng.normal(0.0, 1.0, (size, size)).astype(np.float32)
    if ksize is not None:
        noise = cv2.blur(noise, ksize)
    elif sigma > 0:
        noise = cv2.GaussianBlur(noise, (0, 0), sigma)
    return noise / max(float(noise.std()), 1e-6)


def background(rng: np.random.Generator, size: int) -> np.ndarray:
    """A textured surface as float32 gray levels."""
    level = rng.uniform(85, 170)
    texture = rng.choice(["brushed", "granular", "mottled"])
    if texture == "brushed":
        length = int(rng.integers(9, 31))
        grain = _smooth_noise(rng, size, 0, (length, 1) if rng.random() < 0.5 else (1, length))
        surface = level + rng.uniform(5, 12) * grain
    elif texture == "granular":
        surface = level + rng.uniform(5, 11) * _smooth_noise(rng, size, rng.uniform(0.6, 1.2))
    else:
        surface = level + rng.uniform(6, 14) * _smooth_noise(rng, size, rng.uniform(4, 9))
    surface += rng.uniform(4, 14) * _smooth_noise(rng, size, size / 6)
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) / size
    angle = rng.uniform(0, 2 * np.pi)
    surface += rng.uniform(0, 20) * (np.cos(angle) * xx + np.sin(angle) * yy - 0.5)
    return surface + rng.normal(0, rng.uniform(1.5, 4), (size, size)).astype(np.float32)


def _apply(surface: np.ndarray, mask: np.ndarray, delta: float, blur: float) -> Box | None:
    soft = cv2.GaussianBlur(mask.astype(np.float32), (0, 0), blur) if blur > 0 else mask
    surface += delta * soft
    ys, xs = np.nonzero(mask > 0.25)
    if xs.size == 0:
        return None
    return int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())


def _strength(rng: np.random.Generator, low: float, high: float) -> float:
    return float(rng.uniform(low, high) * rng.choice([-1.0, 1.0], p=[0.7, 0.3]))


def _scratch(rng: np.random.Generator, size: int, surface: np.ndarray) -> Box | None:
    mask = np.zeros((size, size), np.float32)
    length = rng.uniform(0.4, 0.9) * size
    angle = rng.uniform(0, np.pi)
    cx, cy = rng.uniform(0.3, 0.7, 2) * size
    dx, dy = np.cos(angle) * length / 2, np.sin(angle) * length / 2
    bend = rng.normal(0, 0.08 * length, 2)
    for offset in range(int(rng.integers(1, 4))):
        shift = offset * rng.uniform(3, 7)
        t = np.linspace(-1, 1, 60)[:, None]
        pts = np.hstack([cx + dx * t + bend[0] * (1 - t**2) - np.sin(angle) * shift,
                         cy + dy * t + bend[1] * (1 - t**2) + np.cos(angle) * shift])
        cv2.polylines(mask, [pts.astype(np.int32)], False, 1.0, int(rng.integers(1, 3)),
                      cv2.LINE_AA)
    return _apply(surface, mask, _strength(rng, 22, 60), 0.6)


def _inclusion(rng: np.random.Generator, size: int, surface: np.ndarray) -> Box | None:
    mask = np.zeros((size, size), np.float32)
    cx, cy = rng.uniform(0.2, 0.8, 2) * size
    horizontal = rng.random() < 0.5
    for _ in range(int(rng.integers(1, 5))):
        x, y = cx + rng.normal(0, 12), cy + rng.normal(0, 12)
        axes = (int(rng.integers(6, 22)), int(rng.integers(2, 5)))
        cv2.ellipse(mask, (int(x), int(y)), axes if horizontal else axes[::-1],
                    rng.uniform(-12, 12), 0, 360, 1.0, -1, cv2.LINE_AA)
    mask *= (0.6 + 0.4 * np.clip(_smooth_noise(rng, size, 1.5), -1, 1)).astype(np.float32)
    return _apply(surface, mask, -abs(_strength(rng, 30, 75)), 0.8)


def _pits(rng: np.random.Generator, size: int, surface: np.ndarray) -> Box | None:
    mask = np.zeros((size, size), np.float32)
    cx, cy = rng.uniform(0.25, 0.75, 2) * size
    spread = rng.uniform(10, 28)
    for _ in range(int(rng.integers(12, 50))):
        x, y = cx + rng.normal(0, spread), cy + rng.normal(0, spread)
        cv2.circle(mask, (int(x), int(y)), int(rng.integers(1, 4)), 1.0, -1, cv2.LINE_AA)
    return _apply(surface, mask, -abs(_strength(rng, 30, 80)), 0.5)


def _patches(rng: np.random.Generator, size: int, surface: np.ndarray) -> Box | None:
    field = _smooth_noise(rng, size, rng.uniform(6, 12))
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    cx, cy = rng.uniform(0.3, 0.7, 2) * size
    radius = rng.uniform(0.12, 0.3) * size
    envelope = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * radius**2))
    mask = ((field * 0.5 + envelope * 2.2) > 1.6).astype(np.float32)
    return _apply(surface, mask, _strength(rng, 18, 50), 3.0)


def _crack(rng: np.random.Generator, size: int, surface: np.ndarray) -> Box | None:
    mask = np.zeros((size, size), np.float32)
    x0, y0 = rng.uniform(0.25, 0.75, 2) * size
    for _ in range(int(rng.integers(1, 3))):
        x, y = x0, y0
        heading = rng.uniform(0, 2 * np.pi)
        pts = [(x, y)]
        for _ in range(int(rng.integers(12, 30))):
            heading += rng.normal(0, 0.45)
            step = rng.uniform(3, 7)
            x, y = x + np.cos(heading) * step, y + np.sin(heading) * step
            pts.append((x, y))
        x0, y0 = pts[len(pts) // 2]
        cv2.polylines(mask, [np.array(pts, np.int32)], False, 1.0, int(rng.integers(1, 3)),
                      cv2.LINE_AA)
    return _apply(surface, mask, -abs(_strength(rng, 35, 85)), 0.4)


DRAW: dict[str, Callable[[np.random.Generator, int, np.ndarray], Box | None]] = {
    "scratch": _scratch, "inclusion": _inclusion, "pitted_surface": _pits,
    "patches": _patches, "crack": _crack,
}


def generate(kind: str, seed: int, size: int = 200) -> Sample:
    """One image of ``kind`` (a CLASSES name) from ``seed``."""
    if kind not in CLASSES:
        raise ValueError(f"unknown kind {kind!r}; one of {', '.join(CLASSES)}")
    rng = np.random.default_rng([seed, CLASSES.index(kind), size])
    surface = background(rng, size)
    box = DRAW[kind](rng, size, surface) if kind != "ok" else None
    image = np.clip(np.rint(surface), 0, 255).astype(np.uint8)
    return Sample(image=image, kind=kind, box=box)


def generate_dataset(out: Path, per_class: int, seed: int = 7, size: int = 200) -> Path:
    """``out/<class>/<class>_<i>.png`` for every class and ``out/boxes.csv`` (where each
    defect was drawn). Returns ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for kind in CLASSES:
        (out / kind).mkdir(exist_ok=True)
        for i in range(per_class):
            sample = generate(kind, seed * 100_000 + i, size)
            name = f"{kind}/{kind}_{i:04d}.png"
            cv2.imwrite(str(out / name), sample.image)
            rows.append([name, kind, *(sample.box or ("", "", "", ""))])
    with (out / "boxes.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["image", "label", "xmin", "ymin", "xmax", "ymax"])
        writer.writerows(rows)
    return out
