"""Charts as images: valid PNG / SVG, one red marker per flagged point, hollow excluded
points, phase boundary, deterministic bytes. Cases: tests/fixtures/spc_cli/plot_cases.yaml.
"""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from collections import Counter
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
import pytest
import yaml

from tests.conftest import FIXTURES
from tools.errors import InvalidInput
from tools.spc import ChartResult, control_chart
from tools.spc import plot_style as st
from tools.spc.plot import render_chart

QCC = FIXTURES / "spc" / "qcc"
CASES: list[dict[str, Any]] = yaml.safe_load(
    (FIXTURES / "spc_cli" / "plot_cases.yaml").read_text(encoding="utf-8"))["cases"]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _chart(spec: dict[str, Any]) -> ChartResult:
    frame = pd.read_csv(QCC / spec["csv"])
    value = spec["value"]
    values = frame[value].to_numpy() if isinstance(value, list) else frame[value]
    sizes = spec.get("sizes")
    return control_chart(
        spec["kind"], values,
        labels=frame[spec["labels"]].tolist() if "labels" in spec else None,
        sizes=frame[sizes] if isinstance(sizes, str) else sizes,
        baseline=spec.get("baseline"), exclude=spec.get("exclude", ()),
        rules=spec.get("rules", "we"))


def _groups(svg: bytes) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {e.get("id", ""): e for e in root.iter() if e.get("id", "").startswith("spc-")}


def _markers(group: ET.Element) -> int:
    return sum(1 for e in group.iter() if e.tag.endswith("}use"))


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_MAGIC and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


@pytest.fixture(scope="module", params=CASES, ids=lambda c: c["id"])
def drawn(request: pytest.FixtureRequest) -> tuple[dict[str, Any], ChartResult, bytes, bytes]:
    case = request.param
    result = _chart(case["chart"])
    return case, result, render_chart(result, fmt="svg"), render_chart(result, fmt="png")


def test_png_is_valid_and_sized_per_panel(drawn: Any) -> None:
    case, result, _, png = drawn
    width, height = _png_size(png)
    panels = len(case["panels"])
    assert [c.name for c in result.charts] == case["panels"]
    assert width == round(st.WIDTH * st.DPI)
    assert height == round((st.HEADER_HEIGHT + st.PANEL_HEIGHT * panels + 0.5) * st.DPI)


def test_svg_draws_each_panel_with_its_limits(drawn: Any) -> None:
    _, result, svg, _ = drawn
    groups = _groups(svg)
    for series in result.charts:
        for line in ("ucl", "lcl", "center"):
            drawn_line = f"spc-{line}-{series.name}" in groups
            assert drawn_line == (getattr(series, line) is not None), (series.name, line)


def test_one_red_marker_per_flagged_point(drawn: Any) -> None:
    case, result, svg, _ = drawn
    groups = _groups(svg)
    counted = {gid.removeprefix("spc-flagged-"): _markers(g) for gid, g in groups.items()
               if gid.startswith("spc-flagged-")}
    expected = {key: n for key, n in case["flagged"].items() if n}
    assert counted == expected
    for series in result.charts:  # and they are the result's flagged points
        on_chart = sum(n for key, n in counted.items()
                       if key == series.name or key.startswith(f"{series.name}-"))
        per_trace = ({p for v in series.violations if v.rule == rule for p in v.points}
                     for rule in ("cusum-upper", "cusum-lower")) \
            if series.name == "cusum" else [set(series.flagged())]
        assert on_chart == sum(len(points) for points in per_trace)


def test_excluded_points_are_hollow(drawn: Any) -> None:
    case, _, svg, _ = drawn
    groups = _groups(svg)
    counted = {gid.removeprefix("spc-excluded-"): _markers(g) for gid, g in groups.items()
               if gid.startswith("spc-excluded-")}
    assert counted == case.get("excluded", {})


def test_rule_tags_start_flagged_stretches(drawn: Any) -> None:
    case, result, svg, _ = drawn
    tagged: dict[str, list[int]] = {}
    for gid in _groups(svg):
        if gid.startswith("spc-tag-"):
            name, point = gid.removeprefix("spc-tag-").rsplit("-", 1)
            tagged.setdefault(name, []).append(int(point))
    for name, points in case.get("tags", {}).items():
        assert sorted(tagged.get(name, [])) == points, name
    flagged = {p for series in result.charts for p in series.flagged()}
    assert {p for points in tagged.values() for p in points} <= flagged


def test_phase_boundary(drawn: Any) -> None:
    case, result, svg, _ = drawn
    groups = _groups(svg)
    assert ("spc-phase-I" in groups and "spc-phase-II" in groups) == case["phase"]
    assert all((f"spc-phase-{c.name}" in groups) == case["phase"] for c in result.charts)


def test_output_is_deterministic(drawn: Any) -> None:
    _, result, svg, png = drawn
    assert render_chart(result, fmt="svg") == svg
    assert render_chart(result, fmt="png") == png
    assert b"<dc:date>" not in svg


def test_size_options_and_title() -> None:
    result = _chart(CASES[0]["chart"])
    assert _png_size(render_chart(result, width=6, height=4, dpi=100)) == (600, 400)
    plain = render_chart(result, fmt="svg")
    titled = render_chart(result, fmt="svg", title="Bore diameter, line 3")
    assert titled != plain and ET.fromstring(titled) is not None


def test_global_matplotlib_state_is_left_alone() -> None:
    backend, salt = matplotlib.get_backend(), matplotlib.rcParams["svg.hashsalt"]
    render_chart(_chart(CASES[0]["chart"]), fmt="svg")
    assert matplotlib.get_backend() == backend
    assert matplotlib.rcParams["svg.hashsalt"] == salt


@pytest.mark.parametrize("kwargs", [{"fmt": "jpeg"}, {"width": 0}, {"dpi": 5000}],
                         ids=["format", "width", "dpi"])
def test_bad_options_are_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput):
        render_chart(_chart(CASES[0]["chart"]), **kwargs)


def test_too_many_subgroups_are_refused() -> None:
    rng = np.random.default_rng(4)
    result = control_chart("imr", rng.normal(size=100_001), rules="none")
    with pytest.raises(InvalidInput, match="too many"):
        render_chart(result)


def test_large_chart_draws_without_markers_per_point() -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(size=3000)
    x[1500] = 9.0
    result = control_chart("imr", x, rules=["we-1"])
    groups = _groups(render_chart(result, fmt="svg"))
    flagged = Counter({gid: _markers(g) for gid, g in groups.items()
                       if gid.startswith("spc-flagged-")})
    assert flagged["spc-flagged-i"] == len(result.chart("i").flagged()) >= 1
