"""The SQL guard: the only way any agent or tool reads plant data.

``guard_sql(text, dialect=..., policy=...)`` accepts exactly one read-only SELECT over the
tables and columns a ``GuardPolicy`` allows and returns a ``GuardedQuery`` whose SQL is
re-rendered by sqlglot in the target dialect with the row cap applied. Everything else
raises ``tools.errors.SqlRejected`` with one sentence and ``details["rule"]``.
"""

from tools.sql_guard.function_rules import FunctionRules, load_function_rules
from tools.sql_guard.guard import GuardedQuery, guard_sql
from tools.sql_guard.policy import (
    DEFAULT_ROLE,
    DEFAULT_ROW_CAP,
    DEFAULT_TIMEOUT_S,
    MAX_ROW_CAP,
    Expand,
    GuardPolicy,
    RoleDefinition,
    load_roles,
)

__all__ = [
    "DEFAULT_ROLE",
    "DEFAULT_ROW_CAP",
    "DEFAULT_TIMEOUT_S",
    "MAX_ROW_CAP",
    "Expand",
    "FunctionRules",
    "GuardPolicy",
    "GuardedQuery",
    "RoleDefinition",
    "guard_sql",
    "load_function_rules",
    "load_roles",
]
