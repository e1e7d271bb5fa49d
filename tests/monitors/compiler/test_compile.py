"""The compiled query itself: its columns and window frames per kind of spec
(compile_shapes.yaml), generation for every dialect including Trino, Spark, Snowflake and
T-SQL, what it reads, its size, and refusals."""

from __future__ import annotations

from typing import Any

import pytest
import sqlglot
from sqlglot import exp

from tests.monitors.compiler.tiny_plant import load_cases, load_yaml
from tools.errors import InvalidInput
from tools.monitors.backtest import default_policy
from tools.monitors.compiler import (
    SERVER_DIALECTS,
    TRANSPILE_DIALECTS,
    compile_monitor,
)
from tools.monitors.spec import MonitorSpec, parse_spec
from tools.reference_schema import TABLES_BY_NAME
from tools.sql_guard import guard_sql
from tools.sql_guard.statement_rules import MAX_SQL_CHARS

SHAPES: list[dict[str, Any]] = load_yaml("compile_shapes.yaml")
ALL_SPECS: list[tuple[str, dict[str, Any]]] = (
    [(c["id"], c["spec"]) for c in load_cases()]
    + [(s["id"], s["spec"]) for s in load_yaml("demo_specs.yaml")]
    + [(s["id"], s["spec"]) for s in SHAPES])


def _largest_spec() -> MonitorSpec:
    """Eight pooled cpk conditions on eight characteristics, every scope filter set."""
    names = ["weight", "length", "diameter", "torque", "hardness", "roughness",
             "wall_thickness", "flatness"]
    return parse_spec({
        "conditions": [{"signal": {"measure": "characteristic", "statistic": "cpk",
                                   "name": n}, "comparator": "<", "threshold": 1.33}
                       for n in names],
        "join": "or", "window": {"kind": "time", "hours": 72},
        "scope": {"part_ids": ["P-100", "P-110"], "families": ["housing"],
                  "processes": ["injection_molding"], "line_ids": ["L1"],
                  "machine_ids": ["M1"], "tool_ids": ["T1"], "supplier_ids": ["S1"],
                  "materials": ["PA66"], "shifts": ["A"]}})


@pytest.mark.parametrize("case", SHAPES, ids=[s["id"] for s in SHAPES])
def test_columns_and_frames(case: dict[str, Any]) -> None:
    compiled = compile_monitor(parse_spec(case["spec"]), dialect="duckdb")
    assert list(compiled.columns) == case["columns"]
    assert list(compiled.group_columns) == case["columns"][:-3]
    frames = {(str(s.args["kind"]), int(s.args["start"].this))
              for s in compiled.expression.find_all(exp.WindowSpec)}
    assert frames == {(kind, start) for kind, start in case["frames"]}
    named = any(compiled.expression.find_all(exp.Select)) and any(
        select.args.get("windows") for select in compiled.expression.find_all(exp.Select))
    assert named == case.get("named_window", False)


@pytest.mark.parametrize("dialect", TRANSPILE_DIALECTS)
def test_transpile_targets_generate_every_spec(dialect: str) -> None:
    """Trino, Spark, Snowflake and T-SQL cannot be run here: every spec of the fixtures
    must generate without an unsupported construct (compile_monitor raises on one); the
    demo, shape and largest specs must also read back as one SELECT in that dialect."""
    read_back = {s["id"] for s in [*load_yaml("demo_specs.yaml"), *SHAPES]}
    for spec_id, spec in [*ALL_SPECS, ("largest", _largest_spec().model_dump())]:
        compiled = compile_monitor(parse_spec(spec), dialect=dialect)
        if spec_id in read_back or spec_id == "largest":
            reparsed = sqlglot.parse_one(compiled.sql, read=dialect)
            assert isinstance(reparsed, exp.Select), (spec_id, dialect)


def test_reads_only_canonical_tables() -> None:
    for _, spec in ALL_SPECS:
        tree = compile_monitor(parse_spec(spec), dialect="duckdb").expression
        ctes = {c.alias for c in tree.find_all(exp.CTE)}
        tables = {t.name for t in tree.find_all(exp.Table)} - ctes
        assert tables <= set(TABLES_BY_NAME), tables
        assert not ctes & set(TABLES_BY_NAME)


def test_largest_spec_fits_the_guard() -> None:
    spec = _largest_spec()
    for dialect in SERVER_DIALECTS:
        compiled = compile_monitor(spec, dialect=dialect)
        assert len(compiled.sql) < MAX_SQL_CHARS * 0.75, (dialect, len(compiled.sql))
        guard_sql(compiled.sql, dialect=dialect, policy=default_policy())


def test_values_are_literals_never_sql() -> None:
    hostile = "x'); DROP TABLE batches; --"
    spec = parse_spec({"conditions": [{"signal": {"measure": "parameter",
                                                  "statistic": "value", "name": hostile},
                                       "comparator": ">", "threshold": 1}],
                       "scope": {"line_ids": [hostile]}})
    for dialect in SERVER_DIALECTS:
        compiled = compile_monitor(spec, dialect=dialect)
        literals = {lit.this for lit in sqlglot.parse_one(compiled.sql, read=dialect)
                    .find_all(exp.Literal) if lit.is_string}
        assert hostile in literals
        assert not list(sqlglot.parse_one(compiled.sql, read=dialect).find_all(exp.Drop))


@pytest.mark.parametrize("dialect", ["oracle", "", "DuckDB"])
def test_unknown_dialect_is_refused(dialect: str) -> None:
    spec = parse_spec(ALL_SPECS[0][1])
    with pytest.raises(InvalidInput, match="monitors compile to"):
        compile_monitor(spec, dialect=dialect)


@pytest.mark.parametrize("threshold", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_threshold_is_refused(threshold: float) -> None:
    spec = parse_spec({"conditions": [{"signal": {"measure": "batch",
                                                  "statistic": "defect_rate"},
                                       "comparator": ">", "threshold": threshold}]})
    with pytest.raises(InvalidInput, match="cannot be used"):
        compile_monitor(spec, dialect="duckdb")
