"""Standards over the REST API. Cases: tests/fixtures/standards/api_cases.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from server.api import create_app
from server.config import load_settings
from tests.standards.conftest import cases
from tests.standards.helpers import HashingEmbedder

CASES = cases("api_cases.yaml")["cases"]


@pytest.fixture
def client(indexed_home: Path, fast_embedder: HashingEmbedder) -> TestClient:
    settings = load_settings(env={"ANDON_HOME": str(indexed_home)},
                             db_url=f"duckdb:///{indexed_home / 'unused.duckdb'}")
    return TestClient(create_app(settings))


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['method']} {c['path']}")
def test_api(client: TestClient, case: dict[str, Any]) -> None:
    if case["method"] == "GET":
        response = client.get(case["path"])
    else:
        response = client.post(case["path"], json=case["json"])
    assert response.status_code == case["status"], response.text
    body = response.json()
    if "error" in case:
        assert body["error"]["code"] == case["error"] and body["error"]["message"]
        return
    if "results" in body:
        keys = [f"{h['standard']} {h['clause']}" for h in body["results"]]
        if "top" in case:
            assert keys[0] == case["top"]
        if "results" in case:
            assert len(keys) == case["results"]
        if "only" in case:
            assert {h["standard"] for h in body["results"]} <= set(case["only"])
    if "record" in case:
        assert f"{body['standard']} {body['clause']}" == case["record"]
    if "topic_first" in case:
        first = body["clauses"][0]
        assert f"{first['standard']} {first['clause']}" == case["topic_first"]


def test_cli_and_api_agree(client: TestClient) -> None:
    import json

    from typer.testing import CliRunner

    from server.cli import app

    query = "VDA 6.3 中供应商管理是哪个过程要素?"
    cli = json.loads(CliRunner().invoke(app, ["standards", "search", query, "--json"]).stdout)
    api = client.post("/api/standards/search", json={"query": query}).json()
    assert cli == api
