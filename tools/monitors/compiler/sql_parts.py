"""Small sqlglot builders the compiler assembles its query from.

Every value a spec carries (names, ids, thresholds) enters the tree as a literal node,
never as SQL text. Arithmetic is written so that it means the same in every dialect:
ratios divide doubles (PostgreSQL and SQLite divide integers, MariaDB rounds decimal
quotients to four places), denominators go through NULLIF (PostgreSQL raises on a
division by zero), and truth values are the integers 1 and 0 (T-SQL has no booleans).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from sqlglot import exp

from tools.errors import InvalidInput


def col(name: str, table: str | None = None) -> exp.Column:
    """A column, qualified with its table alias when given."""
    return exp.column(name, table=table)


def text(value: str) -> exp.Literal:
    """A string literal (the spec's names and ids)."""
    return exp.Literal.string(value)


def number(value: float) -> exp.Expr:
    """A numeric literal; a non-finite number is refused (no dialect can compare it)."""
    if isinstance(value, bool) or not math.isfinite(value):
        raise InvalidInput(f"the number {value!r} cannot be used in a monitor")
    if float(value).is_integer() and abs(value) < 2 ** 53:
        return exp.Literal.number(int(value))
    return exp.Literal.number(repr(float(value)))


def as_double(expression: exp.Expr) -> exp.Expr:
    return exp.cast(expression, exp.DataType.build("DOUBLE"))


def as_bigint(expression: exp.Expr) -> exp.Expr:
    return exp.cast(expression, exp.DataType.build("BIGINT"))


def as_text(expression: exp.Expr) -> exp.Expr:
    return exp.cast(expression, exp.DataType.build("TEXT"))


_PRECEDENCE: dict[type[exp.Expr], int] = {exp.Add: 1, exp.Sub: 1, exp.Mul: 2, exp.Div: 2}


def _operand(node: exp.Expr, parent: int, right: bool) -> exp.Expr:
    """The operand, parenthesised where the parent's precedence would bind it wrongly
    (sqlglot renders trees as built, without adding parentheses)."""
    own = _PRECEDENCE.get(type(node), 3)
    if own < parent or (right and own == parent):
        return exp.Paren(this=node)
    return node


def _binary(cls: type[exp.Binary], left: exp.Expr, right: exp.Expr) -> exp.Expr:
    level = _PRECEDENCE[cls]
    return cls(this=_operand(left, level, False), expression=_operand(right, level, True))


def add(left: exp.Expr, right: exp.Expr) -> exp.Expr:
    return _binary(exp.Add, left, right)


def sub(left: exp.Expr, right: exp.Expr) -> exp.Expr:
    return _binary(exp.Sub, left, right)


def mul(left: exp.Expr, right: exp.Expr) -> exp.Expr:
    return _binary(exp.Mul, left, right)


def div(left: exp.Expr, right: exp.Expr) -> exp.Expr:
    return _binary(exp.Div, left, right)


def ratio(numerator: exp.Expr, denominator: exp.Expr) -> exp.Expr:
    """numerator / denominator as doubles; NULL when the denominator is 0 or NULL."""
    return div(as_double(numerator),
               exp.Nullif(this=as_double(denominator), expression=exp.Literal.number(0)))


def floor_div(numerator: exp.Expr, denominator: float) -> exp.Expr:
    """FLOOR(numerator / denominator) on doubles: the same in every dialect (integer
    division truncates in PostgreSQL and SQLite and is a float division in DuckDB)."""
    return exp.Floor(this=div(as_double(numerator), number(denominator)))


def case(*whens: tuple[exp.Expr, exp.Expr], default: exp.Expr | None = None) -> exp.Case:
    """CASE WHEN ... THEN ... [ELSE default] END (NULL where nothing matches)."""
    node = exp.Case()
    for condition, value in whens:
        node = node.when(condition, value)
    return node.else_(default) if default is not None else node


def flag(condition: exp.Expr) -> exp.Case:
    """1 where the condition holds, 0 where it does not or is NULL."""
    return case((condition, exp.Literal.number(1)), default=exp.Literal.number(0))


def is_in(expression: exp.Expr, values: Iterable[str]) -> exp.In:
    return exp.In(this=expression, expressions=[text(v) for v in values])


def and_all(conditions: Sequence[exp.Expr]) -> exp.Expr | None:
    if not conditions:
        return None
    return exp.and_(*conditions) if len(conditions) > 1 else conditions[0]


def alias(expression: exp.Expr, name: str) -> exp.Expr:
    return exp.alias_(expression, name)


def frame(kind: str, preceding: int, end_preceding: int | None = None) -> exp.WindowSpec:
    """``ROWS|RANGE BETWEEN <preceding> PRECEDING AND CURRENT ROW``, or ``AND
    <end_preceding> PRECEDING`` when given (a frame that ends before the current row)."""
    start = exp.Literal.number(preceding)
    if end_preceding is None:
        return exp.WindowSpec(kind=kind, start=start, start_side="PRECEDING",
                              end="CURRENT ROW")
    return exp.WindowSpec(kind=kind, start=start, start_side="PRECEDING",
                          end=exp.Literal.number(end_preceding), end_side="PRECEDING")


def over(function: exp.Expr, partition: Sequence[exp.Expr],
         order: Sequence[exp.Expr], spec: exp.WindowSpec | None = None) -> exp.Window:
    """``function OVER (PARTITION BY ... ORDER BY ... [frame])``."""
    window = exp.Window(this=function, partition_by=[p.copy() for p in partition],
                        order=exp.Order(expressions=[exp.Ordered(this=o.copy())
                                                     for o in order]),
                        over="OVER")
    if spec is not None:
        window.set("spec", spec)
    return window


def cte(name: str, query: exp.Expr) -> exp.CTE:
    return exp.CTE(this=query, alias=exp.TableAlias(this=exp.to_identifier(name)))


def table(name: str, alias_name: str | None = None) -> exp.Table:
    node = exp.Table(this=exp.to_identifier(name))
    if alias_name:
        node.set("alias", exp.TableAlias(this=exp.to_identifier(alias_name)))
    return node
