"""What a guarded query may read: allowed tables and columns, the row cap and the timeout.

A ``GuardPolicy`` is built for a role (``GuardPolicy.for_role("viewer")``) from the role
definitions in ``roles.yaml`` over the reference schema, or directly for special cases.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field
from sqlglot import exp

from tools.errors import InvalidInput
from tools.reference_schema import TABLES

DEFAULT_ROW_CAP = 1000
MAX_ROW_CAP = 100_000
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_ROLE = "engineer"
ROLES_FILE = Path(__file__).with_name("roles.yaml")

Expand = Callable[[exp.Expression], exp.Expression]
"""Rewrites a validated tree over canonical table names into one over physical tables."""


def reference_columns() -> dict[str, frozenset[str]]:
    """Every reference table with all of its columns."""
    return {t.name: frozenset(t.column_names) for t in TABLES}


class RoleDefinition(BaseModel):
    """One access role as written in ``roles.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str
    tables: Literal["*"] | list[str]
    hidden_columns: dict[str, list[str]] = Field(default_factory=dict)
    max_row_cap: int = Field(ge=1, le=MAX_ROW_CAP)

    def visible(self, known: Mapping[str, frozenset[str]]) -> dict[str, frozenset[str]]:
        """The tables of ``known`` this role may read, each with its visible columns."""
        names = list(known) if self.tables == "*" else [t for t in self.tables if t in known]
        hidden_everywhere = frozenset(self.hidden_columns.get("*", ()))
        return {
            name: known[name] - hidden_everywhere - frozenset(self.hidden_columns.get(name, ()))
            for name in names
        }


@lru_cache(maxsize=4)
def load_roles(path: Path = ROLES_FILE) -> dict[str, RoleDefinition]:
    """The role definitions of a roles YAML file (the packaged one by default)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict):
        raise InvalidInput(f"role file {path} must map role names to definitions")
    return {str(name): RoleDefinition.model_validate(body) for name, body in raw.items()}


def role_definition(role: str) -> RoleDefinition:
    """The definition of a known role; an unknown role is refused with the known ones."""
    roles = load_roles()
    if role not in roles:
        raise InvalidInput(f"unknown role {role!r}; known roles are {', '.join(sorted(roles))}",
                           role=role, known_roles=sorted(roles))
    return roles[role]


class GuardPolicy(BaseModel):
    """What the SQL guard lets one caller read.

    ``tables`` maps each readable canonical table to its readable columns; every other
    table or column is refused by name. ``row_cap`` bounds the rows returned, ``timeout_s``
    the statement time. ``expand``, when set, rewrites the validated tree (canonical names)
    into the customer's physical tables just before rendering.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    role: str = DEFAULT_ROLE
    tables: dict[str, frozenset[str]] = Field(default_factory=reference_columns)
    row_cap: int = Field(default=DEFAULT_ROW_CAP, ge=1, le=MAX_ROW_CAP)
    timeout_s: float = Field(default=DEFAULT_TIMEOUT_S, gt=0, le=3600)
    expand: Expand | None = None

    @classmethod
    def for_role(cls, role: str = DEFAULT_ROLE, *, row_cap: int = DEFAULT_ROW_CAP,
                 timeout_s: float = DEFAULT_TIMEOUT_S, expand: Expand | None = None,
                 ) -> GuardPolicy:
        """The policy of a role from ``roles.yaml``; the row cap is bounded by the role's."""
        definition = role_definition(role)
        if row_cap < 1:
            raise InvalidInput(f"the row cap must be at least 1, not {row_cap}")
        if timeout_s <= 0:
            raise InvalidInput(f"the query timeout must be positive, not {timeout_s:g} s")
        return cls(role=role, tables=definition.visible(reference_columns()),
                   row_cap=min(row_cap, definition.max_row_cap), timeout_s=timeout_s,
                   expand=expand)

    def narrowed_to_role(self, role: str) -> GuardPolicy:
        """This policy further restricted to what ``role`` may read (never widened)."""
        if role == self.role:
            return self
        definition = role_definition(role)
        visible = definition.visible(reference_columns())
        tables = {name: cols & visible[name] for name, cols in self.tables.items()
                  if name in visible}
        row_cap = min(self.row_cap, definition.max_row_cap)
        if tables == self.tables and row_cap == self.row_cap:
            return self  # the role adds no restriction; keep this policy's name
        return self.model_copy(update={"role": role, "tables": tables, "row_cap": row_cap})

    def with_row_cap(self, max_rows: int | None) -> GuardPolicy:
        """This policy with a smaller row cap asked by the caller (never a larger one)."""
        if max_rows is None or max_rows >= self.row_cap:
            return self
        if max_rows < 1:
            raise InvalidInput(f"max_rows must be at least 1, not {max_rows}")
        return self.model_copy(update={"row_cap": max_rows})

    def known_columns(self) -> dict[str, frozenset[str]]:
        """Every table the guard knows of (reference and policy), with all its columns."""
        known = reference_columns()
        for name, cols in self.tables.items():
            known[name] = known.get(name, frozenset()) | cols
        return known
