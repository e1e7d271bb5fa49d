"""The reader on catalogs built from PostgreSQL and MariaDB: the second plant written to
each server reads every one of its cases exactly as on DuckDB."""

from __future__ import annotations

import pytest

from tests.monitors.reader.conftest import build_other_plant, catalog_of, load_cases
from tools.catalog import Catalog
from tools.errors import AndonError
from tools.monitors.reader import read_monitor

TEXTS = [case["text"] for name in ("cases_other_en.yaml", "cases_other_zh.yaml",
                                   "cases_refusals_other.yaml")
         for case in load_cases(name)["cases"]]


def _outcome(text: str, catalog: Catalog) -> object:
    try:
        return read_monitor(text, catalog).model_dump()
    except AndonError as error:
        return error.to_dict()


@pytest.mark.parametrize("server", ["postgresql", "mysql"])
def test_server_catalog_reads_like_duckdb(catalogs: dict[str, Catalog], server: str,
                                          request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue("pg_url" if server == "postgresql" else "mysql_url")
    build_other_plant(url)
    catalog = catalog_of(url)
    reference = catalogs["other"]
    assert catalog.model_copy(update={"dialect": "duckdb"}) == reference
    for text in TEXTS:
        assert _outcome(text, catalog) == _outcome(text, reference), text
