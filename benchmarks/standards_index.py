"""Clause index speed: a build from scratch, an up-to-date re-sync, a one-record change, and
hybrid query latency over the standards eval questions.

    python -m benchmarks.standards_index [--embedders use,e5] [--runs 2]

For each embedder: model load time (first use in a fresh process is not measured here;
the model is loaded once before timing), the median of ``--runs`` builds of the whole
corpus into a new embedded Chroma folder (goal: under 60 s), the re-sync of that folder
with nothing changed, the re-sync after one record's English summary changed (its English entry
alone re-embedded), and p50/p95 of ``search_standards`` over the eval questions. The machine's
load average is recorded with the figures: other jobs on a 2-core machine slow every
number. Writes ``benchmarks/results/standards_index.json``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.results_file import write_results
from evals.standards.dataset import load_questions
from tools.standards import Corpus, SearchArgs, StandardsIndex, default_corpus, search_standards
from tools.standards.embedders import get_embedder


def bench(name: str, runs: int, corpus: Corpus) -> dict[str, object]:
    started = time.perf_counter()
    model = get_embedder(name)
    model.embed_query("warm up")
    load_s = time.perf_counter() - started
    builds = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            folder = Path(tmp) / f"run{run}"
            started = time.perf_counter()
            index, report = StandardsIndex.open(path=folder, embedder=model, corpus=corpus)
            builds.append(time.perf_counter() - started)
            assert report.embedded == report.entries
        started = time.perf_counter()
        _, again = StandardsIndex.open(path=folder, embedder=model, corpus=corpus)
        resync_s = time.perf_counter() - started
        records = list(corpus)
        records[0] = records[0].model_copy(update={"summary_en": records[0].summary_en + "."})
        started = time.perf_counter()
        _, changed = StandardsIndex.open(path=folder, embedder=model, corpus=Corpus(records))
        change_s = time.perf_counter() - started
        questions = load_questions()
        for question in questions[:5]:
            search_standards(SearchArgs(query=question.q), index=index)
        times = []
        for question in questions:
            started = time.perf_counter()
            search_standards(SearchArgs(query=question.q), index=index)
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        f"{name}_model_load_s": round(load_s, 2),
        f"{name}_build_from_scratch_s": round(statistics.median(builds), 2),
        f"{name}_build_runs_s": [round(b, 2) for b in builds],
        f"{name}_entries": report.entries,
        f"{name}_resync_unchanged_s": round(resync_s, 3),
        f"{name}_resync_unchanged_embedded": again.embedded,
        f"{name}_resync_one_change_s": round(change_s, 3),
        f"{name}_resync_one_change_embedded": changed.embedded,
        f"{name}_query_p50_ms": round(statistics.median(times), 1),
        f"{name}_query_p95_ms": round(times[round(0.95 * (len(times) - 1))], 1),
        f"{name}_under_60s": statistics.median(builds) < 60,
    }


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    parser = argparse.ArgumentParser(prog="python -m benchmarks.standards_index")
    parser.add_argument("--embedders", default="use")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args(argv)
    corpus = default_corpus()
    figures: dict[str, object] = {"records": len(corpus), "cores": os.cpu_count(),
                                  "load_average_before": [round(x, 2) for x in os.getloadavg()]}
    for name in [n.strip() for n in args.embedders.split(",") if n.strip()]:
        figures.update(bench(name, args.runs, corpus))
    figures["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    write_results("standards_index", figures)


if __name__ == "__main__":
    main()
