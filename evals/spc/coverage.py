"""Which published results of reference_values.json the checks cover."""

from __future__ import annotations

import re
from typing import Any

from evals.spc.reference import Check, reference

# Keys of reference_values.json that are inputs or comments, not published results.
INPUT_KEYS = frozenset({"data", "rows_removed_1based", "spec", "target", "lambda", "nsigmas",
                        "size", "excluded_samples", "x", "src", "note", "phase1", "phase2",
                        "rule", "caution"})


def _norm(path: str) -> str:
    return re.sub(r"\[(\d+)\]", r".\1", path.replace("/", "."))


def _leaves(node: Any, path: str) -> list[str]:
    if isinstance(node, dict):
        return [leaf for key, value in node.items() if key not in INPUT_KEYS
                for leaf in _leaves(value, f"{path}.{key}")]
    if isinstance(node, list) and node:
        return [leaf for i, value in enumerate(node) for leaf in _leaves(value, f"{path}.{i}")]
    return [path]


def published_leaves() -> list[str]:
    """Every published V/M/T result of reference_values.json: each number, each flagged
    subgroup, each "none" (paths with ``.`` separators)."""
    ref = reference()
    return [leaf for top in ("checks", "more_published_values")
            for key, value in ref[top].items() if key != "montgomery_book_values_unverified"
            for leaf in _leaves(value, f"{top}.{key}")]


def coverage(checks: list[Check]) -> tuple[list[str], list[str]]:
    """(published V/M/T leaves, those no check covers)."""
    covered = [_norm(c.path) for c in checks if c.source != "B"]
    leaves = published_leaves()
    missing = [leaf for leaf in leaves
               if not any(leaf == p or leaf.startswith(p + ".") for p in covered)]
    return leaves, missing
