"""Speed of one root-cause investigation on the demo plant (seed 7, 6 months, DuckDB).

    python -m benchmarks.rca_speed [--repeat 3]

Asks a fixed set of questions (English and Chinese, every kind of measure) with the catalog
built once, as the REST API does, and reports p50/p95 per investigation (goal: under 3 s).
The baseline measured in the same run is the data alone: the very SQL statements each
investigation ran through the guard, run again directly on the database, so the ratio says
what locating, change detection, scoring, evidence and narrative cost on top of reading.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.results_file import write_results
from tools.catalog import build_catalog
from tools.database import connect
from tools.demo_plant import build_plant
from tools.rca import default_policy, investigate
from tools.rca.data import PlantReader

QUESTIONS = (
    "Why did the weight of P-100 drop in late May?",
    "Why did short shot defects on P-100 increase in mid July?",
    "P-110的重量波动为什么在8月上旬上升？",
    "Why did warpage defects on P-110 increase in late September?",
    "为什么P-120划伤不良从7月22日起升高了？",
    "Why did the length of P-200 go up in mid July?",
    "P-210的起皱为什么在6月上旬升高？",
    "Why did the diameter of P-300 jump in late May?",
    "Why did the roughness of P-310 rise in late September?",
    "为什么P-400扭矩均值从7月22日起变大了？",
    "Why did the yield of P-410 fall since August 15?",
    "Why did the cobalt content of incoming lots decrease in early August?",
)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"duckdb:///{Path(tmp) / 'plant.duckdb'}"
        build_plant(url, seed=7, months=6)
        with connect(url) as db:
            catalog = build_catalog(db)
            investigate(QUESTIONS[0], db=db, catalog=catalog)  # warm caches (graph, index)
            full: list[float] = []
            data: list[float] = []
            queries: list[int] = []
            for _ in range(args.repeat):
                for question in QUESTIONS:
                    reader = PlantReader(db, default_policy())
                    started = time.perf_counter()
                    investigate(question, db=db, catalog=catalog, reader=reader)
                    full.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    for sql in reader.log:
                        db.query(sql)
                    data.append(time.perf_counter() - started)
                    queries.append(len(reader.log))
    figures: dict[str, object] = {
        "questions": len(QUESTIONS), "repeat": args.repeat,
        "investigation_p50_s": round(statistics.median(full), 3),
        "investigation_p95_s": round(_percentile(full, 0.95), 3),
        "investigation_max_s": round(max(full), 3),
        "queries_per_investigation_p50": statistics.median(queries),
        "baseline_data_queries_alone_p50_s": round(statistics.median(data), 3),
    }
    figures["ratio_to_data_queries"] = round(
        float(figures["investigation_p50_s"]) / max(statistics.median(data), 1e-9), 2)  # type: ignore[arg-type]
    figures["goal_under_3_s"] = float(figures["investigation_p50_s"]) < 3.0  # type: ignore[arg-type]
    write_results("rca_speed", figures)


if __name__ == "__main__":
    main()
