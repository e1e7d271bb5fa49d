"""ISO weeks (UTC) as the compiler computes them, on DuckDB, PostgreSQL, MariaDB and
SQLite: the label and Monday of every time in tests/fixtures/monitors/compiler/
iso_weeks.yaml, through the SQL guard, must be the ones written there."""

from __future__ import annotations

from sqlglot import exp

from tests.monitors.compiler.conftest import CASE_DIALECTS
from tests.monitors.compiler.tiny_plant import CasePlant, load_yaml, utc
from tools.monitors.backtest import default_policy
from tools.monitors.compiler.dialects import epoch_micros
from tools.monitors.compiler.sql_parts import alias, as_bigint, col, cte, table
from tools.monitors.compiler.weeks import week_ctes, week_of_micros
from tools.sql_guard import guard_sql

TIMES: list[list[str]] = load_yaml("iso_weeks.yaml")


def _week_of_each_batch(dialect: str) -> str:
    """Each batch's week id and Monday, computed as the compiler computes weeks."""
    def week(alias_name: str) -> exp.Expr:
        return as_bigint(week_of_micros(epoch_micros(col("started_at", alias_name), dialect)))

    plant_weeks = exp.select(alias(week("b"), "w")).distinct().from_(table("batches", "b"))
    query = exp.select(col("batch_id", "bb"), col("week_id", "wk"), col("week_start", "wk")
                       ).from_(table("batches", "bb")).join(
        table("weeks", "wk"), on=exp.EQ(this=col("w", "wk"), expression=week("bb"))
    ).order_by(col("batch_id", "bb"))
    query.set("with_", exp.With(expressions=[cte("plant_weeks", plant_weeks),
                                             *week_ctes("plant_weeks", dialect)]))
    return query.sql(dialect=dialect)


def test_iso_weeks_agree_on_every_dialect(case_plants: dict[str, CasePlant]) -> None:
    batches = [[f"B{i:02d}", "P1", at] for i, (at, _, _) in enumerate(TIMES)]
    expected = [(f"B{i:02d}", label, utc(monday)) for i, (_, label, monday) in enumerate(TIMES)]
    for at, label, _ in TIMES:  # the fixture itself agrees with Python's calendar
        year, number, _ = utc(at).isocalendar()
        assert label == f"{year}-W{number:02d}"
    for dialect in CASE_DIALECTS:
        plant = case_plants[dialect]
        plant.load({"batches": batches})
        guarded = guard_sql(_week_of_each_batch(dialect), dialect=dialect,
                            policy=default_policy())
        rows = plant.db.query(guarded.sql).rows
        got = [(str(b), str(label), utc(str(monday)) if isinstance(monday, str) else monday)
               for b, label, monday in rows]
        assert got == expected, dialect
