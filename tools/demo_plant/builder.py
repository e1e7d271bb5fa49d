"""``build_plant``: write the generated demo plant into a database (the one writer of plant
data besides the runtime ingest) and its incident manifest beside it."""

from __future__ import annotations

import time
from pathlib import Path

from sqlglot import exp

from tools.database import Database, connect, redact_url
from tools.demo_plant.generator import Progress, generate_plant
from tools.demo_plant.models import BuildReport, PlantManifest
from tools.errors import InvalidInput
from tools.reference_schema import INDEXES, TABLES, create_index_sql, create_table_sql

REFERENCE_NAMES = tuple(t.name for t in TABLES)


def _table(name: str) -> exp.Table:
    return exp.Table(this=exp.to_identifier(name, quoted=True))


def _existing_reference_tables(db: Database) -> list[str]:
    """Reference tables already present, as the database spells them."""
    wanted = set(REFERENCE_NAMES)
    return [name for name in db.table_names() if name.lower() in wanted]


def _holds_rows(db: Database, table: str) -> bool:
    probe = exp.select("1").from_(_table(table)).limit(1)
    return bool(db.query(probe.sql(dialect=db.dialect), timeout_s=60).rows)


def default_manifest_path(db: Database) -> Path | None:
    """``<db file>.manifest.json`` beside a DuckDB or SQLite file; None for servers."""
    path = getattr(db, "path", None)
    if not isinstance(path, str) or path in ("", ":memory:"):
        return None
    return Path(path + ".manifest.json")


def write_manifest(manifest: PlantManifest, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(manifest.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return path


def build_plant(url: str, *, seed: int = 7, months: int = 6, replace: bool = False,
                manifest_path: Path | None = None,
                progress: Progress | None = None) -> BuildReport:
    """Generate the demo plant and write it to the database at ``url``.

    Creates the reference tables and their indexes and bulk-loads every row. Refuses, with
    ``InvalidInput``, when reference tables there already hold rows, unless ``replace`` is
    set, in which case they are dropped and rebuilt. The incident manifest (ground truth
    for evaluations) goes to ``manifest_path``, or beside a DuckDB/SQLite file as
    ``<file>.manifest.json``; for server databases without a path none is written.
    ``progress(stage, done, total)`` reports generation stages and rows written.
    """
    started = time.perf_counter()
    with connect(url, writable=True) as db:
        existing = _existing_reference_tables(db)
        holding = [name for name in existing if _holds_rows(db, name)]
        if holding and not replace:
            raise InvalidInput(
                f"{redact_url(url)} already holds plant data (table {holding[0]} has rows); "
                "pass replace=True (andon plant build --replace) to drop and rebuild it")
        data = generate_plant(seed, months, progress=progress)
        for name in existing:
            db.execute(exp.Drop(tables=[_table(name)], kind="TABLE",
                                exists=True).sql(dialect=db.dialect))
        for table in TABLES:
            db.execute(create_table_sql(table, db.dialect))
        total = sum(len(rows) for rows in data.tables.values())
        done = 0
        for table in TABLES:
            done += db.insert_rows(table.name, table.column_names, data.tables[table.name])
            if progress is not None:
                progress(f"writing: {table.name}", done, total)
        for n, (table_name, columns) in enumerate(INDEXES, 1):
            db.execute(create_index_sql(table_name, columns, db.dialect))
            if progress is not None:
                progress("indexing", n, len(INDEXES))
        target = manifest_path or default_manifest_path(db)
    written = write_manifest(data.manifest, target) if target is not None else None
    return BuildReport(seed=seed, months=months, row_counts=data.row_counts(),
                       seconds=round(time.perf_counter() - started, 3), manifest_path=written)
