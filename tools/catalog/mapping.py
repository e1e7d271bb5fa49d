"""A YAML table mapping: lets a database with other table and column names be read as the
reference schema.

For each reference table the mapping says where its rows come from::

    name: my_plant
    dialect: postgres        # dialect of the SQL snippets below (default: sqlglot's own)
    tables:
      parts:                 # one physical source
        source:
          table: ITEM_MASTER
          columns:
            part_id: {column: ITEM_NO}        # a column, named exactly as in the database
            name: {column: DESCRIPTION}
            family: lower(item_group)         # a small SQL expression (sqlglot parses it)
            material: {value: PA66}           # a constant
          where: status = 'active'            # optional filter
      measurements:          # several sources, stacked with UNION ALL (unpivoting)
        sources: [{table: ..., columns: {...}}, {table: ..., columns: {...}}]
      characteristics:       # literal rows the database does not hold (spec limits...)
        rows:
          - {characteristic_id: C1, part_id: P1, name: weight, unit: g, lsl: 9.8, usl: 10.2}
      complaints:
        rows: []             # declared empty

Every non-nullable column of a table must be given; nullable ones default to NULL. A
bare string is SQL: quote identifiers with double quotes ("Torque [Nm]") and text with
single quotes ('MILL-1'). Tables the mapping does not name are read as they are. Queries
keep using canonical names; ``expand`` rewrites each reference into a subquery over the
physical tables, which sqlglot renders in the target dialect.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect

from tools.errors import InvalidInput

if TYPE_CHECKING:
    from tools.database import Database

Scalar = str | int | float | bool | dt.datetime | None


class ColumnForm(BaseModel):
    """The explicit forms of a column expression: exactly one of column, value, sql."""

    model_config = ConfigDict(extra="forbid")
    column: str | None = Field(default=None, description="a physical column, exact spelling")
    value: Scalar = Field(default=None, description="a constant")
    sql: str | None = Field(default=None, description="a row-level SQL expression")


ColumnSpec = ColumnForm | str | bool | int | float | dt.datetime | None


class SourceSpec(BaseModel):
    """One physical table feeding a reference table."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    table: str
    schema_name: str | None = Field(default=None, alias="schema")
    columns: dict[str, ColumnSpec]
    where: str | None = None
    distinct: bool = False


class TableSpec(BaseModel):
    """Where one reference table's rows come from: ``source``, ``sources`` or ``rows``."""

    model_config = ConfigDict(extra="forbid")
    description: str | None = None
    source: SourceSpec | None = None
    sources: list[SourceSpec] | None = None
    rows: list[dict[str, Any]] | None = None

    def all_sources(self) -> list[SourceSpec]:
        return [self.source] if self.source is not None else list(self.sources or [])


class TableMapping(BaseModel):
    """A validated table mapping; ``expand`` is the hook the SQL guard calls."""

    model_config = ConfigDict(extra="forbid")
    version: int = 1
    name: str = "mapping"
    description: str = ""
    dialect: str | None = Field(default=None, description="dialect of the SQL snippets")
    tables: dict[str, TableSpec]
    _relations: dict[str, exp.Expression] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        from tools.catalog.mapping_sql import compile_relations

        if self.version != 1:
            raise InvalidInput(f"mapping {self.name}: version {self.version} is not "
                               "supported; write version: 1")
        if self.dialect is not None:
            try:
                Dialect.get_or_raise(self.dialect)
            except ValueError:
                raise InvalidInput(f"mapping {self.name}: {self.dialect!r} is not a SQL "
                                   "dialect sqlglot knows (e.g. postgres, mysql, duckdb, "
                                   "tsql, oracle)") from None
        self._relations = compile_relations(self)

    # -- loading -------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: Any, origin: str = "mapping") -> TableMapping:
        """Validate a parsed mapping; any problem is one ``InvalidInput`` sentence."""
        if not isinstance(data, dict):
            raise InvalidInput(f"{origin} must be a YAML mapping with a 'tables:' section")
        data = dict(data)
        data.setdefault("name", Path(origin).stem)
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise InvalidInput(f"{origin}: {_first_error(exc)}") from exc

    @classmethod
    def from_yaml(cls, path: Path | str) -> TableMapping:
        """Read and validate a mapping file."""
        path = Path(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise InvalidInput(f"cannot read the table mapping {path}: {exc.strerror}") from exc
        except yaml.YAMLError as exc:
            raise InvalidInput(f"table mapping {path.name} is not valid YAML: "
                               f"{_yaml_problem(exc)}") from exc
        return cls.from_dict(data, origin=path.name)

    @classmethod
    def from_text(cls, text: str, origin: str = "mapping") -> TableMapping:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise InvalidInput(f"table mapping {origin} is not valid YAML: "
                               f"{_yaml_problem(exc)}") from exc
        return cls.from_dict(data, origin=origin)

    # -- use -----------------------------------------------------------------------
    @property
    def mapped_tables(self) -> list[str]:
        """Reference tables this mapping defines (the others are read as they are)."""
        return sorted(self._relations)

    def physical_tables(self) -> list[str]:
        return sorted({s.table for spec in self.tables.values() for s in spec.all_sources()})

    def relation(self, table: str) -> exp.Expression:
        """The SELECT that yields a mapped reference table's rows, in canonical columns."""
        try:
            return self._relations[table].copy()
        except KeyError:
            raise InvalidInput(f"mapping {self.name} does not define table {table!r}") from None

    def expand(self, expression: exp.Expr) -> exp.Expression:
        """Rewrite every canonical table reference into a subquery over physical tables.

        ``FROM measurements m`` becomes ``FROM (SELECT ... FROM "raw") AS m``; unaliased
        references keep their name as alias, so qualified columns still resolve. Names of
        CTEs in the query are left alone. Returns a new tree; the input is not changed.
        """
        from tools.catalog.mapping_sql import expand_tables

        return expand_tables(expression, self._relations)

    def check(self, db: Database) -> None:
        """Raise ``InvalidInput`` unless every physical table and column exists in ``db``
        and every mapped table can be read there."""
        from tools.catalog.mapping_check import check_mapping

        check_mapping(self, db)


def _yaml_problem(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    mark = getattr(exc, "problem_mark", None)
    return f"{problem} at line {mark.line + 1}" if mark is not None else str(problem)


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    location = ".".join(str(x) for x in error["loc"] if not str(x).startswith(("function-",
                                                                                 "union[")))
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = f"unknown key {error['loc'][-1]!r}"
        location = ".".join(str(x) for x in error["loc"][:-1])
    return f"{location}: {message}" if location else message
