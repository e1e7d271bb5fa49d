"""Drift: shifted inputs are told apart from the training distribution; unshifted ones
are not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
import yaml

from tests.conftest import FIXTURES
from vision.drift import MIN_IMAGES, DriftStore, build_reference, psi
from vision.service import Inspector
from vision.synth import CLASSES, generate

CASES: list[dict[str, Any]] = yaml.safe_load(
    (FIXTURES / "vision" / "drift_cases.yaml").read_text(encoding="utf-8"))
PER_CLASS = 14


def shifted(image: np.ndarray, shift: dict[str, float] | str, rng: np.random.Generator
            ) -> np.ndarray:
    if shift == "none":
        return image
    assert isinstance(shift, dict)
    x: np.ndarray = image.astype(np.float32)
    if "brightness" in shift:
        x = x + shift["brightness"]
    if "contrast" in shift:
        x = (x - x.mean()) * shift["contrast"] + x.mean()
    if "noise" in shift:
        x = x + rng.normal(0, shift["noise"], x.shape)
    if "blur" in shift:
        x = cv2.GaussianBlur(x, (0, 0), shift["blur"])
    return np.clip(np.rint(x), 0, 255).astype(np.uint8)


@pytest.fixture(scope="module")
def base_images() -> list[np.ndarray]:
    return [generate(kind, 50_000 + i).image for kind in CLASSES for i in range(PER_CLASS)]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_drift_case(case: dict[str, Any], inspector: Inspector,
                    base_images: list[np.ndarray]) -> None:
    rng = np.random.default_rng(1)
    for image in base_images:
        inspector.inspect_array(shifted(image, case["shift"], rng), heatmap=False)
    report = inspector.drift_report()
    assert report.images == len(base_images)
    status = {f.name: f.status for f in report.features}
    for feature, allowed in case["expect"].items():
        assert status[feature] in allowed, (feature, status, report.summary)
    if "overall_not" in case:
        assert report.status != case["overall_not"], report.summary
    if report.drift:
        assert any(f in report.summary for f in case["expect"])


def test_too_few_images_say_so(inspector: Inspector, base_images: list[np.ndarray]) -> None:
    assert inspector.drift_report().status == "insufficient_data"
    for image in base_images[:MIN_IMAGES - 1]:
        inspector.inspect_array(image, heatmap=False)
    report = inspector.drift_report()
    assert report.status == "insufficient_data" and "at least 30" in report.summary


def test_statistics_persist_per_day(tmp_path: Path) -> None:
    reference = build_reference({"brightness": list(np.linspace(0, 100, 200))})
    store = DriftStore(tmp_path / "drift.json", reference, flush_every=1000)
    day1 = dt.datetime(2026, 3, 1, 23, 0, tzinfo=dt.UTC)
    day2 = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
    for value in np.linspace(0, 100, 60):
        store.record({"brightness": float(value)}, at=day1)
        store.record({"brightness": float(value) + 80}, at=day2)
    store.flush()
    again = DriftStore(tmp_path / "drift.json", reference)
    assert again.days() == ["2026-03-01", "2026-03-02"]
    assert again.report("m", "2026-03-01").status == "stable"
    assert again.report("m", "2026-03-02").status == "drift"
    assert again.report("m").day == "2026-03-02"


def test_psi_is_zero_for_the_same_distribution_and_grows_with_shift() -> None:
    shares = [0.1] * 10
    assert psi(shares, [10] * 10) == pytest.approx(0.0, abs=1e-9)
    small, large = psi(shares, [12, 8] * 5), psi(shares, [30, 0] * 5)
    assert 0 < small < 0.1 < 0.25 < large
