"""Inputs the engine refuses: the AndonError subclass, its code and a message naming the
problem (cases: tests/fixtures/spc/error_cases.yaml)."""

from __future__ import annotations

import pytest
import yaml

from tests.spc.conftest import SPC_FIXTURES
from tools import errors
from tools.spc import capability, control_chart

CASES = yaml.safe_load((SPC_FIXTURES / "error_cases.yaml").read_text(encoding="utf-8"))
CHART_KEYS = ("values", "subgroups", "labels", "sizes", "baseline", "exclude", "iterate",
              "rules")


@pytest.mark.parametrize("case", CASES["chart"], ids=[c["id"] for c in CASES["chart"]])
def test_chart_refusal(case: dict) -> None:
    kwargs = {k: case[k] for k in CHART_KEYS if k in case}
    kind = case["kind"]
    error = getattr(errors, case["error"])
    with pytest.raises(error) as caught:
        control_chart(kind, **kwargs, **case.get("options", {}))
    assert caught.value.code == error.code
    assert case["match"] in caught.value.message
    assert caught.value.to_dict()["error"]["code"] in ("invalid_input", "insufficient_data")


@pytest.mark.parametrize("case", CASES["capability"],
                         ids=[c["id"] for c in CASES["capability"]])
def test_capability_refusal(case: dict) -> None:
    kwargs = {k: v for k, v in case.items() if k not in ("id", "error", "match")}
    error = getattr(errors, case["error"])
    with pytest.raises(error) as caught:
        capability(**kwargs)
    assert case["match"] in caught.value.message
