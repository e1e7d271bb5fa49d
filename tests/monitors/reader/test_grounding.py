"""``ground_spec`` on specs as any reader might write them
(tests/fixtures/monitors/reader/grounding.yaml)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.monitors.reader.conftest import comparable, expected_spec, load_cases
from tools.catalog import Catalog
from tools.errors import AndonError
from tools.monitors.grounding import ground_spec
from tools.monitors.spec import parse_spec

CASES = load_cases("grounding.yaml")["cases"]


@pytest.mark.parametrize("case", CASES, ids=[f"grounding-{i}" for i in range(1, len(CASES) + 1)])
def test_ground_spec(catalogs: dict[str, Catalog], case: dict[str, Any]) -> None:
    catalog = catalogs[case["catalog"]]
    spec = parse_spec(case["spec"])
    if "error" in case:
        with pytest.raises(AndonError) as refused:
            ground_spec(spec, catalog)
        assert refused.value.code == case["error"], refused.value.message
        assert "\n" not in refused.value.message
        return
    grounded = ground_spec(spec, catalog)
    expected = {**case["spec"], **case["expect"]}
    assert comparable(grounded) == comparable(expected_spec(expected, grounded.language))
    assert ground_spec(grounded, catalog) == grounded
