"""The inspector on the shipped demo model: verdict fields, heat-map and region geometry,
batch equals single, overlays written, images of other sizes mapped back."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from tests.vision.conftest import png
from vision.errors import InvalidImage, UnsupportedImageFormat
from vision.results import BatchError, InspectionResult
from vision.service import MAX_BATCH, Inspector
from vision.synth import CLASSES, generate


def test_defects_are_found_and_good_parts_pass(inspector: Inspector,
                                               samples: dict[str, list[bytes]]) -> None:
    """Not a benchmark: on clear generated samples most verdicts must be right."""
    right = 0
    for kind, images in samples.items():
        for data in images:
            result = inspector.inspect_bytes(data, name=f"{kind}.png")
            right += (result.verdict == "ok") if kind == "ok" else (result.verdict != "ok")
    assert right >= 0.8 * sum(len(v) for v in samples.values())


def test_result_fields_follow_the_contract(inspector: Inspector,
                                           samples: dict[str, list[bytes]]) -> None:
    result = inspector.inspect_bytes(samples["pitted_surface"][0], name="p.png")
    body = result.model_dump(mode="json")
    for key in ("verdict", "defect_code", "score", "heatmap", "region", "root_cause_path",
                "suggested_compensation"):
        assert key in body
    assert sum(result.probabilities.values()) == pytest.approx(1.0, abs=1e-4)
    assert result.model.sha256 == inspector.model.sha256
    if result.verdict == "ok":
        assert result.defect_code is None and result.region is None
    else:
        assert result.defect_code in inspector.manifest.defect_codes.values()


@pytest.mark.parametrize("kind", [k for k in CLASSES if k != "ok"])
def test_heat_map_and_region_lie_on_the_image(inspector: Inspector, kind: str) -> None:
    sample = generate(kind, 77_001)
    (pred,) = inspector.predict([sample.image])
    assert pred.heat.shape == sample.image.shape
    peak = float(pred.heat.max())   # the map's peak, blurred a little by the resize
    assert 0.9 <= peak <= 1.0 or peak == 0.0
    for x, y, w, h in pred.regions:
        assert x >= 0 and y >= 0 and w > 0 and h > 0
        assert x + w <= sample.image.shape[1] and y + h <= sample.image.shape[0]


def test_region_is_in_the_coordinates_of_an_image_of_another_size(inspector: Inspector
                                                                   ) -> None:
    sample = generate("patches", 77_002)
    wide = cv2.resize(sample.image, (300, 240), interpolation=cv2.INTER_LINEAR)
    result = inspector.inspect_array(wide, name="wide")
    assert (result.width, result.height) == (300, 240)
    for x, y, w, h in result.regions:
        assert x + w <= 300 and y + h <= 240


def test_batch_gives_the_same_verdicts_as_single_images(inspector: Inspector,
                                                        samples: dict[str, list[bytes]]) -> None:
    items = [(f"{k}{i}.png", d) for k, v in samples.items() for i, d in enumerate(v[:2])]
    batch = inspector.inspect_batch(items, heatmap=False)
    for (name, data), together in zip(items, batch, strict=True):
        alone = inspector.inspect_bytes(data, name=name, heatmap=False)
        assert isinstance(together, InspectionResult)
        assert together.verdict == alone.verdict and together.defect_code == alone.defect_code
        assert together.region == alone.region
        for label, p in alone.probabilities.items():
            assert together.probabilities[label] == pytest.approx(p, abs=1e-4)


def test_a_refused_image_in_a_batch_does_not_stop_the_others(inspector: Inspector,
                                                             samples: dict[str, list[bytes]]
                                                             ) -> None:
    items = [("a.png", samples["ok"][0]), ("b.txt", b"not an image"),
             ("c.png", samples["crack"][0])]
    out = inspector.inspect_batch(items)
    assert isinstance(out[0], InspectionResult) and isinstance(out[2], InspectionResult)
    assert isinstance(out[1], BatchError)
    assert out[1].error["code"] == "unsupported_image_format"
    assert [o.image for o in out] == ["a.png", "b.txt", "c.png"]


def test_single_refusals_raise(inspector: Inspector) -> None:
    with pytest.raises(UnsupportedImageFormat):
        inspector.inspect_bytes(b"hello", name="x")
    with pytest.raises(InvalidImage):
        inspector.inspect_bytes(png(np.zeros((10, 10), np.uint8)), name="tiny")


def test_batch_size_is_limited(inspector: Inspector, samples: dict[str, list[bytes]]) -> None:
    from vision.errors import ImageTooLarge

    with pytest.raises(ImageTooLarge, match=f"at most {MAX_BATCH}"):
        inspector.inspect_batch([("a", samples["ok"][0])] * (MAX_BATCH + 1))


def test_heat_map_overlay_is_written(inspector: Inspector, samples: dict[str, list[bytes]]
                                     ) -> None:
    result = inspector.inspect_bytes(samples["scratch"][1], name="my part #1.png")
    assert result.heatmap is not None
    image = cv2.imread(result.heatmap, cv2.IMREAD_COLOR)
    assert image is not None
    assert image.shape == (200, 200, 3)
    assert "my_part_1" in result.heatmap
    quiet = inspector.inspect_bytes(samples["scratch"][1], heatmap=False)
    assert quiet.heatmap is None
