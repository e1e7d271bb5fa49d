"""The vision service's HTTP API (TestClient) and the typed client over it."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tools.errors import AndonError
from tools.vision_client import InspectArgs, VisionClient
from vision.app import create_app
from vision.results import BatchError, InspectionResult
from vision.service import Inspector


@pytest.fixture
def client(inspector: Inspector) -> Iterator[TestClient]:
    with TestClient(create_app(inspector)) as http:
        yield http


def test_health_and_model(client: TestClient, inspector: Inspector) -> None:
    health = client.get("/v1/health").json()
    assert health["status"] == "ok" and health["model"]["sha256"] == inspector.model.sha256
    model = client.get("/v1/model").json()
    assert model["classes"] == inspector.manifest.classes and "reference" not in model


def test_inspect_one_image(client: TestClient, samples: dict[str, list[bytes]]) -> None:
    response = client.post("/v1/inspect", params={"name": "crack.png"},
                           content=samples["crack"][0])
    assert response.status_code == 200
    body = response.json()
    assert body["image"] == "crack.png" and body["verdict"] in ("ok", "ng", "review")
    heat = client.get(body["heatmap_url"])
    assert heat.status_code == 200 and heat.headers["content-type"] == "image/png"
    assert heat.content.startswith(b"\x89PNG")


@pytest.mark.parametrize(("content", "status", "code"), [
    (b"", 422, "invalid_image"),
    (b"GIF89a....", 415, "unsupported_image_format"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, 422, "invalid_image"),
])
def test_inspect_refusals(client: TestClient, content: bytes, status: int, code: str) -> None:
    response = client.post("/v1/inspect", content=content)
    assert response.status_code == status
    body = response.json()
    assert body["error"]["code"] == code and body["error"]["message"].endswith(".")


def test_oversized_body_is_refused_before_reading(client: TestClient) -> None:
    response = client.post("/v1/inspect", content=b"x" * 10,
                           headers={"content-length": str(50 * 2**20)})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "image_too_large"


def test_batch(client: TestClient, samples: dict[str, list[bytes]]) -> None:
    images = [{"name": "a.png", "data": base64.b64encode(samples["ok"][0]).decode()},
              {"name": "b.bin", "data": base64.b64encode(b"junk").decode()},
              {"name": "c.png", "data": base64.b64encode(samples["patches"][0]).decode()}]
    body = client.post("/v1/inspect/batch", json={"images": images, "heatmap": False}).json()
    results = body["results"]
    assert [r["image"] for r in results] == ["a.png", "b.bin", "c.png"]
    assert "verdict" in results[0] and results[0]["heatmap"] is None
    assert results[1]["error"]["code"] == "unsupported_image_format"


@pytest.mark.parametrize(("payload", "fragment"), [
    ({"images": []}, "images"),
    ({"images": [{"name": "a", "data": "%%%"}]}, "not valid base64"),
    ({"pictures": []}, "images"),
])
def test_malformed_batches(client: TestClient, payload: dict[str, object], fragment: str
                           ) -> None:
    response = client.post("/v1/inspect/batch", json=payload)
    assert response.status_code == 400
    assert fragment in response.json()["error"]["message"]


def test_heatmap_names_are_checked(client: TestClient) -> None:
    assert client.get("/v1/heatmaps/..%2Fmanifest.json").status_code in (400, 404)
    missing = client.get("/v1/heatmaps/none-such.png")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "heatmap_not_found"


def test_drift_endpoint(client: TestClient) -> None:
    body = client.get("/v1/drift").json()
    assert body["status"] == "insufficient_data" and body["drift"] is False
    assert client.get("/v1/drift", params={"day": "yesterday"}).status_code == 400


def test_http_client_matches_in_process(client: TestClient, tmp_path,
                                        samples: dict[str, list[bytes]]) -> None:
    image = tmp_path / "part.png"
    image.write_bytes(samples["inclusion"][0])
    over_http = VisionClient("http://testserver", http=client)
    local = VisionClient(None, state_dir=tmp_path / "local")
    a, b = over_http.inspect(image), local.inspect(image)
    assert isinstance(a, InspectionResult)
    assert (a.verdict, a.defect_code, a.region) == (b.verdict, b.defect_code, b.region)
    assert a.score == pytest.approx(b.score, abs=1e-5)
    assert over_http.inspect_tool(InspectArgs(image=image)).verdict == a.verdict
    batch = over_http.inspect_batch([image, b"nope"])
    assert isinstance(batch[0], InspectionResult) and isinstance(batch[1], BatchError)
    assert over_http.drift().images >= 1
    for via in (over_http, local):
        with pytest.raises(AndonError) as caught:
            via.inspect(b"plain text")
        assert caught.value.code == "unsupported_image_format"
        with pytest.raises(AndonError) as missing:
            via.inspect(tmp_path / "absent.png")
        assert missing.value.code == "invalid_image"
    local.close()


def test_unreachable_service_is_a_clear_refusal() -> None:
    client = VisionClient("http://127.0.0.1:9", timeout=0.5)
    with pytest.raises(AndonError) as caught:
        client.health()
    assert caught.value.code == "vision_unavailable"
