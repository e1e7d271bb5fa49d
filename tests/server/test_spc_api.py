"""SPC over the REST API: the CLI's JSON, images with the right media types, refusals as
4xx with the error body. Cases: tests/fixtures/spc_cli/api_cases.yaml.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from server.api import create_app
from server.cli import app as cli_app
from server.config import load_settings
from tests.conftest import FIXTURES
from tests.server.test_spc_cli import _check_contract_chart, _close, _field

QCC = FIXTURES / "spc" / "qcc"
CASES: dict[str, list[dict[str, Any]]] = yaml.safe_load(
    (FIXTURES / "spc_cli" / "api_cases.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """The application; SPC needs no plant database, so none is built."""
    home = tmp_path_factory.mktemp("home")
    settings = load_settings(env={"ANDON_HOME": str(home)},
                             db_url=f"duckdb:///{home / 'unused.duckdb'}")
    return TestClient(create_app(settings))


def _data(ref: Any) -> Any:
    if not isinstance(ref, dict):
        return ref
    frame = pd.read_csv(QCC / ref["csv"])
    if ref.get("rows") == "trial":
        frame = frame[frame["trial"]]
    column = frame[ref["column"]].tolist()
    width = ref.get("width")
    return [column[i:i + width] for i in range(0, len(column), width)] if width else column


def _post(client: TestClient, path: str, case: dict[str, Any]) -> Any:
    if "raw" in case:
        return client.post(path, content=case["raw"].encode(),
                           headers={"content-type": "application/json"})
    body = case["body"]
    if isinstance(body, dict):
        body = {key: _data(value) for key, value in body.items()}
    return client.post(path, json=body)


def _check_numbers(actual: Any, expected: Any, decimals: int | None) -> bool:
    if decimals is None or expected is None or isinstance(expected, int):
        return _close(actual, expected)
    pairs = zip(actual, expected, strict=True) if isinstance(expected, list) \
        else [(actual, expected)]
    return all(abs(a - e) <= 0.5 * 10 ** -decimals for a, e in pairs)


@pytest.mark.parametrize("case", CASES["chart"], ids=lambda c: c["id"])
def test_chart(client: TestClient, case: dict[str, Any]) -> None:
    response = _post(client, "/api/spc/chart", case)
    assert response.status_code == case["status"], response.text
    body = response.json()
    _check_contract_chart(body)
    expect = dict(case["expect"])
    for name, fields in expect.pop("charts", {}).items():
        series = next(s for s in body["charts"] if s["name"] == name)
        fired = {v["rule"]: v["points"] for v in series["violations"]}
        for key, value in fields.items():
            if key == "violations":
                assert all(fired.get(rule) == points for rule, points in value.items()), fired
            else:
                assert _close(_field(series, key), value), (name, key)
    for key, value in expect.items():
        assert body[key] == value, key


@pytest.mark.parametrize("case", CASES["refusals"], ids=lambda c: c["id"])
@pytest.mark.parametrize("path", ["/api/spc/chart", "/api/spc/chart.svg"])
def test_refusal(client: TestClient, case: dict[str, Any], path: str) -> None:
    response = _post(client, path, case)
    assert response.status_code == case["status"], response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == case["error"]["code"]
    for text in case["error"].get("message", []):
        assert text in error["message"], error["message"]


@pytest.mark.parametrize("case", CASES["capability"], ids=lambda c: c["id"])
def test_capability(client: TestClient, case: dict[str, Any]) -> None:
    response = _post(client, "/api/spc/capability", case)
    assert response.status_code == case["status"], response.text
    body = response.json()
    if "error" in case:
        assert body["error"]["code"] == case["error"]["code"]
        for text in case["error"].get("message", []):
            assert text in body["error"]["message"]
        return
    for key in ("cp", "cpk", "pp", "ppk", "n", "mean", "sigma_within", "sigma_overall"):
        assert key in body
    for key, value in case["expect"].items():
        assert _check_numbers(body[key], value, case.get("decimals")), (key, body[key])


def test_svg_and_png_images(client: TestClient) -> None:
    body = {"kind": "xbar-r", "subgroups": _data({"csv": "pistonrings.csv",
                                                  "column": "diameter", "width": 5}),
            "baseline": 25, "title": "Piston rings"}
    chart = client.post("/api/spc/chart", json=body).json()
    flagged = {s["name"]: len({p for v in s["violations"] for p in v["points"]})
               for s in chart["charts"]}
    svg = client.post("/api/spc/chart.svg", json=body)
    assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
    root = ET.fromstring(svg.content)
    markers = {e.get("id"): sum(1 for u in e.iter() if u.tag.endswith("}use"))
               for e in root.iter() if (e.get("id") or "").startswith("spc-flagged-")}
    assert markers == {f"spc-flagged-{name}": n for name, n in flagged.items() if n}
    assert flagged["xbar"] == 5
    png = client.post("/api/spc/chart.png", json=body)
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_api_answers_what_the_cli_prints(client: TestClient, tmp_path: Path) -> None:
    api = client.post("/api/spc/chart", json={
        "kind": "xbar-r", "values": _data({"csv": "pistonrings.csv", "column": "diameter"}),
        "labels": _data({"csv": "pistonrings.csv", "column": "sample"}), "baseline": 25,
        "rules": "nelson"}).json()
    cli = CliRunner().invoke(cli_app, [
        "spc", "chart", "xbar-r", "--csv", str(QCC / "pistonrings.csv"), "--value", "diameter",
        "--subgroup", "sample", "--baseline", "25", "--rules", "nelson", "--json"])
    assert cli.exit_code == 0, cli.stderr
    assert json.loads(cli.stdout) == api


def test_openapi_documents_the_spc_endpoints(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/spc/chart", "/api/spc/chart.svg", "/api/spc/chart.png",
                 "/api/spc/capability"):
        assert "post" in paths[path]
    assert "image/svg+xml" in paths["/api/spc/chart.svg"]["post"]["responses"]["200"]["content"]


def test_web_ui_has_the_spc_panel(client: TestClient) -> None:
    page = client.get("/").text
    assert 'id="spc-data"' in page and "/api/spc/chart.svg" in page
