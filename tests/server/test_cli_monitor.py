"""`andon monitor backtest|explain`: the contract's shape, exit statuses, refusals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from server.cli import app
from tests.conftest import FIXTURES

CASES: list[dict[str, Any]] = yaml.safe_load(
    (FIXTURES / "server" / "monitor_cli_cases.yaml").read_text())
runner = CliRunner()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["args"][2][:50])
def test_monitor_cli_case(case: dict[str, Any], small_plant: str, andon_home: Path) -> None:
    args = [a.replace("{db}", small_plant) for a in case["args"]]
    result = runner.invoke(app, args)
    assert result.exit_code == case["exit"], result.output + result.stderr
    body = json.loads(result.stdout)
    if "error_code" in case:
        assert body["error"]["code"] == case["error_code"]
        assert "Traceback" not in result.stderr
    for key in case.get("json_keys", []):
        assert key in body


def test_backtest_alerts_follow_the_contract(small_plant: str, andon_home: Path) -> None:
    request = "alert when the weight stdev of P-100 is above 0.001 g for 2 consecutive batches"
    body = json.loads(runner.invoke(app, ["monitor", "backtest", request, "--db", small_plant,
                                          "--json"]).stdout)
    assert body["alerts"], "a threshold this low must fire on the demo plant"
    for alert in body["alerts"]:
        assert alert["group"] == {"part_id": "P-100", "characteristic": "weight"}
        assert alert["at"].endswith("Z") and alert["unit_id"]
        assert alert["value"] > 0.001
