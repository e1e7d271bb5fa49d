"""Building the demo plant into real DuckDB, SQLite, PostgreSQL and MariaDB databases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlglot import exp

from tests.demo_plant.conftest import load_fixture
from tools.database import connect
from tools.demo_plant import BuildReport, PlantData, build_plant, generate_plant, read_manifest
from tools.errors import InvalidInput
from tools.reference_schema import TABLES, create_table_sql

BUILD = load_fixture("builds.yaml")


def read_counts(url: str) -> dict[str, int]:
    with connect(url) as db:
        counts = {}
        for table in TABLES:
            sql = exp.select(exp.Count(this=exp.Star())).from_(table.name).sql(db.dialect)
            counts[table.name] = int(db.query(sql).rows[0][0])
        assert sorted(db.table_names()) == sorted(t.name for t in TABLES)
        return counts


def read_totals(url: str) -> tuple[int, float, dt.datetime]:
    """Independent totals to compare with the generated rows: units made, sum of values,
    first batch start."""
    with connect(url) as db:
        made = db.query("SELECT SUM(qty_produced) FROM batches").rows[0][0]
        values = db.query("SELECT SUM(value) FROM measurements").rows[0][0]
        first = db.query("SELECT MIN(started_at) FROM batches").rows[0][0]
    if isinstance(first, str):  # SQLite keeps ISO text
        first = dt.datetime.fromisoformat(first).replace(tzinfo=dt.UTC)
    return int(made), float(values), first


def assert_written(url: str, report: BuildReport, data: PlantData) -> None:
    assert report.row_counts == data.row_counts()
    assert read_counts(url) == data.row_counts()
    made, values, first = read_totals(url)
    assert made == sum(row[10] for row in data.tables["batches"])
    assert values == pytest.approx(sum(row[3] for row in data.tables["measurements"]),
                                   rel=1e-9)
    assert first == min(row[8] for row in data.tables["batches"])


def test_default_plant_into_duckdb_is_fast_and_complete(tmp_path: Path, plant: PlantData,
                                                        ) -> None:
    url = f"duckdb:///{tmp_path / 'plant.duckdb'}"
    calls: list[tuple[str, int, int]] = []
    report = build_plant(url, progress=lambda stage, done, total: calls.append(
        (stage, done, total)))
    assert report.seconds < BUILD["duckdb_default_max_seconds"]
    assert_written(url, report, plant)
    assert report.manifest_path == tmp_path / "plant.duckdb.manifest.json"
    assert read_manifest(report.manifest_path) == plant.manifest
    stages = [c[0] for c in calls]
    assert any(s.startswith("generating") for s in stages)
    assert any(s.startswith("writing") for s in stages)
    writes = [c for c in calls if c[0].startswith("writing")]
    assert writes[-1][1] == writes[-1][2] == sum(plant.row_counts().values())


def test_refuses_to_overwrite_without_replace(tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'p.duckdb'}"
    build_plant(url, months=1)
    with connect(url) as db:
        before = db.table_checksum("measurements")
    with pytest.raises(InvalidInput) as refused:
        build_plant(url, months=1, seed=8)
    assert "replace" in refused.value.message
    with connect(url) as db:
        assert db.table_checksum("measurements") == before
    report = build_plant(url, months=1, seed=8, replace=True)
    assert_written(url, report, generate_plant(seed=8, months=1))


def test_empty_reference_tables_are_simply_rebuilt(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    with connect(url, writable=True) as db:
        db.execute(create_table_sql(TABLES[0], db.dialect))
    report = build_plant(url, months=1)
    assert report.row_counts["plants"] == 1


def test_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'plant.db'}"
    months = BUILD["sqlite_months"]
    report = build_plant(url, months=months)
    assert_written(url, report, generate_plant(months=months))
    assert report.manifest_path is not None and report.manifest_path.exists()


@pytest.mark.postgres
def test_postgresql(pg_url: str, tmp_path: Path) -> None:
    months = BUILD["server_months"]
    manifest = tmp_path / "pg.manifest.json"
    report = build_plant(pg_url, months=months, manifest_path=manifest)
    data = generate_plant(months=months)
    assert_written(pg_url, report, data)
    assert read_manifest(manifest) == data.manifest
    with pytest.raises(InvalidInput):
        build_plant(pg_url, months=months)
    assert report.seconds < BUILD["server_max_seconds"]


@pytest.mark.mariadb
def test_mariadb(mysql_url: str) -> None:
    months = BUILD["server_months"]
    report = build_plant(mysql_url, months=months)
    assert report.manifest_path is None  # no file beside a server database unless asked
    assert_written(mysql_url, report, generate_plant(months=months))
    with pytest.raises(InvalidInput):
        build_plant(mysql_url, months=months)
    replaced = build_plant(mysql_url, months=months, seed=9, replace=True)
    assert_written(mysql_url, replaced, generate_plant(seed=9, months=months))
    assert report.seconds < BUILD["server_max_seconds"]
