"""Heat maps and regions from a class activation map (vision.cam)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import yaml

from tests.conftest import FIXTURES
from vision.cam import heat_map, mass_inside, overlay_png, regions

CASES: list[dict[str, Any]] = yaml.safe_load(
    (FIXTURES / "vision" / "cam_cases.yaml").read_text(encoding="utf-8"))


def make_cam(spec: dict[str, Any]) -> np.ndarray:
    cam = np.full(spec["shape"], spec.get("fill", 0.0), np.float32)
    for r0, r1, c0, c1, value in spec["blocks"]:
        cam[r0:r1, c0:c1] = value
    return cam


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_cam_case(case: dict[str, Any]) -> None:
    height, width = case["image"]
    heat = heat_map(make_cam(case["cam"]), height, width)
    assert heat.shape == (height, width) and heat.dtype == np.float32
    assert float(heat.min()) >= 0.0 and float(heat.max()) <= 1.0
    boxes = regions(heat, case["threshold"])
    if case["region"] is None:
        assert boxes == []
        assert np.isnan(mass_inside(heat, [(0, 0, width - 1, height - 1)]))
        return
    x, y, w, h = boxes[0]
    assert x >= 0 and y >= 0 and x + w <= width and y + h <= height
    assert np.allclose(boxes[0], case["region"], atol=case["tol"]), boxes[0]
    inside = mass_inside(heat, [tuple(b) for b in case["boxes"]])
    assert inside >= case["mass_min"]
    assert mass_inside(heat, [(0, 0, width - 1, height - 1)]) == pytest.approx(1.0)


def test_overlay_is_a_png_of_the_image_size() -> None:
    import cv2

    gray = np.full((120, 90), 128, np.uint8)
    heat = heat_map(make_cam({"shape": [4, 4], "blocks": [[0, 2, 0, 2, 1.0]]}), 120, 90)
    data = overlay_png(gray, heat, (0, 0, 45, 60))
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    assert image is not None
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and image.shape == (120, 90, 3)
    assert not np.array_equal(image[10, 10], image[110, 80]), "the heat shows where it is"
