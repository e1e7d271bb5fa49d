"""``python -m evals.rca``: score root-cause analysis on the demo plant's planted incidents
(top-1 / top-3 per cause kind, decoys) and on AI4I 2020 (the published rules' variables).

    python -m evals.rca
    python -m evals.rca --seeds 11,23 --no-ai4i
    python -m evals.rca --only INC-0 --out /tmp/rca-report
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from evals.monitors.plants import default_duckdb_url, ensure_plant
from evals.rca.ai4i import Ai4iOutcome, run_ai4i
from evals.rca.demo import Outcome, run_demo
from evals.rca.report import DemoSummary, summarise, write_report

REPORTS = Path(__file__).resolve().parents[1] / "reports"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m evals.rca", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="DuckDB URL of the demo plant (built there if missing)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--seeds", default="", help="other seeds to report, comma separated")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the plants")
    parser.add_argument("--only", action="append", default=[],
                        help="keep incidents whose id starts with this (repeatable)")
    parser.add_argument("--no-ai4i", action="store_true", help="skip AI4I 2020")
    parser.add_argument("--data", type=Path, default=SHARED, help="the shared data folder")
    parser.add_argument("--out", type=Path, default=REPORTS, help="report directory")
    parser.add_argument("--min-top1", type=float, default=None,
                        help="exit 1 if top-1 on the main plant is below this fraction")
    return parser.parse_args(argv)


def _demo(seed: int, months: int, url: str | None, args: argparse.Namespace,
          console: Console) -> tuple[DemoSummary, list[Outcome]]:
    url = url or default_duckdb_url(seed, months)
    ensure_plant(url, seed=seed, months=months, rebuild=args.rebuild, say=console.print)
    manifest = Path(url.removeprefix("duckdb:///") + ".manifest.json")
    with Progress(TextColumn(f"seed {seed}"), BarColumn(), MofNCompleteColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("questions", total=None)
        outcomes = run_demo(url, manifest, only=args.only,
                            progress=lambda done, total: bar.update(task, completed=done,
                                                                    total=total))
    return summarise(outcomes, seed, months), outcomes


def _graph() -> str:
    try:
        from knowledge_graph import load_graph

        graph = load_graph()
        return f"version {graph.version}, content {str(graph.content_hash)[:12]}"
    except Exception as error:
        return f"not loaded ({type(error).__name__})"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console(stderr=True)
    main_summary, outcomes = _demo(args.seed, args.months, args.db, args, console)
    heldout = [_demo(int(s), args.months, None, args, console)[0]
               for s in args.seeds.split(",") if s.strip()]
    ai4i: list[Ai4iOutcome] = []
    if not args.no_ai4i:
        folder = args.data / "ai4i2020"
        if (folder / "ai4i2020.csv").is_file():
            ai4i = run_ai4i(folder)
        else:
            console.print(f"AI4I 2020 not found at {folder}; skipped")
    md, _ = write_report(args.out, main_summary, outcomes, ai4i, heldout,
                         {"graph": _graph(), "seed": args.seed, "months": args.months})
    out = Console()
    t = main_summary.total
    out.print(f"demo plant seed {args.seed}: top-1 {100 * t.top1:.1f} %, top-3 "
              f"{100 * t.top3:.1f} % over {t.questions} questions; decoys first: "
              f"{len(main_summary.decoy_top1)}; p50 {main_summary.p50_s} s")
    for row in main_summary.rows:
        out.print(f"  {row.kind:20s} top-1 {100 * row.top1:5.1f} %  top-3 {100 * row.top3:5.1f} %")
    for summary in heldout:
        out.print(f"seed {summary.seed}: top-1 {100 * summary.total.top1:.1f} %, top-3 "
                  f"{100 * summary.total.top3:.1f} %")
    if ai4i:
        out.print(f"AI4I 2020: {sum(a.exact for a in ai4i)} of {len(ai4i)} questions name "
                  "exactly the rules' variables")
    out.print(f"report: {md}")
    if args.min_top1 is not None and t.top1 < args.min_top1:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
