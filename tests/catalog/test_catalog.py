"""The catalog built from real databases (DuckDB, PostgreSQL, MariaDB).

The plant is tests/fixtures/catalog/small_plant.yaml; the facts the catalog must report
are in its ``expect`` section, lookups in catalog_lookups.yaml.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.catalog.plant_db import build_small_plant, load_fixture, write_reference_tables
from tools.catalog import Catalog, build_catalog
from tools.database import connect
from tools.errors import AndonError, InvalidInput

PLANT = load_fixture("small_plant.yaml")
EXPECT = PLANT["expect"]
LOOKUPS = load_fixture("catalog_lookups.yaml")


def _catalog(url: str) -> Catalog:
    with connect(url) as db:
        return build_catalog(db)


@pytest.fixture(scope="module")
def duck_catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    url = f"duckdb:///{tmp_path_factory.mktemp('plant') / 'plant.duckdb'}"
    build_small_plant(url)
    return _catalog(url)


def _when(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_catalog_reports_the_plant(any_server_url: str) -> None:
    build_small_plant(any_server_url)
    catalog = _catalog(any_server_url)
    assert catalog.tables_missing == EXPECT["tables_missing"]
    assert catalog.shifts == EXPECT["shifts"]
    assert catalog.families() == EXPECT["families"]
    assert catalog.processes() == EXPECT["processes"]
    assert [p.part_id for p in catalog.parts] == sorted(EXPECT["parts"])
    for part in catalog.parts:
        for key, value in EXPECT["parts"][part.part_id].items():
            expected = _when(value) if key.endswith("_at") else value
            assert getattr(part, key) == expected, (part.part_id, key)
        assert part.first_batch_at is None or part.first_batch_at.tzinfo == dt.UTC
    for part_id, names in EXPECT["characteristics"].items():
        assert sorted(c.name for c in catalog.characteristics if c.part_id == part_id) == names
    rows = {r[0]: r for r in PLANT["tables"]["characteristics"]["rows"]}
    for char in catalog.characteristics:  # units and limits exactly as stored
        assert (char.part_id, char.name, char.unit, char.nominal, char.lsl, char.usl) == \
            tuple(rows[char.characteristic_id][1:])
    assert {p.name: p.model_dump(include={"unit", "part_ids", "processes"})
            for p in catalog.parameters} == EXPECT["parameters"]
    assert {d.code: d.model_dump(exclude={"code"}) for d in catalog.defect_codes} == \
        EXPECT["defect_codes"]
    assert {m.name: m.model_dump(exclude={"name"}) for m in catalog.materials} == \
        EXPECT["materials"]
    assert {s.supplier_id: {"materials": s.materials} for s in catalog.suppliers} == \
        EXPECT["suppliers"]
    assert {i.name: i.model_dump(exclude={"name"}) for i in catalog.inspection_characteristics} \
        == EXPECT["inspection_characteristics"]
    assert [t.tool_id for t in catalog.tools] == sorted(
        r[0] for r in PLANT["tables"]["tools"]["rows"])
    assert catalog.dialect == {"duckdb": "duckdb", "postgresql": "postgres",
                               "mysql": "mysql"}[any_server_url.split(":")[0]]


def test_catalog_is_identical_on_every_engine(tmp_path: Path, pg_url: str,
                                               mysql_url: str) -> None:
    dumps = []
    for url in (f"duckdb:///{tmp_path / 'plant.duckdb'}", pg_url, mysql_url,
                f"sqlite:///{tmp_path / 'plant.sqlite'}"):
        build_small_plant(url)
        dumps.append(_catalog(url).model_dump(mode="json", exclude={"dialect"}))
    assert dumps[0] == dumps[1] == dumps[2] == dumps[3]


def test_catalog_round_trips_through_json(duck_catalog: Catalog) -> None:
    text = duck_catalog.model_dump_json()
    assert Catalog.model_validate_json(text) == duck_catalog


@pytest.mark.parametrize(("text", "part_id"), LOOKUPS["find_part"])
def test_find_part(duck_catalog: Catalog, text: str, part_id: str | None) -> None:
    part = duck_catalog.find_part(text)
    assert (part.part_id if part else None) == part_id


@pytest.mark.parametrize(("text", "part_ids"), LOOKUPS["find_parts"])
def test_find_parts(duck_catalog: Catalog, text: str, part_ids: list[str]) -> None:
    assert [p.part_id for p in duck_catalog.find_parts(text)] == part_ids


@pytest.mark.parametrize(("query", "ids"), LOOKUPS["find_characteristic"],
                         ids=[f"{q[0]}-{q[1]}" for q, _ in LOOKUPS["find_characteristic"]])
def test_find_characteristic(duck_catalog: Catalog, query: list, ids: list[str]) -> None:
    name, part = query
    found = duck_catalog.find_characteristic(name, part)
    assert [c.characteristic_id for c in found] == ids
    if ids:
        assert duck_catalog.require_characteristic(name, part) == found


@pytest.mark.parametrize("case", LOOKUPS["require_characteristic"],
                         ids=[f"{c['name']}-{c['part']}" for c in
                              LOOKUPS["require_characteristic"]])
def test_unknown_names_are_refused_with_suggestions(duck_catalog: Catalog, case: dict) -> None:
    with pytest.raises(AndonError) as err:
        duck_catalog.require_characteristic(case["name"], case["part"])
    assert err.value.code == case["code"]
    assert "\n" not in err.value.message
    for words in case["mentions"]:
        assert words in err.value.message, err.value.message


@pytest.mark.parametrize(("query", "first"), LOOKUPS["suggest"],
                         ids=[f"{q[0]}-{q[1]}" for q, _ in LOOKUPS["suggest"]])
def test_suggest(duck_catalog: Catalog, query: list[str], first: str) -> None:
    kind, text = query
    suggestions = duck_catalog.suggest(kind, text)
    assert suggestions and suggestions[0] == first, suggestions
    assert all(s in duck_catalog.names(kind) for s in suggestions)


def test_suggest_refuses_an_unknown_kind(duck_catalog: Catalog) -> None:
    with pytest.raises(InvalidInput, match="unknown catalog kind"):
        duck_catalog.suggest("colour", "red")


def test_core_tables_are_required(any_server_url: str) -> None:
    with connect(any_server_url, writable=True) as db:
        write_reference_tables(db, PLANT["tables"], only=["plants", "parts"])
    with connect(any_server_url) as db, pytest.raises(InvalidInput) as err:
        build_catalog(db)
    message = err.value.message
    assert all(t in message for t in ("characteristics", "batches", "measurements"))
    assert "parts" not in message.split("has no")[1].split("of the")[0]
    assert "password" not in message and "\n" not in message


def test_optional_tables_may_be_missing(tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'lean.duckdb'}"
    kept = ["parts", "characteristics", "batches", "measurements", "lines"]
    with connect(url, writable=True) as db:
        write_reference_tables(db, PLANT["tables"], only=kept)
        db.execute("CREATE TABLE complaints (complaint_id VARCHAR, note VARCHAR)")
    catalog = _catalog(url)
    assert sorted(catalog.tables_present) == sorted(kept)
    assert "complaints" in catalog.tables_missing and "suppliers" in catalog.tables_missing
    assert any("complaints" in note for note in catalog.notes)
    assert catalog.suppliers == [] and catalog.parameters == [] and catalog.defect_codes == []
    assert [p.processes for p in catalog.parts] == [EXPECT["parts"][p.part_id]["processes"]
                                                    for p in catalog.parts]


def test_incomplete_core_table_is_refused(tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'odd.duckdb'}"
    with connect(url, writable=True) as db:
        write_reference_tables(db, PLANT["tables"], only=["parts", "characteristics",
                                                            "batches"])
        db.execute("CREATE TABLE measurements (batch_id VARCHAR, reading DOUBLE)")
    with connect(url) as db, pytest.raises(InvalidInput, match="measurements lacks"):
        build_catalog(db)
