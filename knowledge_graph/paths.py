"""Where the shipped graph lives and what its format is called."""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
GRAPH_PATH = DATA_DIR / "graph.json"
SEED_DIR = DATA_DIR / "seed"
FORMAT = "andon-quality-graph"
