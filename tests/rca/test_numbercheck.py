"""``check_numbers``: numbers of a (possibly LLM-written) narrative that no evidence holds."""

from __future__ import annotations

from typing import Any

import pytest

from tests.rca.scenario_plant import load
from tools.rca import Evidence, check_numbers

CASES: list[dict[str, Any]] = load("number_checks.yaml")


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_number_check_case(case: dict[str, Any]) -> None:
    assert check_numbers(case["narrative"], case["evidence"]) == case["unsupported"]


def test_models_and_dicts_are_read_alike() -> None:
    case = CASES[2]
    models = [Evidence(id=f"E{i}", **item) for i, item in enumerate(case["evidence"], 1)]
    assert check_numbers(case["narrative"], models) == case["unsupported"]
