"""The deterministic reader on request cases (tests/fixtures/monitors/reader/cases_*.yaml).

Each file names the catalog it reads against and the request language; a case gives the
request and either the expected monitor (compact conditions, scope, window, actions and
join; everything not written must be empty or default) or the expected refusal code, with
names that must be among the suggestions or competing readings.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.monitors.reader.conftest import READER_FIXTURES, comparable, expected_spec, load_cases
from tools.catalog import Catalog, Lexicon, Term
from tools.errors import AndonError
from tools.monitors.grounding import ground_spec
from tools.monitors.reader import read_monitor
from tools.monitors.spec import MonitorSpec

CASE_FILES = sorted(p.name for p in READER_FIXTURES.glob("cases_*.yaml"))


def _cases() -> list[Any]:
    out = []
    for name in CASE_FILES:
        data = load_cases(name)
        for number, case in enumerate(data["cases"], start=1):
            out.append(pytest.param(data["catalog"], data["language"], case,
                                    id=f"{name.removesuffix('.yaml')}-{number}"))
    return out


@pytest.mark.parametrize(("catalog_name", "language", "case"), _cases())
def test_request_reads_as_expected(catalogs: dict[str, Catalog], catalog_name: str,
                                   language: str, case: dict[str, Any]) -> None:
    catalog = catalogs[catalog_name]
    if "error" in case:
        with pytest.raises(AndonError) as refused:
            read_monitor(case["text"], catalog)
        error = refused.value
        assert error.code == case["error"], f"{case['text']!r}: {error.message}"
        assert error.message and "\n" not in error.message
        suggestions = error.details.get("suggestions", [])
        for name in case.get("suggestions", []):
            assert name in suggestions, f"{name!r} not suggested: {suggestions}"
        readings = error.details.get("readings", [])
        for name in case.get("readings", []):
            assert any(name in r for r in readings), f"{name!r} not among {readings}"
        return
    reading = read_monitor(case["text"], catalog)
    assert reading.request == case["text"]
    assert isinstance(reading.spec, MonitorSpec), f"{case['text']!r} read as an SPC monitor"
    assert comparable(reading.spec) == comparable(expected_spec(case, language)), case["text"]
    if "understood" in case:
        assert reading.understood == case["understood"]
    for piece in case.get("understood_has", []):
        assert piece in reading.understood, f"{piece!r} not in {reading.understood!r}"
    assert ground_spec(reading.spec, catalog) == reading.spec  # grounding is idempotent
    if reading.spec.language == "zh":
        assert "时报警" in reading.understood and reading.understood.endswith("。")
    else:
        assert reading.understood.startswith("Alert when ") and reading.understood.endswith(".")


def test_a_lexicon_can_teach_the_plant_s_own_words(catalogs: dict[str, Catalog]) -> None:
    """叶轮 is refused on the second plant until a lexicon says it is the impeller family."""
    text = "叶轮重量标准差连续3批大于0.8克"
    with pytest.raises(AndonError):
        read_monitor(text, catalogs["other"])
    lexicon = Lexicon.load().extended([Term(text="叶轮", concept="impeller", kind="family",
                                            language="zh")])
    spec = read_monitor(text, catalogs["other"], lexicon=lexicon).spec
    assert isinstance(spec, MonitorSpec)
    assert spec.scope.families == ("impeller",)
    assert spec.conditions[0].threshold == pytest.approx(0.8)
    assert spec.conditions[0].signal.unit == "g"
