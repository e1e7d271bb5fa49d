"""Knowledge graph speed: loading data/graph.json and the common queries.

    python -m benchmarks.kg_load [--runs 20]

Measures, in this process after imports: a cold ``load_graph()`` (cache cleared: read the
JSON, build the networkx graph and the alias indexes), a cached call, and per-call times of
``causes_of``, ``causes_for_characteristic``, ``prior`` and ``classify_event_text``; and, in
a fresh interpreter, the wall time from start to a loaded graph (imports included). Prints
and writes ``benchmarks/results/kg_load.json``. Nothing here is asserted by the tests.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

from benchmarks.results_file import write_results
from knowledge_graph import classify_event_text, load_graph
from knowledge_graph import load as load_module


def _ms(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def _cold() -> object:
    load_module._CACHE.clear()
    return load_graph()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    cold_median, cold_max = _ms(_cold, args.runs)
    graph = load_graph()
    cached_median, _ = _ms(load_graph, args.runs)
    queries = {
        "causes_of_ms": lambda: graph.causes_of("short_shot"),
        "causes_for_characteristic_ms": lambda: graph.causes_for_characteristic("weight", "down"),
        "prior_ms": lambda: graph.prior("process_parameter", "hold_pressure",
                                        characteristic="weight", direction="down",
                                        process="injection_molding"),
        "classify_event_text_ms": lambda: classify_event_text(
            "the housing has a crack near the boss and flash on the parting line", graph),
        "paths_ms": lambda: graph.paths("short_shot"),
    }
    query_figures = {name: round(_ms(fn, args.runs * 5)[0], 3) for name, fn in queries.items()}
    script = ("import time; t=time.perf_counter(); from knowledge_graph import load_graph; "
              "load_graph(); print((time.perf_counter()-t)*1000)")
    fresh = [float(subprocess.run([sys.executable, "-c", script], check=True, text=True,
                                  capture_output=True).stdout) for _ in range(3)]
    figures: dict[str, object] = {
        "nodes": graph.nx.number_of_nodes(),
        "edges": graph.nx.number_of_edges(),
        "defects": len(graph.defect_codes()),
        "causes": len(graph.cause_ids()),
        "cold_load_median_ms": round(cold_median, 1),
        "cold_load_max_ms": round(cold_max, 1),
        "cached_load_ms": round(cached_median, 4),
        "fresh_interpreter_import_and_load_ms": round(statistics.median(fresh), 1),
        **query_figures,
        "runs": args.runs,
    }
    write_results("kg_load", figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
