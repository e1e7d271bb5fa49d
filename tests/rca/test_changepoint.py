"""Finding the changed period in synthetic score series (tests/fixtures/rca/
changepoint_cases.yaml): PELT segments, the time asked, spikes, gaps, no change."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest

from tests.rca.scenario_plant import load
from tools.rca.changepoint import find_episode
from tools.rca.models import TimeHint

CASES: list[dict[str, Any]] = load("changepoint_cases.yaml")
DAY0 = dt.datetime(2026, 1, 1, 6, tzinfo=dt.UTC)


def _series(case: dict[str, Any]) -> tuple[pd.Series, np.ndarray]:
    rng = np.random.default_rng(11)
    z = rng.normal(size=case["n"])
    for shift in case["shifts"]:
        first, last, size = shift[:3]
        every = shift[3] if len(shift) > 3 else 1
        z[first:last + 1:every] += size
    times = pd.Series(pd.date_range(DAY0, periods=case["n"], freq="D"))
    return times, z


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_changepoint_case(case: dict[str, Any]) -> None:
    times, z = _series(case)
    hint = None
    if case["hint"] is not None:
        start, end, since = case["hint"]
        hint = TimeHint(text="asked", start=DAY0 + dt.timedelta(days=start),
                        end=DAY0 + dt.timedelta(days=end), since=since)
    episode = find_episode(times, z, hint, either_way=case.get("either_way", False))
    if case["episode"] is None:
        assert episode is None
        return
    assert episode is not None
    tolerance = case.get("tolerance", 3)
    first, last = case["episode"]
    assert abs(episode.first - first) <= tolerance, episode
    assert abs(episode.last - last) <= tolerance, episode
    assert episode.sign == case.get("sign", 1)
    assert episode.start == times.iloc[episode.first].to_pydatetime()
