"""SPC requests read into SPC monitors (tests/fixtures/monitors/reader/spc_cases.yaml)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.monitors.reader.conftest import load_cases
from tools.catalog import Catalog
from tools.errors import AndonError
from tools.monitors.reader import read_monitor
from tools.monitors.spc_spec import SpcMonitorSpec
from tools.monitors.spec import Action, Scope

CASES: list[dict[str, Any]] = load_cases("spc_cases.yaml")["cases"]


def _rules(spec: SpcMonitorSpec) -> list[str]:
    return [r.rule if r.k is None else f"{r.rule}:{r.k}" for r in spec.rules]


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_spc_request(case: dict[str, Any], catalogs: dict[str, Catalog]) -> None:
    catalog = catalogs[case["catalog"]]
    if "error" in case:
        with pytest.raises(AndonError) as refused:
            read_monitor(case["text"], catalog)
        assert refused.value.code == case["error"], refused.value.message
        assert "\n" not in refused.value.message
        return
    reading = read_monitor(case["text"], catalog)
    spec = reading.spec
    assert isinstance(spec, SpcMonitorSpec), case["text"]
    want = case["spec"]
    assert spec.chart == want["chart"]
    assert spec.name == want.get("name")
    if "unit" in want:
        assert spec.unit == want["unit"]
    assert spec.scope == Scope(**want.get("scope", {}))
    assert _rules(spec) == want["rules"]
    assert spec.baseline == want.get("baseline", 25)
    assert spec.language == want.get("language", "en")
    assert spec.actions == tuple(Action(**a) for a in want.get("actions", []))
    if spec.language == "zh":
        assert reading.understood.startswith("当") and "时报警" in reading.understood
    else:
        assert reading.understood.startswith("Alert when the ")
