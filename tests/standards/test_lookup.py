"""show_clause: exact lookups and clear refusals. Cases: tests/fixtures/standards/lookups.yaml."""

from __future__ import annotations

from typing import Any

import pytest

from tests.standards.conftest import cases
from tools.standards import show_clause
from tools.standards.errors import AmbiguousClause, UnknownClause

CASES = cases("lookups.yaml")


@pytest.mark.parametrize("case", CASES["found"], ids=lambda c: c["ref"])
def test_found(case: dict[str, Any]) -> None:
    record = show_clause(case["ref"])
    assert record.key == case["key"]
    assert record.title == case["title"]


@pytest.mark.parametrize("case", CASES["refused"], ids=lambda c: c["ref"] or "empty")
def test_refused(case: dict[str, Any]) -> None:
    with pytest.raises((UnknownClause, AmbiguousClause)) as info:
        show_clause(case["ref"])
    error = info.value
    assert error.code == case["code"]
    assert error.message.endswith(".") and "\n" not in error.message
    for key in case.get("suggests", []):
        assert key in error.details["suggestions"]
    if "candidates" in case:
        assert error.details["candidates"] == case["candidates"]
