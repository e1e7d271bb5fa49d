"""Model files are pinned by sha256: a changed file, a wrong pin or a broken manifest is
refused before onnxruntime ever reads it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from vision.errors import ModelRefused
from vision.loader import open_inspector
from vision.model import OnnxModel
from vision.models import DEMO_DIR, DEMO_ONNX_SHA256


@pytest.fixture
def model_copy(tmp_path: Path) -> Path:
    target = tmp_path / "model"
    shutil.copytree(DEMO_DIR, target)
    return target


def test_shipped_demo_model_matches_its_pin() -> None:
    model = OnnxModel(DEMO_DIR, pin=DEMO_ONNX_SHA256)
    assert model.sha256 == DEMO_ONNX_SHA256
    assert model.manifest.ok_class == "ok"


def test_a_changed_onnx_file_is_refused(model_copy: Path) -> None:
    onnx = model_copy / "model.onnx"
    data = bytearray(onnx.read_bytes())
    data[-20] ^= 0xFF
    onnx.write_bytes(bytes(data))
    with pytest.raises(ModelRefused, match="refusing to load it") as caught:
        OnnxModel(model_copy)
    assert caught.value.details["expected"] == DEMO_ONNX_SHA256
    assert caught.value.http_status == 503


def test_a_manifest_rewritten_to_match_is_still_refused_by_the_pin(model_copy: Path) -> None:
    from vision.manifest import sha256_file

    onnx = model_copy / "model.onnx"
    onnx.write_bytes(onnx.read_bytes() + b"\x00")
    manifest = json.loads((model_copy / "manifest.json").read_text())
    manifest["onnx_sha256"] = sha256_file(onnx)
    (model_copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelRefused, match="the pinned value"):
        OnnxModel(model_copy, pin=DEMO_ONNX_SHA256)


def test_a_wrong_pin_is_refused() -> None:
    with pytest.raises(ModelRefused, match="pinned value"):
        OnnxModel(DEMO_DIR, pin="0" * 64)


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: (d / "manifest.json").unlink(), "manifest.json is missing"),
    (lambda d: (d / "model.onnx").unlink(), "model.onnx is missing"),
    (lambda d: (d / "manifest.json").write_text("{not json"), "not a valid model manifest"),
    (lambda d: (d / "manifest.json").write_text('{"name": "x"}'), "not a valid model manifest"),
])
def test_broken_model_folders_are_refused(model_copy: Path, change, message: str) -> None:
    change(model_copy)
    with pytest.raises(ModelRefused, match=message):
        open_inspector(model_copy)


def test_manifest_classes_need_defect_codes(model_copy: Path) -> None:
    manifest = json.loads((model_copy / "manifest.json").read_text())
    manifest["defect_codes"].pop("scratch")
    (model_copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelRefused, match="classes without a defect code: scratch"):
        OnnxModel(model_copy)
