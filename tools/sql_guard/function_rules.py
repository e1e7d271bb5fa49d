"""Function rules: an allowlist of sqlglot's typed function classes and a few anonymous
names, an explicit denylist so a refusal names the function, and the types a CAST may target.
The lists live in ``functions.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sqlglot import exp

from tools.sql_guard.statement_rules import reject

FUNCTIONS_FILE = Path(__file__).with_name("functions.yaml")

# Function nodes whose name is whatever the user wrote, not a sqlglot type.
_NAMED_BY_USER: tuple[type[exp.Expression], ...] = tuple(
    cls for cls in (getattr(exp, n, None) for n in (
        "Anonymous", "AnonymousAggFunc", "CombinedAggFunc", "ParameterizedAgg",
        "CombinedParameterizedAgg"))
    if isinstance(cls, type))


@dataclass(frozen=True)
class FunctionRules:
    """The function lists of ``functions.yaml`` resolved against the installed sqlglot."""

    allowed: frozenset[type[exp.Expression]]
    allowed_anonymous: frozenset[str]
    denied_expressions: frozenset[type[exp.Expression]]
    denied: frozenset[str]
    denied_prefixes: tuple[str, ...]
    allowed_cast_types: frozenset[exp.DType]
    unknown_names: tuple[str, ...]
    """Class or type names in the file that the installed sqlglot does not define."""

    def is_denied_name(self, name: str) -> bool:
        lowered = name.lower()
        return lowered in self.denied or lowered.startswith(self.denied_prefixes)


def _classes(names: list[str], unknown: list[str]) -> frozenset[type[exp.Expression]]:
    found: set[type[exp.Expression]] = set()
    for name in names:
        cls = getattr(exp, name, None)
        if isinstance(cls, type) and issubclass(cls, exp.Expression):
            found.add(cls)
        else:
            unknown.append(name)
    return frozenset(found)


@lru_cache(maxsize=4)
def load_function_rules(path: Path = FUNCTIONS_FILE) -> FunctionRules:
    """The function rules of a YAML file (the packaged ``functions.yaml`` by default)."""
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    unknown: list[str] = []
    allowed_names = [name for group in raw["allowed_expressions"].values() for name in group]
    cast_types: set[exp.DType] = set()
    for name in raw["allowed_cast_types"]:
        member = exp.DType.__members__.get(name)
        if member is None:
            unknown.append(name)
        else:
            cast_types.add(member)
    return FunctionRules(
        allowed=_classes(allowed_names, unknown),
        allowed_anonymous=frozenset(n.lower() for n in raw["allowed_anonymous"]),
        denied_expressions=_classes(raw["denied_expressions"], unknown),
        denied=frozenset(n.lower() for n in raw["denied"]),
        denied_prefixes=tuple(p.lower() for p in raw["denied_prefixes"]),
        allowed_cast_types=frozenset(cast_types),
        unknown_names=tuple(unknown),
    )


def function_name(node: exp.Func) -> str:
    """The function's name as a person would write it (``pg_sleep``, ``READ_CSV``)."""
    if isinstance(node, _NAMED_BY_USER):
        return str(node.name or node.this)
    return node.sql_name()


def _check_function(node: exp.Func, rules: FunctionRules) -> None:
    name = function_name(node)
    if isinstance(node, _NAMED_BY_USER):
        if rules.is_denied_name(name):
            raise reject(f"the function {name} is denied (side effects, file or system access)",
                         "denied_function", function=name)
        if name.lower() not in rules.allowed_anonymous:
            raise reject(f"the function {name} is not on the list of allowed functions",
                         "unknown_function", function=name)
        return
    if type(node) in rules.denied_expressions or rules.is_denied_name(name):
        raise reject(f"the function {name} is denied (side effects, file or system access)",
                     "denied_function", function=name)
    if type(node) not in rules.allowed:
        raise reject(f"the function {name} is not on the list of allowed functions",
                     "function_not_allowed", function=name)


def _check_cast_type(node: exp.DataType, rules: FunctionRules) -> None:
    if isinstance(node.parent, exp.DataType):
        return  # a nested type parameter; its outer type is checked
    kind = node.this
    if kind not in rules.allowed_cast_types:
        label = node.sql() or str(kind)
        raise reject(f"casting to the type {label} is not allowed", "cast_type", type=label)


def check_functions(root: exp.Expr, rules: FunctionRules | None = None) -> None:
    """Refuse any function (in expressions or as a table) not on the allowlist, and any
    cast to a type outside the allowed scalar types."""
    rules = rules or load_function_rules()
    for node in root.walk():
        if isinstance(node, exp.Func):
            _check_function(node, rules)
        elif isinstance(node, exp.DataType):
            _check_cast_type(node, rules)
