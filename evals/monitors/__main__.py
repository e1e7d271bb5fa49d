"""``python -m evals.monitors``: score a reader backend on the monitor dataset and prove the
compiled SQL against the reference evaluator on DuckDB, PostgreSQL and MariaDB.

    python -m evals.monitors
    python -m evals.monitors --backend deterministic --dialects duckdb --out evals/reports
    python -m evals.monitors --only zh- --no-sql
    python -m evals.monitors --split heldout --no-sql
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from evals.monitors.plants import DEFAULT_SERVERS, DIALECTS
from evals.monitors.report import print_summary, write_reports
from evals.monitors.runner import RunOptions, run_evaluation

REPORTS = Path(__file__).resolve().parents[1] / "reports"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m evals.monitors", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="DuckDB URL of the demo plant (built there if missing; "
                        "default: a file in the temp directory)")
    parser.add_argument("--backend", default="deterministic", help="reader backend")
    parser.add_argument("--split", choices=("main", "heldout", "heldout2", "all"), default="main",
                        help="dataset split: main (monitors*.yaml), heldout (heldout_*.yaml), "
                        "heldout2 (heldout2_*.yaml; never tune a reader on these) or all")
    parser.add_argument("--dialects", default=",".join(DIALECTS),
                        help="dialects of the SQL proof, comma separated")
    parser.add_argument("--pg-server", default=DEFAULT_SERVERS["postgresql"],
                        help="PostgreSQL server URL (a database is created on it)")
    parser.add_argument("--mysql-server", default=DEFAULT_SERVERS["mysql"],
                        help="MariaDB/MySQL server URL (a database is created on it)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the plants")
    parser.add_argument("--only", action="append", default=[],
                        help="keep cases whose id starts with this (repeatable)")
    parser.add_argument("--no-reader", action="store_true", help="skip the reader scoring")
    parser.add_argument("--no-sql", action="store_true", help="skip the SQL proof")
    parser.add_argument("--out", type=Path, default=REPORTS,
                        help="report directory, or a file path whose stem names both reports")
    parser.add_argument("--min-accuracy", type=float, default=None,
                        help="exit 1 if the overall alert-set accuracy is below this fraction")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    dialects = [d.strip() for d in args.dialects.split(",") if d.strip()]
    unknown = [d for d in dialects if d not in DIALECTS]
    if unknown:
        print(f"unknown dialect {unknown[0]!r}; use {', '.join(DIALECTS)}", file=sys.stderr)
        return 2
    options = RunOptions(
        backend=args.backend, split=args.split,
        dialects=["duckdb", *[d for d in dialects if d != "duckdb"]],
        duckdb_url=args.db, servers={"postgresql": args.pg_server, "mysql": args.mysql_server},
        seed=args.seed, months=args.months, rebuild=args.rebuild, only=args.only,
        reader=not args.no_reader, sql=not args.no_sql)
    console = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done)

        report = run_evaluation(options, progress=progress, say=console.print)
    paths = write_reports(report, args.out)
    print_summary(report, Console(), paths)
    overall = report.reader_summary.get("all")
    if args.min_accuracy is not None and (overall is None or overall.alert_accuracy is None
                                          or overall.alert_accuracy < args.min_accuracy):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
