"""Build ``data/graph.json`` from the seed files and the code list.

``python -m knowledge_graph.build`` rewrites it; ``--check`` exits 1 when it is stale.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from knowledge_graph.paths import FORMAT, GRAPH_PATH
from knowledge_graph.seed import load_seed


def content_hash(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> str:
    """sha256 of the canonical JSON of the nodes and edges."""
    canonical = json.dumps({"nodes": nodes, "edges": edges}, sort_keys=True,
                           ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def build_document(seed_dir: Path | None = None, codes_path: Path | None = None) -> dict[str, Any]:
    """The graph.json document the seed describes (deterministic: sorted nodes and edges)."""
    seed = load_seed(seed_dir, codes_path)
    nodes = sorted((n.model_dump(mode="json") for n in seed.nodes), key=lambda n: n["id"])
    edges = sorted((e.model_dump(mode="json", exclude_none=True) for e in seed.edges),
                   key=lambda e: (e["source"], e["kind"], e.get("direction", ""), e["target"]))
    processes = Counter(p for n in nodes if n["kind"] == "defect"
                        for p in n["attrs"].get("processes", []))
    return {
        "format": FORMAT,
        "version": seed.version,
        "content_hash": content_hash(nodes, edges),
        "counts": {
            "nodes": dict(sorted(Counter(n["kind"] for n in nodes).items())),
            "edges": dict(sorted(Counter(e["kind"] for e in edges).items())),
            "defects_by_process": dict(sorted(processes.items())),
        },
        "nodes": nodes,
        "edges": edges,
    }


def render(document: dict[str, Any]) -> str:
    """The file text: one node or edge per line keeps diffs readable."""
    head = {k: v for k, v in document.items() if k not in ("nodes", "edges")}
    lines = ["{"]
    for key, value in head.items():
        lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},")
    for key in ("nodes", "edges"):
        items = [json.dumps(item, ensure_ascii=False, sort_keys=True) for item in document[key]]
        lines.append(f"  {json.dumps(key)}: [")
        lines.extend(f"    {item}," for item in items[:-1])
        if items:
            lines.append(f"    {items[-1]}")
        lines.append("  ]," if key == "nodes" else "  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def is_stale(path: Path | None = None) -> bool:
    """Whether the shipped graph.json differs from what the seed builds."""
    path = path or GRAPH_PATH
    try:
        shipped = path.read_text(encoding="utf-8")
    except OSError:
        return True
    return shipped != render(build_document())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge_graph.build",
                                     description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 when graph.json is stale")
    parser.add_argument("--output", type=Path, default=GRAPH_PATH)
    args = parser.parse_args(argv)
    document = build_document()
    text = render(document)
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.is_file() else ""
        if current != text:
            print(f"{args.output} is stale: run python -m knowledge_graph.build", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date ({document['content_hash']})")
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}: version {document['version']}, {document['content_hash']}, "
          f"{json.dumps(document['counts'], ensure_ascii=False)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
