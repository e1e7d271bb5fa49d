"""Table and column rules: only the policy's tables, never a system catalog, a qualified
name or a file; only the policy's columns, resolved by sqlglot's qualifier (which also
expands ``*`` to the columns the role may see)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from sqlglot import exp
from sqlglot.errors import OptimizeError
from sqlglot.optimizer.qualify import qualify
from sqlglot.optimizer.scope import Scope, traverse_scope

from tools.reference_schema import TABLES_BY_NAME
from tools.sql_guard.policy import GuardPolicy
from tools.sql_guard.statement_rules import reject

SYSTEM_SCHEMAS = frozenset({"information_schema", "pg_catalog", "pg_toast", "pg_temp",
                            "mysql", "performance_schema", "sys", "temp", "system"})
SYSTEM_NAMES = frozenset({"sqlite_master", "sqlite_schema", "sqlite_temp_master",
                          "sqlite_sequence", "information_schema"})
SYSTEM_PREFIXES = ("pg_", "sqlite_", "duckdb_", "innodb_", "pragma_")
_PATH_LIKE = re.compile(r"[/\\.:~*?]")


def _scopes(root: exp.Expr) -> list[Scope]:
    try:
        return traverse_scope(root)
    except (OptimizeError, ValueError, KeyError, RecursionError) as exc:
        raise reject("the query's structure could not be analysed", "unsupported_construct"
                     ) from exc


def _dotted(table: exp.Table) -> str:
    return ".".join(p for p in (table.catalog, table.db, table.name) if p)


def _check_base_table(table: exp.Table, policy: GuardPolicy) -> str:
    """The canonical name of a table reference the policy allows; anything else is refused."""
    if isinstance(table.this, exp.Func):
        raise reject(f"the table function {table.this.sql_name()} is not allowed",
                     "table_function", table=table.this.sql_name())
    if not isinstance(table.this, exp.Identifier):
        raise reject(f"{table.this.sql()} cannot be read as a table", "file_table",
                     table=table.this.sql())
    name, dotted = table.name, _dotted(table)
    if table.db or table.catalog:
        schema = (table.db or table.catalog).lower()
        if schema in SYSTEM_SCHEMAS or table.catalog.lower() in SYSTEM_SCHEMAS:
            raise reject(f"the table {dotted} is a system catalog", "system_catalog",
                         table=dotted)
        raise reject(f"the table {dotted} is qualified with a schema or database; name "
                     "reference tables without one", "qualified_table", table=dotted)
    if table.this.quoted and _PATH_LIKE.search(name):
        raise reject(f"{name!r} looks like a file path, and files cannot be read",
                     "file_table", table=name)
    lowered = name.lower()
    if lowered in SYSTEM_NAMES or lowered.startswith(SYSTEM_PREFIXES):
        raise reject(f"the table {name} is a system catalog", "system_catalog", table=name)
    if name in policy.tables:
        return name
    if name in policy.known_columns():
        raise reject(f"the table {name} is not available to the role {policy.role}",
                     "table_not_allowed", table=name, role=policy.role)
    raise reject(f"unknown table {name}; the readable tables are "
                 f"{', '.join(sorted(policy.tables))}", "unknown_table", table=name)


def check_tables(root: exp.Query, policy: GuardPolicy) -> tuple[str, ...]:
    """The base tables a query reads (CTE names are local), each checked against the policy."""
    known = policy.known_columns()
    for cte in root.find_all(exp.CTE):
        if cte.alias_or_name in known:
            raise reject(f"the CTE name {cte.alias_or_name} hides the table of that name; "
                         "rename the CTE", "cte_shadows_table", table=cte.alias_or_name)
    seen: set[int] = set()
    read: set[str] = set()
    for scope in _scopes(root):
        for table in scope.tables:
            seen.add(id(table))
            is_local = (not table.db and not table.catalog
                        and isinstance(table.this, exp.Identifier)
                        and table.name in scope.cte_sources)
            if not is_local:
                read.add(_check_base_table(table, policy))
    for table in root.find_all(exp.Table):
        if id(table) not in seen:
            raise reject(f"the table reference {table.sql()} sits where the guard cannot "
                         "check it", "unsupported_construct", table=table.sql())
    return tuple(sorted(read))


def _schema(columns: Mapping[str, frozenset[str]], tables: tuple[str, ...]
            ) -> dict[str, object]:
    """A qualifier schema: each table with the given columns, in reference order and types."""
    schema: dict[str, object] = {}
    for name in tables:
        reference = TABLES_BY_NAME.get(name)
        types = {c.name: c.type for c in reference.columns} if reference else {}
        order = list(reference.column_names) if reference else []
        order += sorted(columns[name] - set(order))
        schema[name] = {c: types.get(c, "TEXT") for c in order if c in columns[name]}
    return schema


def _first_unreadable(tree: exp.Expr, policy: GuardPolicy, *,
                      qualified_only: bool = False) -> exp.Column | None:
    """The first column with no source, or naming a column its base table does not offer
    under the policy (only the table-qualified ones with ``qualified_only``)."""
    for scope in _scopes(tree):
        for column in scope.columns:
            if qualified_only and not column.table:
                continue
            source = _source_of(scope, column.table) if column.table else None
            if isinstance(source, Scope):
                continue
            if not isinstance(source, exp.Table) or column.name not in policy.tables.get(
                    source.name, frozenset()):
                return column
    return None


def _column_refusal(root: exp.Query, policy: GuardPolicy, dialect: str,
                    tables: tuple[str, ...]) -> Exception:
    known = policy.known_columns()
    column = _first_unreadable(root.copy(), policy, qualified_only=True)
    if column is None:
        try:
            loose = qualify(root.copy(), schema=_schema(known, tables), dialect=dialect,
                            validate_qualify_columns=False, identify=False)
            column = _first_unreadable(loose, policy)
        except Exception:  # the strict pass already failed; this one only names the column
            column = None
    if column is None:
        return reject("the query's columns could not be resolved against the readable tables",
                      "unresolved_column")
    name = column.name
    owners = [t for t in tables if name in known.get(t, frozenset())]
    if owners and all(name not in policy.tables[t] for t in owners):
        return reject(f"the column {name} is not available to the role {policy.role}",
                      "column_not_allowed", column=name, role=policy.role)
    if owners and not column.table:
        return reject(f"the column {name} is ambiguous; qualify it with its table",
                      "unresolved_column", column=name)
    return reject(f"unknown column {name!r} in the tables {', '.join(tables) or '(none)'}",
                  "unknown_column", column=name)


def _source_of(scope: Scope, alias: str) -> exp.Expr | Scope | None:
    current: Scope | None = scope
    while current is not None:
        if alias in current.sources:
            source: exp.Expr | Scope = current.sources[alias]
            return source
        current = current.parent
    return None


def _projection(select: exp.Select, name: str) -> exp.Expr | None:
    for projection in select.expressions:
        if projection.alias_or_name == name:
            return projection.unalias()
    return None


def pin_output_references(root: exp.Expr) -> None:
    """Make every unqualified column left by the qualifier explicit, or refuse it.

    Only ORDER BY may still name an output column. A bare name (``ORDER BY n``) means the
    output column in every dialect. Inside an expression (``ORDER BY n * 2``) PostgreSQL
    would read the name as an input column instead, so the output's expression is put in
    its place; a set operation's ORDER BY may only name output columns.
    """
    for column in list(root.find_all(exp.Column)):
        if column.table:
            continue
        order = column.find_ancestor(exp.Order)
        query = order.parent if order is not None else None
        if not isinstance(query, exp.Query) or column.name not in query.named_selects:
            raise reject(f"the column {column.name} could not be traced to a readable column",
                         "unresolved_column", column=column.name)
        if isinstance(column.parent, exp.Ordered) and column.parent.parent is order:
            continue
        source = _projection(query, column.name) if isinstance(query, exp.Select) else None
        if source is None:
            raise reject("the ORDER BY of a set operation may only name output columns",
                         "unresolved_column", column=column.name)
        column.replace(source.copy())


def _check_node_shapes(root: exp.Expr, checked: set[int]) -> None:
    """Refuse what could read a hidden column without naming it: whole-row references
    (``SELECT b FROM batches b``), stars inside expressions (``CAST(b.* AS TEXT)``), field
    access (``(b).operator_id``), schema-qualified columns and columns no scope resolved."""
    for node in root.walk():
        if isinstance(node, exp.TableColumn):
            raise reject(f"the whole-row reference {node.sql()} is not allowed; name the "
                         "columns", "whole_row", reference=node.sql())
        if isinstance(node, exp.Dot):
            raise reject(f"the field access {node.sql()} is not supported", "unsupported_construct",
                         construct=node.sql())
        star_column = isinstance(node, exp.Column) and isinstance(node.this, exp.Star)
        if star_column or (isinstance(node, exp.Star) and not isinstance(node.parent, exp.Count)):
            label = node.sql() if star_column else "*"
            raise reject(f"{label} may only be used as a select-list item or in COUNT(*)",
                         "star_in_expression", reference=label)
        if isinstance(node, exp.Column):
            if node.args.get("db") or node.args.get("catalog"):
                raise reject(f"the column {node.sql()} names a schema or database; write "
                             "table.column", "qualified_table", column=node.sql())
            if node.table and id(node) not in checked:
                raise reject(f"the column {node.sql()} sits where the guard cannot check it",
                             "unresolved_column", column=node.sql())


def _check_resolved_columns(root: exp.Expr, policy: GuardPolicy) -> None:
    """Defense in depth after qualification: every column names a source, every column of a
    base table is one the policy allows, and nothing reads a row without naming columns."""
    checked: set[int] = set()
    for scope in _scopes(root):
        for column in scope.columns:
            checked.add(id(column))
            if not column.table:
                continue  # ORDER BY output names, pinned by pin_output_references
            source = _source_of(scope, column.table)
            if isinstance(source, Scope):
                continue
            if isinstance(source, exp.Table) and column.name in policy.tables.get(
                    source.name, frozenset()):
                continue
            raise reject(f"the column {column.sql()} could not be traced to a readable column",
                         "unresolved_column", column=column.sql())
    _check_node_shapes(root, checked)


def qualify_checked(root: exp.Query, policy: GuardPolicy, dialect: str,
                    tables: tuple[str, ...]) -> exp.Query:
    """The query with every column qualified and ``*`` expanded to the readable columns;
    a column outside the policy is refused by name."""
    original = root.copy()
    try:
        qualified = qualify(root, schema=_schema(policy.tables, tables), dialect=dialect,
                            validate_qualify_columns=True, identify=False,
                            quote_identifiers=True)
    except OptimizeError as exc:
        raise _column_refusal(original, policy, dialect, tables) from exc
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise reject("the query's columns could not be resolved", "unresolved_column") from exc
    if not isinstance(qualified, exp.Query):
        raise reject("the query did not stay a SELECT after qualification", "not_select")
    pin_output_references(qualified)
    _check_resolved_columns(qualified, policy)
    return qualified
