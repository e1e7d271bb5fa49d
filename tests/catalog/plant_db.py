"""Test helpers: write the catalog fixtures into real databases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from sqlglot import exp

from tests.conftest import FIXTURES
from tools.database import Database, connect
from tools.reference_schema import TABLES_BY_NAME, Table, create_table_sql

CATALOG_FIXTURES = FIXTURES / "catalog"
_TYPES = {
    "mysql": {"TEXT": "VARCHAR(255)", "DOUBLE": "DOUBLE", "TIMESTAMP": "DATETIME(6)",
              "INTEGER": "BIGINT"},
    "postgres": {"TEXT": "TEXT", "DOUBLE": "DOUBLE PRECISION", "TIMESTAMP": "TIMESTAMP",
                 "INTEGER": "BIGINT"},
    "duckdb": {"TEXT": "VARCHAR", "DOUBLE": "DOUBLE", "TIMESTAMP": "TIMESTAMP",
               "INTEGER": "BIGINT"},
}


def load_fixture(name: str) -> Any:
    return yaml.safe_load((CATALOG_FIXTURES / name).read_text(encoding="utf-8"))


def typed(value: Any, column_type: str) -> Any:
    """A fixture value as the Python value to insert (ISO strings become UTC datetimes)."""
    if value is None:
        return None
    if column_type == "TIMESTAMP":
        parsed = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(
            str(value).replace("Z", "+00:00"))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    if column_type == "DOUBLE":
        return float(value)
    if column_type == "INTEGER":
        return int(value)
    return str(value)


def create_physical_table(db: Database, name: str,
                          columns: Sequence[tuple[str, str]]) -> None:
    """A table with exactly these (case-preserving, quoted) column names."""
    defs = [exp.ColumnDef(this=exp.to_identifier(col, quoted=True),
                          kind=exp.DataType.build(_TYPES[db.dialect][kind], dialect=db.dialect))
            for col, kind in columns]
    create = exp.Create(this=exp.Schema(this=exp.Table(this=exp.to_identifier(name, quoted=True)),
                                        expressions=defs), kind="TABLE")
    db.execute(create.sql(dialect=db.dialect))


def create_reference_table(db: Database, table: Table) -> None:
    """The reference table as ``create_table_sql`` writes it."""
    db.execute(create_table_sql(table, db.dialect))


def write_reference_tables(db: Database, tables: dict[str, Any],
                           only: Sequence[str] | None = None) -> None:
    for name, body in tables.items():
        if only is not None and name not in only:
            continue
        table = TABLES_BY_NAME[name]
        create_reference_table(db, table)
        kinds = {c.name: c.type for c in table.columns}
        rows = [[typed(v, kinds[c]) for c, v in zip(body["columns"], row, strict=True)]
                for row in body["rows"]]
        db.insert_rows(name, body["columns"], rows)


def build_small_plant(url: str) -> None:
    with connect(url, writable=True) as db:
        write_reference_tables(db, load_fixture("small_plant.yaml")["tables"])


def build_customer_plant(url: str) -> None:
    """The customer-layout copy of the small plant (see customer_plant.yaml)."""
    customer = load_fixture("customer_plant.yaml")
    with connect(url, writable=True) as db:
        for name, body in customer["physical"].items():
            columns = [(c[0], c[1]) for c in body["columns"]]
            create_physical_table(db, name, columns)
            rows = [[typed(v, kind) for (_, kind), v in zip(columns, row, strict=True)]
                    for row in body["rows"]]
            db.insert_rows(name, [c for c, _ in columns], rows)
        write_reference_tables(db, load_fixture("small_plant.yaml")["tables"],
                               only=customer["reference_tables"])


def load_csv_as_is(url: str, csv_path: Path, table: str) -> None:
    """A CSV loaded as it is: original column names, types from pandas."""
    import pandas as pd

    frame = pd.read_csv(csv_path, encoding="utf-8-sig")
    kinds = []
    for column, dtype in frame.dtypes.items():
        kind = ("INTEGER" if pd.api.types.is_integer_dtype(dtype)
                else "DOUBLE" if pd.api.types.is_float_dtype(dtype) else "TEXT")
        kinds.append((str(column), kind))
    rows = [[None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in row]
            for row in frame.itertuples(index=False, name=None)]
    with connect(url, writable=True) as db:
        create_physical_table(db, table, kinds)
        db.insert_rows(table, [c for c, _ in kinds], rows)
