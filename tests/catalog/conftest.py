"""Fixtures of the catalog tests: the AI4I 2020 CSV loaded as-is, once per engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from tests.catalog.plant_db import load_csv_as_is
from tests.conftest import MY_SERVER, PG_SERVER, _drop_mysql, _drop_pg, _worker_suffix

AI4I_TABLE = "ai4i2020"


@pytest.fixture(scope="session")
def ai4i_csv(shared_data: Path) -> Path:
    path = shared_data / "ai4i2020" / "ai4i2020.csv"
    if not path.is_file():
        pytest.skip(f"AI4I 2020 CSV not found at {path}")
    return path


@pytest.fixture(scope="session")
def ai4i_frame(ai4i_csv: Path) -> pd.DataFrame:
    return pd.read_csv(ai4i_csv, encoding="utf-8-sig")


@pytest.fixture(scope="module", params=["duckdb", "postgresql", "mysql"])
def ai4i_url(request: pytest.FixtureRequest, ai4i_csv: Path,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database holding only the AI4I CSV as table ai4i2020, loaded as it is."""
    name = f"andon_t_{_worker_suffix()}"
    if request.param == "duckdb":
        url = f"duckdb:///{tmp_path_factory.mktemp('ai4i') / 'ai4i.duckdb'}"
    elif request.param == "postgresql":
        url = f"{PG_SERVER}/{name}"
    else:
        url = f"{MY_SERVER}/{name}"
    try:
        load_csv_as_is(url, ai4i_csv, AI4I_TABLE)
        yield url
    finally:
        if request.param == "postgresql":
            _drop_pg(name)
        elif request.param == "mysql":
            _drop_mysql(name)
