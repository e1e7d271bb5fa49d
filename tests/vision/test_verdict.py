"""Verdict bands: ok / ng / review from class probabilities and thresholds."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import yaml

from tests.conftest import FIXTURES
from vision.manifest import Thresholds
from vision.verdict import decide

CASES: list[dict[str, Any]] = yaml.safe_load(
    (FIXTURES / "vision" / "verdict_cases.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_verdict_case(case: dict[str, Any]) -> None:
    thresholds = Thresholds(**case.get("thresholds", {}))
    decision = decide(np.array(case["probs"]), case["classes"], case["ok_class"], thresholds)
    assert decision.verdict == case["verdict"]
    assert decision.score == pytest.approx(case["score"], abs=1e-9)
    if "defect_class" in case:
        assert decision.defect_class == case["defect_class"]
    assert 0.0 <= decision.class_score <= 1.0


def test_thresholds_must_be_ordered() -> None:
    with pytest.raises(ValueError, match="ok_below must not exceed ng_at"):
        Thresholds(ok_below=0.9, ng_at=0.5)
