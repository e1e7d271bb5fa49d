"""Reading + compiling speed of the deterministic reader on the demo plant's catalog.

    python -m benchmarks.monitor_read [--repeat 5]

Reads every request of the monitor evaluation dataset (refusals included), grounds it and
compiles it to SQL for DuckDB, and reports p50/p95 per request. The baseline measured in
the same run is sqlglot parsing and re-rendering the compiled SQL (the floor for anything
that builds SQL), so the ratio says how much the reading itself costs on top of that.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import sqlglot
import yaml

from benchmarks.results_file import write_results
from tools.catalog import build_catalog
from tools.database import connect
from tools.demo_plant import build_plant
from tools.errors import AndonError

DATASETS = Path(__file__).resolve().parents[1] / "evals" / "datasets"


def _requests() -> list[str]:
    texts: list[str] = []
    for path in sorted(DATASETS.glob("monitors*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        cases = data["cases"] if isinstance(data, dict) else data
        texts.extend(case["request"] for case in cases)
    return texts


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from tools.monitors.compiler import compile_monitor
    from tools.monitors.reader import read_monitor

    with tempfile.TemporaryDirectory() as tmp:
        url = f"duckdb:///{Path(tmp) / 'plant.duckdb'}"
        build_plant(url)
        with connect(url) as db:
            catalog = build_catalog(db)
    requests = _requests()
    read_ms: list[float] = []
    floor_ms: list[float] = []
    refused = 0
    for _ in range(args.repeat):
        for text in requests:
            started = time.perf_counter()
            try:
                sql = compile_monitor(read_monitor(text, catalog).spec, dialect="duckdb").sql
            except AndonError:
                refused += 1
                read_ms.append((time.perf_counter() - started) * 1000)
                continue
            read_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            sqlglot.parse_one(sql, read="duckdb").sql(dialect="duckdb")
            floor_ms.append((time.perf_counter() - started) * 1000)
    figures = {
        "requests": len(requests), "repeat": args.repeat,
        "refused_share": round(refused / len(read_ms), 3),
        "read_compile_p50_ms": round(statistics.median(read_ms), 2),
        "read_compile_p95_ms": round(_percentile(read_ms, 0.95), 2),
        "sqlglot_roundtrip_p50_ms": round(statistics.median(floor_ms), 2),
    }
    figures["ratio_to_sqlglot_roundtrip"] = round(
        figures["read_compile_p50_ms"] / max(figures["sqlglot_roundtrip_p50_ms"], 1e-9), 2)
    write_results("monitor_read", figures)


if __name__ == "__main__":
    main()
