"""Unit spellings, conversions and refusals (cases in tests/fixtures/catalog/units.yaml)."""

from __future__ import annotations

import math

import pytest

from tests.catalog.plant_db import load_fixture
from tools.errors import InvalidInput, UnitMismatch
from tools.units import (
    CANONICAL_UNITS,
    Quantity,
    convert,
    is_compatible,
    normalize_unit,
    parse_quantity,
)

CASES = load_fixture("units.yaml")


@pytest.mark.parametrize(("text", "canonical"), CASES["normalize"],
                         ids=[str(c[0]) for c in CASES["normalize"]])
def test_normalize_unit(text: str, canonical: str) -> None:
    assert normalize_unit(text) == canonical


@pytest.mark.parametrize("text", CASES["unknown"])
def test_unknown_unit_is_refused_in_one_sentence(text: str) -> None:
    with pytest.raises(InvalidInput) as err:
        normalize_unit(text)
    assert "unknown unit" in err.value.message and "\n" not in err.value.message


@pytest.mark.parametrize("case", CASES["conversions"],
                         ids=[f"{c['value']} {c['from']}->{c['to']}" for c in
                              CASES["conversions"]])
def test_convert(case: dict) -> None:
    got = convert(case["value"], case["from"], case["to"], delta=case.get("delta", False))
    assert math.isclose(got, case["expect"], rel_tol=1e-9, abs_tol=1e-12)
    if not case.get("delta"):  # and back again
        back = convert(got, case["to"], case["from"])
        assert math.isclose(back, case["value"], rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.parametrize("case", CASES["refusals"],
                         ids=[f"{c['from']}->{c['to']}" for c in CASES["refusals"]])
def test_incompatible_units_raise_unit_mismatch(case: dict) -> None:
    assert not is_compatible(case["from"], case["to"])
    with pytest.raises(UnitMismatch) as err:
        convert(1.0, case["from"], case["to"])
    message = err.value.message
    assert "\n" not in message and message.startswith("cannot convert")
    for word in case["mentions"]:
        assert word in message, (word, message)
    assert err.value.to_dict()["error"]["code"] == "unit_mismatch"


@pytest.mark.parametrize("case", CASES["parse"], ids=[c["text"] for c in CASES["parse"]])
def test_parse_quantity(case: dict) -> None:
    quantity = parse_quantity(case["text"])
    assert math.isclose(quantity.value, case["value"], rel_tol=1e-12)
    assert quantity.unit == case["unit"]


@pytest.mark.parametrize("text", CASES["not_quantities"])
def test_not_a_quantity(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_quantity(text)


def test_quantity_converts_and_round_trips_as_json() -> None:
    threshold = parse_quantity("0.15 g")
    in_mg = threshold.to("mg")
    assert in_mg.unit == "mg" and in_mg.value == pytest.approx(150.0)
    assert str(in_mg) == "150 mg"
    assert Quantity.model_validate_json(threshold.model_dump_json()) == threshold
    with pytest.raises(UnitMismatch):
        parse_quantity("1.33").to("mm")


def test_every_canonical_unit_is_its_own_spelling() -> None:
    for name in CANONICAL_UNITS:
        assert normalize_unit(name) == name
        assert convert(1.0, name, name) == 1.0
