"""Checks a table mapping against a real database: physical tables and columns exist, and
every mapped table can be read (a LIMIT 0 probe through the read-only query path)."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from sqlglot import exp

from tools.catalog.mapping_sql import parse_snippet
from tools.errors import InvalidInput, SqlExecutionError
from tools.reference_schema import TABLES_BY_NAME

if TYPE_CHECKING:
    from tools.catalog.mapping import SourceSpec, TableMapping
    from tools.database import Database

PROBE_TIMEOUT_S = 30.0
_CAST_TO = {"TEXT": "TEXT", "NUMBER": "DOUBLE", "TIMESTAMP": "TIMESTAMP"}


def _referenced_columns(mapping: TableMapping, source: SourceSpec) -> list[tuple[str, str]]:
    """(canonical column or 'where', physical column name) pairs a source reads."""
    from tools.catalog.mapping import ColumnForm

    refs: list[tuple[str, str]] = []
    snippets: list[tuple[str, str]] = []
    for canonical, spec in source.columns.items():
        if isinstance(spec, ColumnForm) and spec.column is not None:
            refs.append((canonical, spec.column))
        elif isinstance(spec, ColumnForm) and spec.sql is not None:
            snippets.append((canonical, spec.sql))
        elif isinstance(spec, str):
            snippets.append((canonical, spec))
    if source.where:
        snippets.append(("where", source.where))
    for canonical, text in snippets:
        tree = parse_snippet(canonical, mapping.dialect, text)
        refs.extend((canonical, col.name) for col in tree.find_all(exp.Column))
    return refs


def _bare_columns(mapping: TableMapping, source: SourceSpec) -> list[tuple[str, str]]:
    """(canonical column, physical column) pairs a source uses as they are, uncast."""
    from tools.catalog.mapping import ColumnForm

    bare: list[tuple[str, str]] = []
    for canonical, spec in source.columns.items():
        if isinstance(spec, ColumnForm) and spec.column is not None:
            bare.append((canonical, spec.column))
        text = spec.sql if isinstance(spec, ColumnForm) else spec
        if isinstance(text, str):
            tree = parse_snippet(canonical, mapping.dialect, text)
            if isinstance(tree, exp.Column):
                bare.append((canonical, tree.name))
    return bare


def _category(declared: str) -> str | None:
    lowered = declared.lower()
    if any(w in lowered for w in ("char", "text", "string", "clob")):
        return "TEXT"
    if any(w in lowered for w in ("timestamp", "datetime", "date")):
        return "TIMESTAMP"
    if any(w in lowered for w in ("int", "double", "float", "real", "numeric", "decimal",
                                  "number")):
        return "NUMBER"
    return None


def check_mapping(mapping: TableMapping, db: Database) -> None:
    """Raise ``InvalidInput`` (one sentence) at the first problem of ``mapping`` on ``db``."""
    physical = db.table_names()
    columns_of: dict[str, list[str]] = {}
    types_of: dict[str, list[tuple[str, str]]] = {}
    for canonical, spec in mapping.tables.items():
        for source in spec.all_sources():
            if source.schema_name is not None:
                continue  # other schemas are not listed; the probe below checks them
            if source.table not in physical:
                hint = _hint(source.table, physical)
                raise InvalidInput(f"mapping {mapping.name}: table {source.table!r} (a source "
                                   f"of {canonical}) does not exist in the database{hint}")
            if source.table not in columns_of:
                types_of[source.table] = db.column_names(source.table)
                columns_of[source.table] = [c for c, _ in types_of[source.table]]
            known = columns_of[source.table]
            declared = {c.casefold(): t for c, t in types_of[source.table]}
            folded = {c.casefold() for c in known}
            for target, column in _referenced_columns(mapping, source):
                if column.casefold() not in folded:
                    raise InvalidInput(
                        f"mapping {mapping.name}: column {column!r} (used for {canonical}."
                        f"{target}) is not in table {source.table!r}{_hint(column, known)}; "
                        "write a text constant as {value: ...} or in single quotes")
            for target, column in _bare_columns(mapping, source):
                _check_type(mapping, canonical, target, source.table, column,
                            declared.get(column.casefold(), ""))
    for canonical in mapping.mapped_tables:
        probe = exp.select("*").from_(
            exp.Subquery(this=mapping.relation(canonical),
                         alias=exp.TableAlias(this=exp.to_identifier("probe")))).limit(0)
        try:
            db.query(probe.sql(dialect=db.dialect), timeout_s=PROBE_TIMEOUT_S)
        except SqlExecutionError as exc:
            raise InvalidInput(f"mapping {mapping.name}: the rows of {canonical} cannot be "
                               f"read on this {db.kind} database: {exc.message}") from exc


def _check_type(mapping: TableMapping, canonical: str, target: str, table: str, column: str,
                declared: str) -> None:
    """A column used uncast must hold the kind of value the reference column holds."""
    wanted: str = next(c.type for c in TABLES_BY_NAME[canonical].columns if c.name == target)
    wanted = "NUMBER" if wanted in ("DOUBLE", "INTEGER") else wanted
    found = _category(declared)
    if found is not None and found != wanted:
        raise InvalidInput(
            f"mapping {mapping.name}: column {column!r} of {table!r} is {declared} but "
            f"{canonical}.{target} holds {wanted.lower()}; convert it with an expression "
            f"such as {{sql: 'CAST(\"{column}\" AS {_CAST_TO[wanted]})'}}")


def _hint(name: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.5)
    if not close:
        lowered = {c.casefold(): c for c in choices}
        if name.casefold() in lowered:
            close = [lowered[name.casefold()]]
    return f" (did you mean {close[0]!r}?)" if close else ""
