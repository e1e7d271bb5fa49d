"""The `andon` command: contract shapes, exit statuses, one-sentence refusals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from server.cli import app
from tests.conftest import FIXTURES

CASES: list[dict[str, Any]] = yaml.safe_load((FIXTURES / "server" / "cli_cases.yaml").read_text())
runner = CliRunner()


@pytest.mark.parametrize("case", CASES, ids=lambda c: " ".join(c["args"])[:60])
def test_cli_case(case: dict[str, Any], small_plant: str, andon_home: Path) -> None:
    args = [a.replace("{db}", small_plant) for a in case["args"]]
    result = runner.invoke(app, args)
    assert result.exit_code == case["exit"], result.output + result.stderr
    if case["exit"] == 2:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert lines and "Traceback" not in result.stderr
        # One sentence: ours, or click's usage error after its two usage lines.
        assert lines[-1].lower().startswith("error:") and len(lines) <= 3
    if "error_code" in case:
        assert json.loads(result.stdout)["error"]["code"] == case["error_code"]
    if "json_keys" in case:
        body = json.loads(result.stdout)
        assert set(case["json_keys"]) <= set(body)
    if "rows" in case:
        body = json.loads(result.stdout)
        assert len(body["rows"]) == case["rows"] and body["truncated"] is case["truncated"]


def test_sql_rows_match_the_database(small_plant: str, andon_home: Path) -> None:
    from tools.database import connect

    result = runner.invoke(app, ["sql", "SELECT COUNT(*) AS n FROM measurements",
                                 "--db", small_plant, "--json"])
    body = json.loads(result.stdout)
    with connect(small_plant) as db:
        expected = db.query("SELECT COUNT(*) FROM measurements").rows[0][0]
    assert body["columns"] == ["n"] and body["rows"] == [[expected]] and expected > 0


@pytest.mark.parametrize("server", ["pg_url", "mysql_url"])
def test_plant_build_on_database_servers(server: str, request: pytest.FixtureRequest,
                                         andon_home: Path) -> None:
    url = request.getfixturevalue(server)
    result = runner.invoke(app, ["plant", "build", "--db", url, "--months", "1", "--json"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert Path(report["manifest_path"]).is_file()
    counted = runner.invoke(app, ["sql", "SELECT COUNT(*) AS n FROM measurements",
                                  "--db", url, "--json"])
    assert json.loads(counted.stdout)["rows"] == [[report["row_counts"]["measurements"]]]
