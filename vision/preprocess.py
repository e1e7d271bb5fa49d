"""OpenCV preprocessing shared by training and inference, and the per-image statistics that
drift monitoring follows.

Model input: 8-bit grayscale resized to the model's size (area averaging when shrinking,
bilinear when enlarging), then standardised per image (zero mean, unit spread), so a
global brightness or contrast change of the camera moves the input little.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

FEATURES: tuple[str, ...] = ("brightness", "contrast", "sharpness", "clipped")
SCORE_FEATURES: tuple[str, ...] = ("score", "class_score")
EPS = 1e-6


def resize_to(gray: np.ndarray, height: int, width: int) -> np.ndarray:
    """``gray`` at ``height``×``width`` (unchanged when it already is)."""
    if gray.shape == (height, width):
        return gray
    shrink = gray.shape[0] > height or gray.shape[1] > width
    return cv2.resize(gray, (width, height),
                      interpolation=cv2.INTER_AREA if shrink else cv2.INTER_LINEAR)


def standardize(gray: np.ndarray) -> np.ndarray:
    """Per-image standardisation to float32: (x - mean) / std."""
    x = gray.astype(np.float32) * (1.0 / 255.0)
    mean, std = cv2.meanStdDev(x)
    return (x - np.float32(mean[0, 0])) / np.float32(max(float(std[0, 0]), 1e-3))


def to_batch(grays: Sequence[np.ndarray], height: int, width: int) -> np.ndarray:
    """Images -> the model's input tensor, float32 (N, 1, H, W)."""
    batch = np.empty((len(grays), 1, height, width), dtype=np.float32)
    for i, gray in enumerate(grays):
        batch[i, 0] = standardize(resize_to(gray, height, width))
    return batch


def image_features(gray: np.ndarray) -> dict[str, float]:
    """What drift monitoring follows for each input image.

    brightness: mean gray level (0-255); contrast: standard deviation of gray levels;
    sharpness: log10(1 + variance of the Laplacian); clipped: share of pixels at 0 or 255.
    """
    mean, std = cv2.meanStdDev(gray)
    laplacian = cv2.Laplacian(gray, cv2.CV_32F, ksize=3)
    _, lap_std = cv2.meanStdDev(laplacian)
    clipped = (np.count_nonzero(gray == 0) + np.count_nonzero(gray == 255)) / gray.size
    return {"brightness": float(mean[0, 0]), "contrast": float(std[0, 0]),
            "sharpness": float(np.log10(1.0 + float(lap_std[0, 0]) ** 2)),
            "clipped": float(clipped)}
