"""Reading questions (English and Chinese): part, measure, statistic, direction and time,
or a one-sentence refusal (tests/fixtures/rca/locate_cases.yaml)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.rca.scenario_plant import load
from tools.catalog import Catalog, build_catalog
from tools.database import connect
from tools.errors import AndonError
from tools.rca import locate

CASES: list[dict[str, Any]] = load("locate_cases.yaml")
FIELDS = ("part_ids", "measure", "target", "statistic", "asked", "direction", "mode",
          "language")


@pytest.fixture(scope="module")
def catalog(scenario_urls: dict[str, str]) -> Catalog:
    with connect(scenario_urls["machine"]) as db:
        return build_catalog(db)


def _day(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


@pytest.mark.parametrize("case", CASES, ids=[c["q"][:50] for c in CASES])
def test_locate_case(case: dict[str, Any], catalog: Catalog) -> None:
    if "error" in case:
        with pytest.raises(AndonError) as refused:
            locate(case["q"], catalog)
        assert refused.value.code == case["error"]
        assert refused.value.message and "\n" not in refused.value.message
        return
    spec = locate(case["q"], catalog)
    for field in FIELDS:
        if field in case:
            got = getattr(spec, field)
            assert (list(got) if isinstance(got, tuple) else got) == case[field], field
    if "hint" in case:
        assert spec.hint is not None
        hint = case["hint"]
        assert spec.hint.start == _day(hint["start"])
        if "end" in hint:
            assert spec.hint.end == _day(hint["end"])
        if "since" in hint:
            assert spec.hint.since is hint["since"]
