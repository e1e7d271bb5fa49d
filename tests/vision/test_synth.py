"""The synthetic defect generator is deterministic and draws where it says."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from vision.synth import CLASSES, generate, generate_dataset


@pytest.mark.parametrize("kind", CLASSES)
def test_same_seed_same_image(kind: str) -> None:
    a, b = generate(kind, 123), generate(kind, 123)
    assert np.array_equal(a.image, b.image) and a.box == b.box
    assert a.image.dtype == np.uint8 and a.image.shape == (200, 200)
    assert not np.array_equal(a.image, generate(kind, 124).image)


@pytest.mark.parametrize("kind", [k for k in CLASSES if k != "ok"])
def test_defects_have_a_box_inside_the_image(kind: str) -> None:
    for seed in range(5):
        sample = generate(kind, seed, size=128)
        assert sample.box is not None
        xmin, ymin, xmax, ymax = sample.box
        assert 0 <= xmin <= xmax < 128 and 0 <= ymin <= ymax < 128


def test_ok_has_no_box() -> None:
    assert generate("ok", 5).box is None


def test_unknown_kind() -> None:
    with pytest.raises(ValueError, match="unknown kind"):
        generate("dent", 1)


def test_dataset_layout_is_reproducible(tmp_path: Path) -> None:
    first = generate_dataset(tmp_path / "a", per_class=2, seed=3, size=64)
    second = generate_dataset(tmp_path / "b", per_class=2, seed=3, size=64)
    files = sorted(p.relative_to(first) for p in first.rglob("*.png"))
    assert len(files) == 2 * len(CLASSES)
    for rel in files:
        assert (first / rel).read_bytes() == (second / rel).read_bytes()
    assert (first / "boxes.csv").read_text() == (second / "boxes.csv").read_text()
