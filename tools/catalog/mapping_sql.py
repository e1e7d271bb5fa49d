"""A table mapping turned into sqlglot trees: one SELECT per reference table, and the
rewrite that puts those SELECTs where a query names the reference table."""

from __future__ import annotations

import datetime as dt
import difflib
import math
from typing import TYPE_CHECKING, Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from tools.errors import InvalidInput
from tools.reference_schema import TABLES, TABLES_BY_NAME, Column, Table

if TYPE_CHECKING:
    from tools.catalog.mapping import ColumnSpec, SourceSpec, TableMapping, TableSpec

# Ids and codes are cast to a bounded text type: MariaDB/MySQL only index (and so only
# join fast on) a materialized subquery's column if its key fits 1000 bytes (191 utf8mb4
# characters). Names and descriptions may be long and stay TEXT.
_SQL_TYPES = {"TEXT": "VARCHAR(191)", "DOUBLE": "DOUBLE", "INTEGER": "BIGINT",
              "TIMESTAMP": "TIMESTAMP"}
_LONG_TEXT = {"name", "description", "customer"}
_FORBIDDEN = (exp.Query, exp.Subquery, exp.DML, exp.Command, exp.Star, exp.AggFunc, exp.Window,
              exp.Placeholder, exp.Parameter)


def compile_relations(mapping: TableMapping) -> dict[str, exp.Expression]:
    """One SELECT per mapped reference table, with every canonical column, typed."""
    relations: dict[str, exp.Expression] = {}
    for name, spec in mapping.tables.items():
        table = TABLES_BY_NAME.get(name)
        if table is None:
            raise InvalidInput(f"mapping {mapping.name}: {name!r} is not a reference table"
                               f"{_did_you_mean(name, [t.name for t in TABLES])}")
        relations[name] = _relation(mapping, table, spec)
    return relations


def _relation(mapping: TableMapping, table: Table, spec: TableSpec) -> exp.Expression:
    given = [k for k in ("source", "sources", "rows") if getattr(spec, k) is not None]
    where = f"mapping {mapping.name}: table {table.name}"
    if len(given) != 1:
        raise InvalidInput(f"{where} needs exactly one of source, sources or rows "
                           f"(it has {', '.join(given) or 'none'})")
    if spec.rows is not None:
        return _literal_rows(where, table, spec.rows)
    selects: list[exp.Expression] = []
    sources = spec.all_sources()
    for index, source in enumerate(sources, start=1):
        label = f"{where}, source {index} ({source.table})"
        # One plain source is merged into the query by every engine: its bare columns stay
        # uncast so the physical indexes serve. A union or DISTINCT is materialized: cast.
        keep_bare = len(sources) == 1 and not source.distinct
        selects.append(_source_select(label, mapping.dialect, table, source, keep_bare))
    if not selects:
        raise InvalidInput(f"{where} lists no sources")
    query = selects[0]
    for select in selects[1:]:
        query = exp.union(query, select, distinct=False)
    return query


def _check_columns(label: str, table: Table, keys: list[str]) -> None:
    for key in keys:
        if key not in table.column_names:
            raise InvalidInput(f"{label}: {key!r} is not a column of {table.name}"
                               f"{_did_you_mean(key, list(table.column_names))}")
    missing = [c.name for c in table.columns if not c.nullable and c.name not in keys]
    if missing:
        raise InvalidInput(f"{label} does not give {', '.join(missing)}, which the reference "
                           f"schema requires (give a column, a constant or an expression)")


def _source_select(label: str, dialect: str | None, table: Table, source: SourceSpec,
                   keep_bare: bool) -> exp.Select:
    _check_columns(label, table, list(source.columns))
    projections = []
    for column in table.columns:
        spec = source.columns.get(column.name)
        value = (exp.Null() if column.name not in source.columns
                 else _column_expression(f"{label}, column {column.name}", dialect, column, spec))
        bare = keep_bare and isinstance(value, exp.Column)
        typed_value = value if bare else _typed(value, column)
        projections.append(exp.alias_(typed_value, column.name))
    physical = exp.Table(this=exp.to_identifier(source.table, quoted=True),
                         db=exp.to_identifier(source.schema_name, quoted=True)
                         if source.schema_name else None)
    select = exp.select(*projections).from_(physical)
    if source.where:
        select = select.where(parse_snippet(f"{label}, where", dialect, source.where))
    if source.distinct:
        select = select.distinct()
    return select


def _column_expression(label: str, dialect: str | None, column: Column,
                       spec: ColumnSpec) -> exp.Expression:
    from tools.catalog.mapping import ColumnForm

    if isinstance(spec, ColumnForm):
        chosen = spec.model_fields_set & {"column", "value", "sql"}
        if len(chosen) != 1:
            raise InvalidInput(f"{label} needs exactly one of column, value or sql")
        if spec.column is not None:
            return exp.column(exp.to_identifier(spec.column, quoted=True))
        if spec.sql is not None:
            return parse_snippet(label, dialect, spec.sql)
        return _literal(label, column, spec.value)
    if isinstance(spec, str):
        return parse_snippet(label, dialect, spec)
    return _literal(label, column, spec)


def parse_snippet(label: str, dialect: str | None, text: str) -> exp.Expression:
    """A row-level SQL expression: no statements, subqueries, aggregates or windows."""
    try:
        statements = sqlglot.parse(f"SELECT {text}", read=dialect)
    except (SqlglotError, ValueError) as exc:
        raise InvalidInput(f"{label}: {text!r} is not a SQL expression sqlglot can read "
                           f"({str(exc).splitlines()[0]})") from exc
    select = statements[0] if len(statements) == 1 else None
    if not isinstance(select, exp.Select) or len(select.expressions) != 1 \
            or any(v for k, v in select.args.items() if k != "expressions"):
        raise InvalidInput(f"{label}: {text!r} must be one SQL expression")
    parsed = select.expressions[0]
    if isinstance(parsed, exp.Alias) or any(isinstance(n, _FORBIDDEN) for n in parsed.walk()):
        raise InvalidInput(f"{label}: {text!r} must be a row-level expression (no aliases, "
                           "statements, subqueries, aggregates or window functions)")
    parsed.pop()
    return parsed


def _typed(value: exp.Expression, column: Column) -> exp.Expression:
    sql_type = "TEXT" if column.name in _LONG_TEXT else _SQL_TYPES[column.type]
    return exp.cast(value, exp.DataType.build(sql_type))


def coerce_value(column: Column, value: Any) -> Any:
    """A YAML value as the Python value of a canonical column (raises ValueError)."""
    if value is None:
        if not column.nullable:
            raise ValueError(f"{column.name} may not be empty")
        return None
    if column.type == "TEXT":
        if isinstance(value, dt.datetime | dt.date | list | dict):
            raise ValueError(f"{column.name} must be text, not {value!r}")
        return str(value) if not isinstance(value, bool) else str(value).lower()
    if column.type in ("INTEGER", "DOUBLE"):
        number = _number(value)
        if column.type == "DOUBLE" and number is not None:
            return number
        if number is not None and number == int(number):
            return int(number)
        kind = "a whole number" if column.type == "INTEGER" else "a number"
        raise ValueError(f"{column.name} must be {kind}, not {value!r}")
    return _timestamp(column, value)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _timestamp(column: Column, value: Any) -> dt.datetime:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"{column.name} must be a time like 2024-01-31T08:00:00Z, "
                             f"not {value!r}") from None
    if not isinstance(value, dt.datetime):
        raise ValueError(f"{column.name} must be a time, not {value!r}")
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _literal(label: str, column: Column, value: Any) -> exp.Expression:
    try:
        typed = coerce_value(column, value)
    except ValueError as exc:
        raise InvalidInput(f"{label}: {exc}") from exc
    if typed is None:
        return exp.Null()
    if isinstance(typed, dt.datetime):
        return exp.Literal.string(typed.replace(tzinfo=None).isoformat(sep=" "))
    if isinstance(typed, str):
        return exp.Literal.string(typed)
    return exp.Literal.number(repr(typed))


def _literal_rows(where: str, table: Table, rows: list[dict[str, Any]]) -> exp.Expression:
    selects: list[exp.Expression] = []
    for index, row in enumerate(rows, start=1):
        label = f"{where}, row {index}"
        _check_columns(label, table, list(row))
        selects.append(exp.select(*[
            exp.alias_(_typed(_literal(label, c, row.get(c.name)), c), c.name)
            for c in table.columns]))
    if not selects:
        return exp.select(*[exp.alias_(_typed(exp.Null(), c), c.name)
                            for c in table.columns]).limit(0)
    query = selects[0]
    for select in selects[1:]:
        query = exp.union(query, select, distinct=False)
    return query


def expand_tables(expression: exp.Expr,
                  relations: dict[str, exp.Expression]) -> exp.Expression:
    """``expression`` with every unqualified reference to a mapped table replaced by a
    subquery (aliased as the reference was, or by the table's name). A reference that
    names a CTE in scope is left alone; inside a CTE's own body its name still means the
    real table (unless the WITH is RECURSIVE), as in SQL."""
    tree = expression.copy()
    if not isinstance(tree, exp.Expression):
        raise InvalidInput("a table mapping can only expand a parsed SQL expression")
    for table in list(tree.find_all(exp.Table)):
        if not isinstance(table.this, exp.Identifier) or table.args.get("db") \
                or table.args.get("catalog"):
            continue
        name = table.name.lower()
        if name not in relations or _names_cte_in_scope(table, name):
            continue
        alias = table.args.get("alias")
        subquery = exp.Subquery(
            this=relations[name].copy(),
            alias=alias.copy() if alias else exp.TableAlias(this=exp.to_identifier(table.name)))
        if table.args.get("pivots"):
            subquery.set("pivots", [p.copy() for p in table.args["pivots"]])
        if table is tree:
            tree = subquery
        else:
            table.replace(subquery)
    return tree


def _with_of(node: exp.Expr) -> exp.With | None:
    found = node.args.get("with_") or node.args.get("with")
    return found if isinstance(found, exp.With) else None


def _names_cte_in_scope(table: exp.Table, name: str) -> bool:
    node: exp.Expr = table
    while node.parent is not None:
        parent = node.parent
        if isinstance(parent, exp.With) and isinstance(node, exp.CTE):
            ctes = list(parent.expressions)
            index = next(i for i, c in enumerate(ctes) if c is node)
            visible = ctes[:index + 1] if parent.args.get("recursive") else ctes[:index]
            if any(c.alias_or_name.lower() == name for c in visible):
                return True
            owner = parent.parent
            if owner is None:
                return False
            node = owner  # the owner's other CTEs were just considered
            continue
        with_ = _with_of(parent)
        if with_ is not None and node is not with_ \
                and any(c.alias_or_name.lower() == name for c in with_.expressions):
            return True
        node = parent
    return False


def _did_you_mean(name: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""
