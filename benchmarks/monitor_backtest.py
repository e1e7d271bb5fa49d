"""Backtest speed: one monitor over 10 million measurements (2 million batches) on DuckDB.

    python -m benchmarks.monitor_backtest [--batches 2000000] [--runs 5]

Measures the compiled SQL (``tools.monitors.backtest``, through the SQL guard) against two
baselines run on the same data in the same run: the independent pandas reference evaluator
(``evals.monitors.reference``) and a straightforward gaps-and-islands window query with text
keys. Prints and writes the times and the ratios; asserts nothing about time, but checks that
all three give the same alerts.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import duckdb

from benchmarks.results_file import write_results
from benchmarks.synthetic_plant import make_big_plant
from tools.database import connect
from tools.monitors.alerts import Alert
from tools.monitors.spec import Condition, MonitorSpec, Signal, Window

T = TypeVar("T")
SPEC = MonitorSpec(
    conditions=(Condition(signal=Signal(measure="characteristic", statistic="stdev",
                                        name="weight", unit="g"),
                          comparator=">", threshold=0.2),),
    window=Window(kind="consecutive", n=2))
# The straightforward query: join everything, aggregate, then islands of consecutive hits.
NAIVE_SQL = """
WITH u AS (
  SELECT b.part_id, b.batch_id, b.started_at, STDDEV_SAMP(m.value) AS v
  FROM measurements m
  JOIN characteristics c ON c.characteristic_id = m.characteristic_id
  JOIN batches b ON b.batch_id = m.batch_id
  WHERE c.name = 'weight'
  GROUP BY b.part_id, b.batch_id, b.started_at),
f AS (SELECT *, CASE WHEN v > 0.2 THEN 1 ELSE 0 END AS hit,
             ROW_NUMBER() OVER (PARTITION BY part_id ORDER BY started_at, batch_id) AS rn
      FROM u),
g AS (SELECT *, rn - ROW_NUMBER() OVER (PARTITION BY part_id, hit
                                         ORDER BY started_at, batch_id) AS island
      FROM f),
r AS (SELECT *, ROW_NUMBER() OVER (PARTITION BY part_id, hit, island
                                    ORDER BY started_at, batch_id) AS run_len
      FROM g)
SELECT part_id, batch_id, started_at, v FROM r WHERE hit = 1 AND run_len = 2
"""


def _timed(fn: Callable[[], T], runs: int) -> tuple[float, T]:
    times: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _keys(alerts: list[Alert]) -> set[tuple[str, str]]:
    return {(a.group["part_id"], a.unit_id) for a in alerts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=2_000_000)
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", type=Path, default=Path("var/bench"))
    parser.add_argument("--skip-reference", action="store_true")
    args = parser.parse_args()

    from tools.monitors.backtest import backtest

    args.data.mkdir(parents=True, exist_ok=True)
    path = args.data / f"plant_{args.batches}x{args.samples}.duckdb"
    generated = 0.0 if path.exists() else make_big_plant(path, batches=args.batches,
                                                         samples=args.samples)
    url = f"duckdb:///{path}"
    figures: dict[str, object] = {"batches": args.batches,
                                  "measurements": args.batches * args.samples,
                                  "generated_s": round(generated, 2)}
    with connect(url) as db:
        backtest(SPEC, db=db)  # warm-up: file cache, catalog pages
        compiled_s, result = _timed(lambda: backtest(SPEC, db=db), args.runs)
    alerts = result.alerts
    figures.update(compiled_s=round(compiled_s, 3), alerts=len(alerts))

    con = duckdb.connect(str(path), read_only=True)
    con.execute("SET enable_progress_bar = false")
    naive_s, naive_rows = _timed(lambda: con.execute(NAIVE_SQL).fetchall(), max(2, args.runs // 2))
    con.close()
    naive = {(r[0], r[1]) for r in naive_rows}
    figures.update(naive_sql_s=round(naive_s, 3), naive_ratio=round(naive_s / compiled_s, 2),
                   naive_agrees=naive == _keys(alerts))

    if not args.skip_reference:
        from evals.monitors.reference import reference_alerts

        reference_s, reference = _timed(lambda: reference_alerts(SPEC, url), 1)
        figures.update(reference_pandas_s=round(reference_s, 2),
                       reference_ratio=round(reference_s / compiled_s, 1),
                       reference_agrees=_keys(reference) == _keys(alerts))

    write_results("monitor_backtest", figures)


if __name__ == "__main__":
    main()
