"""`andon vision ...`: exit statuses, the contract's --json shape, one-sentence refusals."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from server.cli import app
from tests.conftest import FIXTURES
from vision.models import DEMO_DIR
from vision.synth import generate, generate_dataset

CASES: list[dict[str, Any]] = yaml.safe_load(
    (FIXTURES / "vision" / "cli_cases.yaml").read_text(encoding="utf-8"))
runner = CliRunner()


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    import cv2

    monkeypatch.setenv("ANDON_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ANDON_VISION_URL", raising=False)
    monkeypatch.delenv("ANDON_VISION_MODEL", raising=False)
    cv2.imwrite(str(tmp_path / "sample.png"), generate("scratch", 4242).image)
    cv2.imwrite(str(tmp_path / "good.png"), generate("ok", 4242).image)
    (tmp_path / "note.txt").write_text("not an image")
    tampered = tmp_path / "tampered"
    shutil.copytree(DEMO_DIR, tampered)
    (tampered / "model.onnx").write_bytes((tampered / "model.onnx").read_bytes() + b"\x00")
    generate_dataset(tmp_path / "data", per_class=2, seed=5)
    return {"sample": str(tmp_path / "sample.png"), "good": str(tmp_path / "good.png"),
            "text": str(tmp_path / "note.txt"), "missing": str(tmp_path / "absent.png"),
            "folder": str(tmp_path), "tampered": str(tampered),
            "data": str(tmp_path / "data"), "out": str(tmp_path / "out")}


@pytest.mark.parametrize("case", CASES, ids=lambda c: " ".join(c["args"][:3]) + str(c["exit"]))
def test_vision_cli_case(case: dict[str, Any], places: dict[str, str]) -> None:
    args = [a.format(**places) for a in case["args"]]
    result = runner.invoke(app, args)
    assert result.exit_code == case["exit"], result.output + result.stderr
    if "stdout" in case:
        assert case["stdout"] in result.stdout
    if "--json" not in args:
        return
    body = json.loads(result.stdout)
    if "error_code" in case:
        assert body["error"]["code"] == case["error_code"]
        assert "Traceback" not in result.stderr and result.stderr.strip().startswith("error:")
    for key in case.get("json_keys", []):
        assert key in body


def test_inspect_json_follows_the_contract(places: dict[str, str]) -> None:
    body = json.loads(runner.invoke(app, ["vision", "inspect", places["sample"],
                                          "--json"]).stdout)
    assert body["verdict"] in ("ok", "ng", "review")
    assert isinstance(body["score"], float) and 0.0 <= body["score"] <= 1.0
    assert Path(body["heatmap"]).is_file() and body["heatmap"].endswith(".png")
    if body["verdict"] != "ok":
        assert isinstance(body["defect_code"], str)
        assert len(body["region"]) == 4 and all(isinstance(v, int) for v in body["region"])
    assert isinstance(body["root_cause_path"], list)
    assert isinstance(body["suggested_compensation"], list)
