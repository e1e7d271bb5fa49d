"""Generated plants shared by the demo-plant tests (generated once per worker and seed)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from tests.conftest import FIXTURES
from tools.demo_plant import PlantData, generate_plant
from tools.reference_schema import TABLES_BY_NAME

DEMO_FIXTURES: Path = FIXTURES / "demo_plant"


def load_fixture(name: str) -> Any:
    return yaml.safe_load((DEMO_FIXTURES / name).read_text(encoding="utf-8"))


@functools.cache
def plant_for(seed: int) -> PlantData:
    return generate_plant(seed=seed)


@functools.cache
def frames_for(seed: int) -> dict[str, pd.DataFrame]:
    """Each table as a DataFrame with the reference column names."""
    data = plant_for(seed)
    return {name: pd.DataFrame(rows, columns=list(TABLES_BY_NAME[name].column_names))
            for name, rows in data.tables.items()}


@pytest.fixture(scope="session")
def plant() -> PlantData:
    """The default plant (seed 7, six months)."""
    return plant_for(7)


@pytest.fixture(scope="session")
def frames() -> dict[str, pd.DataFrame]:
    return frames_for(7)


@pytest.fixture(scope="session")
def expect() -> dict[str, Any]:
    return load_fixture("plant_expectations.yaml")
