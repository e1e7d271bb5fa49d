"""Catalogs the reader is tested on, each built from a real database: the demo plant
(built into DuckDB, seed 7, six months), the reader's own second plant
(tests/fixtures/monitors/reader/other_plant.yaml) and the catalog helper's small plant."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.catalog.plant_db import build_small_plant, write_reference_tables
from tests.conftest import FIXTURES
from tools.catalog import Catalog, build_catalog
from tools.database import connect
from tools.demo_plant import build_plant
from tools.monitors.spec import MonitorSpec, parse_spec

READER_FIXTURES = FIXTURES / "monitors" / "reader"


def load_cases(name: str) -> Any:
    return yaml.safe_load((READER_FIXTURES / name).read_text(encoding="utf-8"))


def build_other_plant(url: str) -> None:
    with connect(url, writable=True) as db:
        write_reference_tables(db, load_cases("other_plant.yaml")["tables"])


def catalog_of(url: str) -> Catalog:
    with connect(url) as db:
        return build_catalog(db)


@pytest.fixture(scope="session")
def catalogs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Catalog]:
    """The three plants' catalogs by name: demo, other, small."""
    folder: Path = tmp_path_factory.mktemp("reader_plants")
    urls = {name: f"duckdb:///{folder / name}.duckdb" for name in ("demo", "other", "small")}
    build_plant(urls["demo"], seed=7, months=6, manifest_path=folder / "manifest.json")
    build_other_plant(urls["other"])
    build_small_plant(urls["small"])
    return {name: catalog_of(url) for name, url in urls.items()}


def expected_spec(case: dict[str, Any], language: str) -> MonitorSpec:
    """A case's compact expectation as a spec (conditions flattened: measure, statistic,
    name, unit, comparator, threshold)."""
    conditions = [{"signal": {"measure": c["measure"], "statistic": c["statistic"],
                              "name": c.get("name"), "unit": c.get("unit")},
                   "comparator": c["comparator"], "threshold": c["threshold"]}
                  for c in case["conditions"]]
    return parse_spec({"language": case.get("language", language),
                       "scope": case.get("scope", {}), "conditions": conditions,
                       "join": case.get("join", "and"),
                       "window": case.get("window", {"kind": "single"}),
                       "actions": case.get("actions", [])})


def comparable(spec: MonitorSpec) -> dict[str, Any]:
    """A spec as data to compare: thresholds rounded to 9 significant digits, the
    threshold as written left out."""
    data = spec.model_dump(mode="json")
    for condition in data["conditions"]:
        condition.pop("threshold_text", None)
        value = condition["threshold"]
        if value:
            digits = 9 - math.floor(math.log10(abs(value)))
            condition["threshold"] = round(value, digits)
    return data
