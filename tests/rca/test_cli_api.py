"""`andon rca` and POST /api/rca: the contract's shape, exit statuses and refusals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from server.api import create_app
from server.cli import app
from server.config import load_settings
from tests.rca.scenario_plant import load

CASES = load("cli_cases.yaml")
runner = CliRunner()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ANDON_HOME", str(tmp_path / "home"))
    for name in ("ANDON_DB", "ANDON_MAPPING", "ANDON_ROLE", "ANDON_ROW_CAP"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "home"


def _expect(body: dict[str, Any], case: dict[str, Any]) -> None:
    if "error_code" in case:
        assert body["error"]["code"] == case["error_code"]
        assert body["error"]["message"]
        return
    for key in case["json_keys"]:
        assert key in body
    first = body["causes"][0]
    assert [first["kind"], first["id"]] == case["first_cause"]
    assert body["narrative"] and body["problem"]["evidence"]


@pytest.mark.parametrize("case", CASES["cli"], ids=[c["args"][1][:40] for c in CASES["cli"]])
def test_cli_case(case: dict[str, Any], scenario_urls: dict[str, str], home: Path) -> None:
    args = [a.replace("{db}", scenario_urls["machine"]) for a in case["args"]]
    result = runner.invoke(app, args)
    assert result.exit_code == case["exit"], result.output
    _expect(json.loads(result.stdout), case)
    if case["exit"] == 2:
        assert "Traceback" not in result.stderr and result.stderr.strip().count("\n") == 0


def test_cli_human_output(scenario_urls: dict[str, str], home: Path) -> None:
    result = runner.invoke(app, ["rca", "Why did the weight of P1 rise in early April?",
                                 "--db", scenario_urls["machine"]])
    assert result.exit_code == 0, result.output
    for heading in ("Problem:", "Causes", "Narrative:", "Actions:"):
        assert heading in result.stdout
    assert "M2" in result.stdout


@pytest.mark.parametrize("case", CASES["api"], ids=[str(c["body"])[:40] for c in CASES["api"]])
def test_api_case(case: dict[str, Any], scenario_urls: dict[str, str], tmp_path: Path) -> None:
    settings = load_settings(env={"ANDON_HOME": str(tmp_path)}, db_url=scenario_urls["machine"])
    client = TestClient(create_app(settings))
    response = client.post("/api/rca", json=case["body"])
    assert response.status_code == case["status"], response.text
    _expect(response.json(), case)
