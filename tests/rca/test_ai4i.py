"""AI4I 2020 as loaded as-is: why do the rule-based failure modes happen? The causes named
are the variables of the published rules."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.catalog.plant_db import load_csv_as_is
from tests.rca.scenario_plant import load
from tools.catalog import MAPPINGS_DIR, Catalog, TableMapping, build_catalog
from tools.database import connect
from tools.rca import investigate
from tools.sql_guard import MAX_ROW_CAP, GuardPolicy

pytestmark = pytest.mark.shared_data
DATA = load("ai4i_questions.yaml")


@pytest.fixture(scope="module")
def ai4i(shared_data: Path, tmp_path_factory: pytest.TempPathFactory,
         ) -> tuple[str, Catalog, GuardPolicy]:
    csv = shared_data / "ai4i2020" / "ai4i2020.csv"
    if not csv.is_file():
        pytest.skip(f"AI4I 2020 CSV not found at {csv}")
    url = f"duckdb:///{tmp_path_factory.mktemp('ai4i_rca') / 'ai4i.duckdb'}"
    load_csv_as_is(url, csv, "ai4i2020")
    mapping = TableMapping.from_yaml(MAPPINGS_DIR / "ai4i2020.yaml")
    with connect(url) as db:
        catalog = build_catalog(db, mapping)
    return url, catalog, GuardPolicy.for_role("engineer", row_cap=MAX_ROW_CAP,
                                              expand=mapping.expand)


def _rule_variables(shared_data: Path, mode: str) -> set[str]:
    rules = json.loads((shared_data / "ai4i2020" / "reference_rules.json").read_text())
    rule = rules["failure_modes"][mode]["rule"]
    return {name for word, name in DATA["rule_words"].items()
            if re.search(rf"\b{word}", rule)}


@pytest.mark.parametrize("case", DATA["questions"], ids=[q["mode"] for q in DATA["questions"]])
def test_causes_are_the_rule_variables(case: dict[str, Any], shared_data: Path,
                                       ai4i: tuple[str, Catalog, GuardPolicy]) -> None:
    url, catalog, policy = ai4i
    with connect(url) as db:
        result = investigate(case["text"], db=db, catalog=catalog, policy=policy)
    assert result.problem.mode == "static"
    assert {c.id for c in result.causes} == _rule_variables(shared_data, case["mode"])
    assert all(c.kind == "process_parameter" for c in result.causes)
