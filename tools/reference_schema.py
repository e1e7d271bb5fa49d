"""The reference MES/SPC schema (version 1) as data: tables, columns, types, nullability.

This mirrors ``shared/spec/reference-schema.md``. The demo plant builder creates these
tables, the catalog checks a database against them, and the SQL guard allows exactly
these names (or the names a YAML mapping maps onto them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import sqlglot
from sqlglot import exp

ColumnType = Literal["TEXT", "DOUBLE", "TIMESTAMP", "INTEGER"]

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    nullable: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


ColumnSpec = tuple[str, ColumnType] | tuple[str, ColumnType, bool]


def _t(name: str, pk: tuple[str, ...], *cols: ColumnSpec) -> Table:
    columns = tuple(Column(c[0], c[1], bool(c[2]) if len(c) > 2 else False) for c in cols)
    return Table(name, columns, pk)


TABLES: tuple[Table, ...] = (
    _t("plants", ("plant_id",), ("plant_id", "TEXT"), ("name", "TEXT")),
    _t("lines", ("line_id",), ("line_id", "TEXT"), ("plant_id", "TEXT"), ("name", "TEXT"),
       ("process", "TEXT")),
    _t("machines", ("machine_id",), ("machine_id", "TEXT"), ("line_id", "TEXT"), ("name", "TEXT"),
       ("machine_type", "TEXT")),
    _t("tools", ("tool_id",), ("tool_id", "TEXT"), ("name", "TEXT"), ("tool_type", "TEXT"),
       ("part_id", "TEXT", True)),
    _t("suppliers", ("supplier_id",), ("supplier_id", "TEXT"), ("name", "TEXT"),
       ("country", "TEXT")),
    _t("material_lots", ("lot_id",), ("lot_id", "TEXT"), ("supplier_id", "TEXT"),
       ("material", "TEXT"), ("received_at", "TIMESTAMP")),
    _t("parts", ("part_id",), ("part_id", "TEXT"), ("name", "TEXT"), ("family", "TEXT"),
       ("material", "TEXT")),
    _t("characteristics", ("characteristic_id",), ("characteristic_id", "TEXT"),
       ("part_id", "TEXT"), ("name", "TEXT"), ("unit", "TEXT"), ("nominal", "DOUBLE", True),
       ("lsl", "DOUBLE", True), ("usl", "DOUBLE", True)),
    _t("batches", ("batch_id",), ("batch_id", "TEXT"), ("part_id", "TEXT"), ("line_id", "TEXT"),
       ("machine_id", "TEXT"), ("tool_id", "TEXT", True), ("material_lot_id", "TEXT", True),
       ("shift", "TEXT"), ("operator_id", "TEXT"), ("started_at", "TIMESTAMP"),
       ("ended_at", "TIMESTAMP"), ("qty_produced", "INTEGER"), ("qty_defective", "INTEGER")),
    _t("measurements", ("batch_id", "characteristic_id", "sample_no"), ("batch_id", "TEXT"),
       ("characteristic_id", "TEXT"), ("sample_no", "INTEGER"), ("value", "DOUBLE"),
       ("measured_at", "TIMESTAMP")),
    _t("process_parameters", ("batch_id", "name"), ("batch_id", "TEXT"), ("name", "TEXT"),
       ("value", "DOUBLE"), ("unit", "TEXT")),
    _t("maintenance_events", ("event_id",), ("event_id", "TEXT"), ("asset_id", "TEXT"),
       ("asset_type", "TEXT"), ("kind", "TEXT"), ("performed_at", "TIMESTAMP"),
       ("description", "TEXT")),
    _t("defects", ("defect_id",), ("defect_id", "TEXT"), ("batch_id", "TEXT"),
       ("defect_code", "TEXT"), ("quantity", "INTEGER"), ("detected_at", "TIMESTAMP"),
       ("detection_method", "TEXT")),
    _t("incoming_inspections", ("inspection_id",), ("inspection_id", "TEXT"), ("lot_id", "TEXT"),
       ("characteristic", "TEXT"), ("value", "DOUBLE", True), ("unit", "TEXT", True),
       ("result", "TEXT"), ("inspected_at", "TIMESTAMP")),
    _t("complaints", ("complaint_id",), ("complaint_id", "TEXT"), ("customer", "TEXT"),
       ("part_id", "TEXT"), ("batch_id", "TEXT", True), ("received_at", "TIMESTAMP"),
       ("description", "TEXT"), ("severity", "TEXT")),
    _t("engineering_changes", ("change_id",), ("change_id", "TEXT"), ("part_id", "TEXT"),
       ("effective_at", "TIMESTAMP"), ("kind", "TEXT"), ("description", "TEXT")),
)

TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}

# Secondary indexes the builder creates: what monitors and investigations filter on.
INDEXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("batches", ("part_id", "started_at")),
    ("measurements", ("characteristic_id", "batch_id")),
    ("defects", ("batch_id",)),
    ("process_parameters", ("name",)),
    ("incoming_inspections", ("lot_id",)),
)

_SQL_TYPES: dict[str, dict[ColumnType, str]] = {
    # TEXT keys need a bounded type in MySQL to be indexable.
    "mysql": {"TEXT": "VARCHAR(64)", "DOUBLE": "DOUBLE", "TIMESTAMP": "DATETIME(6)",
              "INTEGER": "BIGINT"},
    "postgres": {"TEXT": "TEXT", "DOUBLE": "DOUBLE PRECISION", "TIMESTAMP": "TIMESTAMP",
                 "INTEGER": "BIGINT"},
    "duckdb": {"TEXT": "VARCHAR", "DOUBLE": "DOUBLE", "TIMESTAMP": "TIMESTAMP",
               "INTEGER": "BIGINT"},
    "sqlite": {"TEXT": "TEXT", "DOUBLE": "REAL", "TIMESTAMP": "TEXT", "INTEGER": "INTEGER"},
}
_LONG_TEXT = {"description", "name", "customer"}


def create_table_sql(table: Table, dialect: str) -> str:
    """``CREATE TABLE`` for one reference table in a dialect, built as a sqlglot tree."""
    types = _SQL_TYPES[dialect]
    defs: list[exp.Expression] = []
    for col in table.columns:
        type_sql = types[col.type]
        if (dialect == "mysql" and col.type == "TEXT" and col.name in _LONG_TEXT
                and col.name not in table.primary_key):
            type_sql = "TEXT"
        constraints = [] if col.nullable else [
            exp.ColumnConstraint(kind=exp.NotNullColumnConstraint())]
        defs.append(exp.ColumnDef(
            this=exp.to_identifier(col.name),
            kind=exp.DataType.build(type_sql, dialect=dialect),
            constraints=constraints,
        ))
    if table.primary_key:
        defs.append(exp.PrimaryKey(expressions=[exp.to_identifier(c) for c in table.primary_key]))
    create = exp.Create(
        this=exp.Schema(this=exp.to_table(table.name), expressions=defs),
        kind="TABLE",
    )
    return create.sql(dialect=dialect)


def create_index_sql(table: str, columns: tuple[str, ...], dialect: str) -> str:
    """``CREATE INDEX`` for one secondary index."""
    name = f"ix_{table}_{'_'.join(columns)}"
    stmt = sqlglot.parse_one(f"CREATE INDEX {name} ON {table} ({', '.join(columns)})", read=dialect)
    return stmt.sql(dialect=dialect)
