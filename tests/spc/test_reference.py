"""Every published qcc / Montgomery value with source V, M or T, recomputed to the
precision its source prints (cases: tests/fixtures/spc/reference_cases.yaml)."""

from __future__ import annotations

import pytest

from evals.spc.coverage import coverage
from evals.spc.reference import cases, run_case, run_checks

ASSERTED = [c for c in cases() if c["source"] in "VMT"]
BOOK = [c for c in cases() if c["source"] == "B"]


@pytest.mark.parametrize("case", ASSERTED, ids=[c["id"] for c in ASSERTED])
def test_published_value(case: dict) -> None:
    checks = run_case(case)
    assert checks
    wrong = [(c.path, c.expected, c.computed, c.tolerance) for c in checks if not c.ok]
    assert not wrong, wrong


def test_every_published_value_is_checked() -> None:
    leaves, missing = coverage(run_checks("VMT"))
    assert len(leaves) >= 205
    assert missing == []


@pytest.mark.parametrize("case", BOOK, ids=[c["id"] for c in BOOK])
def test_book_values_are_computed_not_asserted(case: dict) -> None:
    # B values are unverified: the case must run and produce a number for each, nothing more.
    checks = run_case(case)
    assert checks and all(isinstance(c.computed, float) for c in checks)
