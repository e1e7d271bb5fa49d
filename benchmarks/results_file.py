"""Where benchmark figures go: ``benchmarks/results/<name>.json`` and the console."""

from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).with_name("results")


def write_results(name: str, figures: dict[str, object]) -> Path:
    """Write the figures of one benchmark run and print them, one per line."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(figures, indent=2) + "\n")
    width = max(len(key) for key in figures)
    for key, value in figures.items():
        print(f"{key:>{width}}: {value}")
    return path
