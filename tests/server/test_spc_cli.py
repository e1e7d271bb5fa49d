"""`andon spc chart` / `andon spc capability`: contract shapes, published numbers, refusals.

Cases: tests/fixtures/spc_cli/cli_cases.yaml.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from server.cli import app
from tests.conftest import FIXTURES

QCC = FIXTURES / "spc" / "qcc"
CASES: dict[str, list[dict[str, Any]]] = yaml.safe_load(
    (FIXTURES / "spc_cli" / "cli_cases.yaml").read_text(encoding="utf-8"))
CHART_KEYS = {"kind", "subgroups", "baseline", "charts"}
SERIES_KEYS = {"name", "center", "lcl", "ucl", "sigma", "violations"}
CAPABILITY_KEYS = {"cp", "cpk", "pp", "ppk", "n", "mean", "sigma_within", "sigma_overall",
                   "cp_ci", "cpk_ci", "pp_ci", "ppk_ci"}
runner = CliRunner()


def _invoke(case: dict[str, Any], tmp_path: Path) -> Any:
    csv = tmp_path / "data.csv"
    if "csv_text" in case:
        csv.write_text(case["csv_text"], encoding="utf-8")
    if case.get("rows") == "trial":
        frame = pd.read_csv(QCC / case["source"])
        frame[frame["trial"]].to_csv(csv, index=False)
    args = [a.replace("{qcc}", str(QCC)).replace("{tmp}", str(tmp_path))
            .replace("{csv}", str(csv)) for a in case["args"]]
    return runner.invoke(app, ["spc", *args])


def _close(actual: Any, expected: Any, rel: float = 5e-7) -> bool:
    if expected is None or isinstance(expected, (str, bool)):
        return bool(actual == expected)
    if isinstance(expected, list):
        return isinstance(actual, list) and len(actual) == len(expected) and all(
            _close(a, e, rel) for a, e in zip(actual, expected, strict=True))
    if expected == 0:
        return actual is not None and abs(actual) <= 1e-12
    return actual is not None and abs(actual - expected) <= rel * abs(expected)


def _check_contract_chart(body: dict[str, Any]) -> None:
    assert set(body) >= CHART_KEYS
    m = body["subgroups"]
    for series in body["charts"]:
        assert set(series) >= SERIES_KEYS, series["name"]
        for bound in ("lcl", "ucl"):
            value = series[bound]
            assert isinstance(value, (int, float)) or (isinstance(value, list)
                                                       and len(value) == m)
        for violation in series["violations"]:
            assert {"rule", "points"} <= set(violation)
            assert all(isinstance(p, int) and 1 <= p <= m for p in violation["points"])


def _field(series: dict[str, Any], key: str) -> Any:
    if key.endswith("]"):
        name, index = key[:-1].split("[")
        return series[name][int(index) - 1]
    return series[key]


def _succeeded(case: dict[str, Any], tmp_path: Path) -> dict[str, Any] | None:
    """Run a case that must succeed and show its stdout lines; its JSON when it expects
    values, else None."""
    result = _invoke(case, tmp_path)
    assert result.exit_code == 0, result.output + result.stderr
    for text in case.get("stdout", []):
        assert text in result.stdout, text
    if "expect" not in case:
        return None
    body: dict[str, Any] = json.loads(result.stdout)
    return body


@pytest.mark.parametrize("case", CASES["chart"], ids=lambda c: c["id"])
def test_chart(case: dict[str, Any], tmp_path: Path) -> None:
    body = _succeeded(case, tmp_path)
    if body is None:
        return
    _check_contract_chart(body)
    expect = dict(case["expect"])
    charts = expect.pop("charts", {})
    for key, value in expect.items():
        assert body[key] == value, key
    by_name = {series["name"]: series for series in body["charts"]}
    for name, fields in charts.items():
        series = by_name[name]
        fired = {v["rule"]: v["points"] for v in series["violations"]}
        for key, value in fields.items():
            if key == "violations":
                for rule, points in value.items():
                    assert fired.get(rule) == points, (name, rule, fired)
            elif key == "absent":
                assert not set(value) & set(fired), (name, fired)
            elif key == "varying":
                for bound in value:
                    steps = series[bound]
                    assert isinstance(steps, list) and min(steps) < max(steps), bound
            else:
                assert _close(_field(series, key), value), (name, key, _field(series, key))


@pytest.mark.parametrize("case", CASES["capability"], ids=lambda c: c["id"])
def test_capability(case: dict[str, Any], tmp_path: Path) -> None:
    body = _succeeded(case, tmp_path)
    if body is None:
        return
    assert set(body) >= CAPABILITY_KEYS
    decimals = case.get("decimals")
    for key, value in case["expect"].items():
        actual = body[key]
        if decimals is not None and value is not None and not isinstance(value, int):
            half = 0.5 * 10 ** -decimals
            pairs = zip(actual, value, strict=True) if isinstance(value, list) \
                else [(actual, value)]
            assert all(abs(a - e) <= half for a, e in pairs), (key, actual, value)
        else:
            assert _close(actual, value), (key, actual, value)
    if "cpk_is" in case:
        assert body["cpk"] == body[case["cpk_is"]] and body["cpk"] is not None


@pytest.mark.parametrize("case", CASES["refusals"], ids=lambda c: c["id"])
def test_refusal(case: dict[str, Any], tmp_path: Path) -> None:
    result = _invoke(case, tmp_path)
    assert result.exit_code == 2, result.output + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    # One sentence: ours, or click's usage error after its two usage lines.
    assert lines and lines[-1].lower().startswith("error:") and len(lines) <= 3, lines
    message = " ".join(lines)
    for text in case["error"].get("message", []):
        assert text in message, (text, message)
    if "code" in case["error"]:
        body = json.loads(result.stdout)
        assert body["error"]["code"] == case["error"]["code"]
        assert body["error"]["message"] in message.replace("error: ", "")


def test_images_are_written(tmp_path: Path) -> None:
    png, svg = tmp_path / "chart.png", tmp_path / "chart.svg"
    result = runner.invoke(app, ["spc", "chart", "imr", "--csv", str(QCC / "viscosity.csv"),
                                 "--value", "viscosity", "--baseline", "20", "--json",
                                 "--png", str(png), "--svg", str(svg)])
    assert result.exit_code == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["images"] == {"png": str(png), "svg": str(svg)}
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width == 1100 and height > 500  # 10 in at 110 dpi, two panels
    assert svg.read_bytes().lstrip().startswith(b"<?xml")


def test_human_output_names_subgroups_by_label(tmp_path: Path) -> None:
    """Subgroups named otherwise than 1..m: points are shown with their names too."""
    frame = pd.read_csv(QCC / "orangejuice.csv")
    frame["sample"] = [f"lot-{n}" for n in frame["sample"]]
    csv = tmp_path / "lots.csv"
    frame.to_csv(csv, index=False)
    args = ["spc", "chart", "p", "--csv", str(csv), "--count", "D", "--size", "size",
            "--subgroup", "sample", "--baseline", "30"]
    human = runner.invoke(app, args)
    body = json.loads(runner.invoke(app, [*args, "--json"]).stdout)
    assert human.exit_code == 0, human.stderr
    assert body["labels"][:2] == ["lot-1", "lot-2"] and len(body["labels"]) == 54
    assert "points as subgroup names" in human.stdout
    for point in ("lot-15", "lot-23", "lot-41"):  # the table may wrap between them
        assert point in human.stdout
