"""Image validation: every refusal is the right error with one clear sentence."""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
import pytest
import yaml

from tests.conftest import FIXTURES
from tools.errors import AndonError
from vision.images import ImageLimits, decode_image

CASES: list[dict[str, Any]] = yaml.safe_load(
    (FIXTURES / "vision" / "validation_cases.yaml").read_text(encoding="utf-8"))


def build(spec: dict[str, Any]) -> bytes:
    rng = np.random.default_rng(0)
    shape = (spec["height"], spec["width"]) + ((spec["channels"],) if spec["channels"] > 1
                                               else ())
    dtype = np.dtype(spec.get("dtype", "uint8"))
    if spec.get("blank"):
        image = np.zeros(shape, dtype)
    elif dtype == np.float32:
        image = rng.random(shape, dtype=np.float32)
    else:
        image = rng.integers(0, np.iinfo(dtype).max, shape, dtype=dtype, endpoint=True)
    ok, data = cv2.imencode("." + spec["format"], image)
    assert ok
    return data.tobytes()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_validation_case(case: dict[str, Any]) -> None:
    data = case["raw"].encode("latin-1") if "raw" in case else build(case["build"])
    if "truncate" in case:
        data = data[:case["truncate"]]
    limits = ImageLimits(**case.get("limits", {}))
    if case.get("ok"):
        image = decode_image(data, name="part.png", limits=limits)
        spec = case["build"]
        assert (image.width, image.height) == (spec["width"], spec["height"])
        assert image.gray.shape == (spec["height"], spec["width"])
        assert image.gray.dtype == np.uint8
        assert image.channels == spec["channels"]
        return
    with pytest.raises(AndonError) as caught:
        decode_image(data, name="part.png", limits=limits)
    error = caught.value
    assert error.code == case["code"]
    assert case["message"] in error.message
    assert error.message.startswith("part.png")
    assert error.message.count(". ") == 0 and error.message.endswith("."), "one sentence"
    assert 400 <= error.http_status < 500
