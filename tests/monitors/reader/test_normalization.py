"""Number words and windows (tests/fixtures/monitors/reader/normalization.yaml)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.monitors.reader.conftest import load_cases
from tools.monitors.reader.numbers import normalize_request
from tools.monitors.reader.windows import read_window
from tools.monitors.spec import Window

CASES = load_cases("normalization.yaml")


@pytest.mark.parametrize(("written", "normalized"), CASES["numbers"],
                         ids=[c[0] for c in CASES["numbers"]])
def test_numbers_are_written_as_digits(written: str, normalized: str) -> None:
    assert normalize_request(written) == normalized


@pytest.mark.parametrize(("written", "window"), CASES["windows"],
                         ids=[c[0] for c in CASES["windows"]])
def test_window_phrases(written: str, window: dict[str, Any]) -> None:
    assert read_window(normalize_request(written)).window == Window(**window)
