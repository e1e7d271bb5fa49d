"""The SQL guard: one read-only SELECT over allowed tables and columns, re-rendered by sqlglot
in the target dialect with the row cap applied. The user's text is never executed as is."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from sqlglot import exp
from sqlglot.optimizer.normalize_identifiers import normalize_identifiers

from tools.sql_guard.function_rules import check_functions, load_function_rules
from tools.sql_guard.policy import GuardPolicy
from tools.sql_guard.row_cap import apply_row_cap
from tools.sql_guard.statement_rules import (
    check_dialect,
    check_raw_text,
    check_statement_nodes,
    parse_single,
    query_root,
    reject,
)
from tools.sql_guard.table_rules import check_tables, qualify_checked


class GuardedQuery(BaseModel):
    """A query the guard accepted: the tree, the SQL to run and what it reads."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    expression: exp.Expr
    sql: str
    dialect: str
    tables: tuple[str, ...]
    limit: int
    """The LIMIT in ``sql``: ``row_cap + 1`` (to detect truncation) unless asked for fewer."""
    row_cap: int
    role: str


def _root_selects(query: exp.Expr) -> list[exp.Select]:
    if isinstance(query, exp.SetOperation):
        return _root_selects(query.this) + _root_selects(query.expression)
    if isinstance(query, exp.Subquery):
        return _root_selects(query.this)
    return [query] if isinstance(query, exp.Select) else []


def _unaliased_positions(query: exp.Query) -> list[set[int]]:
    """Per root SELECT, the positions of projections the user left unnamed (no ``*`` there)."""
    positions: list[set[int]] = []
    for select in _root_selects(query):
        projections = select.expressions
        if any(isinstance(p, exp.Star) or (isinstance(p, exp.Column) and p.is_star)
               for p in projections):
            positions.append(set())
        else:
            positions.append({i for i, p in enumerate(projections)
                              if not isinstance(p, exp.Alias)})
    return positions


def _drop_added_aliases(query: exp.Query, positions: list[set[int]]) -> None:
    """Remove the aliases the qualifier added (``_col_0``...), so the database names those
    columns as it would have for the user's query."""
    selects = _root_selects(query)
    if len(selects) != len(positions):
        return
    referenced = {c.name for c in query.find_all(exp.Column) if not c.table}
    for select, unnamed in zip(selects, positions, strict=True):
        for i, projection in enumerate(select.expressions):
            if (i in unnamed and isinstance(projection, exp.Alias)
                    and projection.alias not in referenced):
                projection.replace(projection.this)


def guard_sql(sql: str, *, dialect: str, policy: GuardPolicy | None = None) -> GuardedQuery:
    """Check one query against the policy and return the SQL to run in ``dialect``.

    Refusals raise ``tools.errors.SqlRejected`` with one sentence and ``details["rule"]``.
    """
    policy = policy or GuardPolicy()
    check_dialect(dialect)
    check_raw_text(sql, dialect)
    statement = parse_single(sql, dialect)
    check_statement_nodes(statement)
    query = query_root(statement)
    check_functions(query, load_function_rules())
    normalized = normalize_identifiers(query, dialect="postgres")  # unquoted -> lower case
    if not isinstance(normalized, exp.Query):
        raise reject("the query did not stay a SELECT", "not_select")
    tables = check_tables(normalized, policy)
    unnamed = _unaliased_positions(normalized)
    qualified = qualify_checked(normalized, policy, dialect, tables)
    _drop_added_aliases(qualified, unnamed)
    final: exp.Expr = qualified
    if policy.expand is not None and isinstance(qualified, exp.Expression):
        final = policy.expand(qualified)
    if not isinstance(final, exp.Query):
        raise reject("the table mapping did not return a SELECT", "not_select")
    limit = apply_row_cap(final, policy.row_cap)
    return GuardedQuery(expression=final, sql=final.sql(dialect=dialect, comments=False),
                        dialect=dialect, tables=tables, limit=limit, row_cap=policy.row_cap,
                        role=policy.role)
