"""YAML table mappings: a customer layout read as the reference schema, and refusals.

tests/fixtures/catalog/customer_plant.yaml holds the small plant in another layout plus
its mapping; through the mapping every reference table must hold exactly the rows of the
reference plant, on DuckDB, PostgreSQL and MariaDB.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlglot
from sqlglot import exp

from tests.catalog.plant_db import build_customer_plant, build_small_plant, load_fixture
from tools.catalog import MAPPINGS_DIR, TableMapping, build_catalog
from tools.database import Database, connect
from tools.errors import InvalidInput
from tools.reference_schema import TABLES

CUSTOMER = load_fixture("customer_plant.yaml")
ERRORS = load_fixture("mapping_errors.yaml")["cases"]


def _mapping() -> TableMapping:
    return TableMapping.from_dict(CUSTOMER["mapping"], origin="customer_plant.yaml")


def _rows(db: Database, query: exp.Expr, mapping: TableMapping | None) -> list[tuple]:
    tree = mapping.expand(query) if mapping else query
    rows = db.query(tree.sql(dialect=db.dialect)).rows
    return sorted((tuple(_comparable(v) for v in row) for row in rows), key=repr)


def _comparable(value: Any) -> Any:
    if isinstance(value, float):
        return float(f"{value:.9g}")
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)  # COUNT/SUM types differ between engines
    return value


@pytest.fixture(scope="module")
def reference_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"duckdb:///{tmp_path_factory.mktemp('reference') / 'plant.duckdb'}"
    build_small_plant(url)
    return url


def test_customer_layout_reads_as_the_reference_plant(reference_url: str,
                                                      any_server_url: str) -> None:
    build_customer_plant(any_server_url)
    mapping = _mapping()
    with connect(reference_url) as ref, connect(any_server_url) as cust:
        expected = build_catalog(ref).model_dump(mode="json", exclude={"dialect", "mapping"})
        got = build_catalog(cust, mapping)
        assert got.mapping == "customer_mes"
        assert got.model_dump(mode="json", exclude={"dialect", "mapping"}) == expected
        for table in TABLES:
            everything = exp.select(*table.column_names).from_(table.name)
            assert _rows(cust, everything, mapping) == _rows(ref, everything, None), table.name
        for case in CUSTOMER["queries"]:
            query = sqlglot.parse_one(case["sql"])
            reference = _rows(ref, query, None)
            assert reference, case["id"]  # a query that returns nothing proves nothing
            assert _rows(cust, query, mapping) == reference, case["id"]


def test_unmapped_tables_are_read_as_they_are() -> None:
    mapping = _mapping()
    assert "complaints" not in mapping.mapped_tables
    query = sqlglot.parse_one("SELECT c.complaint_id FROM complaints AS c")
    assert mapping.expand(query).sql() == query.sql()


def test_expand_keeps_aliases_and_does_not_change_its_input() -> None:
    mapping = _mapping()
    query = sqlglot.parse_one("SELECT p.part_id, parts.name FROM parts AS p, parts")
    before = query.sql()
    expanded = mapping.expand(query)
    assert query.sql() == before
    aliases = [s.alias for s in expanded.find_all(exp.Subquery)]
    assert sorted(aliases) == ["p", "parts"]
    assert {t.name for t in expanded.find_all(exp.Table)} == {"item_master"}


@pytest.mark.parametrize("case", [c for c in ERRORS if "database" not in c],
                         ids=[c["id"] for c in ERRORS if "database" not in c])
def test_mapping_errors_are_one_clear_sentence(case: dict) -> None:
    with pytest.raises(InvalidInput) as err:
        if "text" in case:
            TableMapping.from_text(case["text"], origin="broken.yaml")
        else:
            TableMapping.from_dict(case["mapping"], origin="broken.yaml")
    _assert_mentions(err.value.message, case["mentions"])


@pytest.fixture(scope="module")
def customer_duckdb(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"duckdb:///{tmp_path_factory.mktemp('customer') / 'customer.duckdb'}"
    build_customer_plant(url)
    return url


@pytest.mark.parametrize("case", [c for c in ERRORS if "database" in c],
                         ids=[c["id"] for c in ERRORS if "database" in c])
def test_mapping_errors_found_on_the_database(customer_duckdb: str, case: dict) -> None:
    mapping = TableMapping.from_dict(case["mapping"], origin="broken.yaml")
    with connect(customer_duckdb) as db, pytest.raises(InvalidInput) as err:
        build_catalog(db, mapping)
    _assert_mentions(err.value.message, case["mentions"])


def _assert_mentions(message: str, mentions: list[str]) -> None:
    assert "\n" not in message, message
    for words in mentions:
        assert words in message, f"{words!r} not in {message!r}"


def test_mapping_files_load(tmp_path: Path) -> None:
    shipped = sorted(MAPPINGS_DIR.glob("*.yaml"))
    assert shipped
    for path in shipped:
        assert TableMapping.from_yaml(path).mapped_tables
    with pytest.raises(InvalidInput, match="cannot read the table mapping"):
        TableMapping.from_yaml(tmp_path / "absent.yaml")


def test_literal_rows_keep_their_values(tmp_path: Path) -> None:
    mapping = TableMapping.from_dict({"tables": {"engineering_changes": {"rows": [
        {"change_id": "EC-9", "part_id": "P-1", "effective_at": "2026-01-31T08:30:00+08:00",
         "kind": "drawing", "description": "it's a quote ' test"}]}}})
    with connect(f"duckdb:///{tmp_path / 'x.duckdb'}", writable=True) as db:
        rows = _rows(db, exp.select("*").from_("engineering_changes"), mapping)
    (row,) = rows
    assert row[0] == "EC-9" and row[4] == "it's a quote ' test"
    assert row[2].isoformat() == "2026-01-31T00:30:00+00:00"


def test_snippets_are_read_in_the_mapping_dialect_and_written_in_the_target() -> None:
    mapping = TableMapping.from_dict({"dialect": "mysql", "tables": {"parts": {"source": {
        "table": "items", "columns": {"part_id": "`Item No`", "name": "CONCAT(`descr`, '')",
                                      "family": "IFNULL(grp, 'other')", "material": "matl"}}}}})
    query = mapping.expand(sqlglot.parse_one("SELECT part_id, family FROM parts"))
    postgres = query.sql(dialect="postgres")
    assert '"Item No" AS part_id' in postgres and "COALESCE(grp, 'other')" in postgres
    assert "`" not in postgres
    assert "`Item No` AS part_id" in query.sql(dialect="mysql")
