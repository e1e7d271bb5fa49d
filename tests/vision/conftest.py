"""Shared fixtures: the shipped demo model, an inspector writing to a temporary folder,
and generated sample images (PNG bytes) of every class."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from vision.loader import open_inspector
from vision.service import Inspector
from vision.synth import CLASSES, generate


def png(image: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".png", image)
    assert ok
    return data.tobytes()


@pytest.fixture(scope="session")
def samples() -> dict[str, list[bytes]]:
    """Four 200×200 PNG images per class, from seeds the demo model never trained on."""
    return {kind: [png(generate(kind, 90_000 + i).image) for i in range(4)]
            for kind in CLASSES}


@pytest.fixture
def inspector(tmp_path: Path) -> Iterator[Inspector]:
    inspector = open_inspector(None, state_dir=tmp_path / "state")
    yield inspector
    inspector.close()
