"""The main API's vision routes: a generated sample inspected in-process with the shipped
demo model, the heat map returned inline, and bad input refused with a 4xx."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from server.api import create_app
from server.config import load_settings


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    home: Path = tmp_path_factory.mktemp("andon_home")
    settings = load_settings({"ANDON_HOME": str(home),
                              "ANDON_DB": "duckdb:///" + str(home / "none.duckdb")})
    return TestClient(create_app(settings))


@pytest.mark.parametrize("kind", ["scratch", "crack", "ok"])
def test_a_generated_sample_is_inspected(client: TestClient, kind: str) -> None:
    sample = client.get("/api/vision/sample.png", params={"kind": kind, "seed": 3})
    assert sample.status_code == 200 and sample.content[:8] == b"\x89PNG\r\n\x1a\n"
    result = client.post("/api/vision/inspect", params={"name": f"{kind}.png"},
                         content=sample.content,
                         headers={"content-type": "application/octet-stream"})
    assert result.status_code == 200, result.text
    body = result.json()
    assert body["verdict"] in ("ok", "ng", "review") and 0.0 <= body["score"] <= 1.0
    assert body["image"] == f"{kind}.png" and (body["width"], body["height"]) == (200, 200)
    if body["verdict"] != "ok":
        assert body["region"] and body["heatmap_png"].startswith("data:image/png;base64,")


@pytest.mark.parametrize(("path", "params", "content"), [
    ("/api/vision/inspect", {}, b""),
    ("/api/vision/inspect", {}, b"not an image at all"),
])
def test_bad_images_are_refused(client: TestClient, path: str, params: dict[str, str],
                                content: bytes) -> None:
    response = client.post(path, params=params, content=content,
                           headers={"content-type": "application/octet-stream"})
    assert 400 <= response.status_code < 500
    assert response.json()["error"]["message"]


def test_an_unknown_sample_kind_is_refused(client: TestClient) -> None:
    response = client.get("/api/vision/sample.png", params={"kind": "dent"})
    assert response.status_code == 400 and "scratch" in response.json()["error"]["message"]
