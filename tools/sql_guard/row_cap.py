"""The row cap: an outer LIMIT on the root query (SELECT or set operation).

The LIMIT set is ``min(the query's own limit, row_cap + 1)``: one row beyond the cap is
fetched so that the executor can tell a truncated result from a complete one, and returns
at most ``row_cap`` rows.
"""

from __future__ import annotations

from sqlglot import exp

from tools.sql_guard.statement_rules import reject


def _integer(node: exp.Expr | None, what: str) -> int | None:
    """A non-negative integer literal; None for an absent limit or LIMIT ALL."""
    if node is None:
        return None
    if isinstance(node, exp.Var) and node.name.upper() == "ALL":
        return None
    if isinstance(node, exp.Literal) and not node.is_string and node.this.isdigit():
        return int(node.this)
    raise reject(f"the query's {what} must be a whole number, not {node.sql()}",
                 "limit_not_literal", limit=node.sql())


def existing_limit(query: exp.Query) -> int | None:
    """The row limit the query already asks for at its root, if any."""
    node = query.args.get("limit")
    if node is None:
        return None
    if isinstance(node, exp.Fetch):
        options = node.args.get("limit_options")
        if options is not None and (options.args.get("percent") or
                                    options.args.get("with_ties")):
            raise reject("FETCH ... PERCENT or WITH TIES cannot be capped; use LIMIT",
                         "limit_not_literal", limit=node.sql())
        count = node.args.get("count")
        return 1 if count is None else _integer(count, "FETCH count")
    if isinstance(node, exp.Limit):
        if node.args.get("expressions") or node.args.get("limit_options"):
            raise reject(f"the limit {node.sql()} cannot be capped; use a plain LIMIT n",
                         "limit_not_literal", limit=node.sql())
        return _integer(node.expression, "LIMIT")
    raise reject(f"the limit {node.sql()} cannot be capped; use a plain LIMIT n",
                 "limit_not_literal", limit=node.sql())


def apply_row_cap(query: exp.Query, row_cap: int) -> int:
    """Set the root LIMIT (in place) to at most ``row_cap + 1``; returns the LIMIT set."""
    asked = existing_limit(query)
    applied = row_cap + 1 if asked is None else min(asked, row_cap + 1)
    query.set("limit", exp.Limit(expression=exp.Literal.number(applied)))
    return applied
