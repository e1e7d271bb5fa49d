"""Time phrases of questions resolved against the data's last moment, never the clock."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.rca.scenario_plant import load
from tools.rca.timewords import read_time

DATA = load("time_cases.yaml")
ANCHOR = dt.datetime.fromisoformat(DATA["anchor"]).replace(tzinfo=dt.UTC)


def _day(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


@pytest.mark.parametrize("case", DATA["cases"], ids=[c["text"] for c in DATA["cases"]])
def test_time_phrase(case: dict[str, Any]) -> None:
    hint = read_time(case["text"], ANCHOR)
    if case["start"] is None:
        assert hint is None
        return
    assert hint is not None
    assert hint.start == _day(case["start"])
    if "end" in case:
        assert hint.end == _day(case["end"])
    if case.get("since"):
        assert hint.since and hint.end > ANCHOR
    elif "since" in case:
        assert not hint.since
