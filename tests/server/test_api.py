"""The REST API: same shapes as the CLI, refusals as 4xx."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from server.api import create_app
from server.config import load_settings


def _client(db_url: str, home: Path) -> TestClient:
    return TestClient(create_app(load_settings(env={"ANDON_HOME": str(home)}, db_url=db_url)))


def test_health_catalog_and_sql(small_plant: str, tmp_path: Path) -> None:
    client = _client(small_plant, tmp_path)
    assert client.get("/api/health").json()["status"] == "ok"
    catalog = client.get("/api/catalog").json()
    assert catalog["parts"] and catalog["characteristics"]
    ok = client.post("/api/sql", json={"query": "SELECT COUNT(*) AS n FROM parts"})
    assert ok.status_code == 200
    assert ok.json()["rows"] == [[len(catalog["parts"])]]
    assert "Andon" in client.get("/").text


def test_refusals_are_4xx_with_the_error_body(small_plant: str, tmp_path: Path) -> None:
    client = _client(small_plant, tmp_path)
    refused = client.post("/api/sql", json={"query": "DROP TABLE batches"})
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "sql_rejected"
    invalid = client.post("/api/sql", json={"query": 42, "max_rows": 0})
    assert 400 <= invalid.status_code < 500
    count = client.post("/api/sql", json={"query": "SELECT COUNT(*) AS n FROM batches"})
    assert count.json()["rows"][0][0] > 0  # nothing was dropped
