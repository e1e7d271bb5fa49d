"""`andon standards search|show|index`: contract shapes and refusals.
Cases: tests/fixtures/standards/cli_cases.yaml (index built with a hashing embedder)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from server.cli import app
from tests.standards.conftest import cases
from tests.standards.helpers import HashingEmbedder

CASES = cases("cli_cases.yaml")["cases"]
runner = CliRunner()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_cli(case: dict[str, Any], request: pytest.FixtureRequest,
             fast_embedder: HashingEmbedder) -> None:
    home = "andon_home" if case.get("fresh") else "indexed_home"
    andon_home: Path = request.getfixturevalue(home)
    result = runner.invoke(app, ["standards", *case["args"]])
    assert result.exit_code == case["exit"], result.output
    out = result.stdout
    for text in case.get("stdout_has", []):
        assert text in out
    for text in case.get("stderr_has", []):
        assert text in result.stderr
    if "--json" not in case["args"]:
        return
    body = json.loads(out)
    if "error" in case:
        assert body["error"]["code"] == case["error"]
        assert result.stderr.strip().startswith("error:")
        return
    if case["args"][0] == "search":
        assert set(body) == {"query", "results"} and body["query"] == case["args"][1]
        for hit in body["results"]:
            assert {"standard", "clause", "title", "score"} <= set(hit)
        if "top" in case:
            assert f"{body['results'][0]['standard']} {body['results'][0]['clause']}" \
                == case["top"]
        if "top_score" in case:
            assert body["results"][0]["score"] == case["top_score"]
        if "results" in case:
            assert len(body["results"]) == case["results"]
        if "only" in case:
            assert {h["standard"] for h in body["results"]} <= set(case["only"])
    if "record" in case:
        assert f"{body['standard']} {body['clause']}" == case["record"]
        assert body["summary_en"] and body["summary_zh"]
    if "index" in case:
        for key, value in case["index"].items():
            assert body[key] == value
        assert body["location"] == str(andon_home / "standards")


def test_first_search_builds_the_index(andon_home: Path,
                                       fast_embedder: HashingEmbedder) -> None:
    assert runner.invoke(app, ["standards", "search", "TPM", "--json"]).exit_code == 0
    assert len(fast_embedder.embedded) == 794 and (andon_home / "standards").is_dir()
