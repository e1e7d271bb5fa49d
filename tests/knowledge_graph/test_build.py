"""Building graph.json: deterministic, hashed, refusing broken seeds; loading is checked."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from knowledge_graph import KnowledgeGraphError, load_graph
from knowledge_graph.build import GRAPH_PATH, build_document, content_hash, main, render
from knowledge_graph.paths import SEED_DIR
from tests.knowledge_graph.conftest import load_cases

SEED_ERRORS = load_cases("seed_errors.yaml")


def test_build_is_deterministic_and_hashed() -> None:
    first, second = build_document(), build_document()
    assert render(first) == render(second)
    assert first["content_hash"] == content_hash(first["nodes"], first["edges"])
    shipped = json.loads(GRAPH_PATH.read_text(encoding="utf-8"))
    assert shipped["content_hash"] == first["content_hash"] and shipped["version"] >= 1
    assert shipped["counts"]["nodes"]["defect"] == len(
        [n for n in shipped["nodes"] if n["kind"] == "defect"])


def test_check_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--check"]) == 0
    stale = tmp_path / "graph.json"
    stale.write_text("{}", encoding="utf-8")
    assert main(["--check", "--output", str(stale)]) == 1
    assert main(["--output", str(stale)]) == 0
    assert main(["--check", "--output", str(stale)]) == 0
    capsys.readouterr()


@pytest.mark.parametrize("case", SEED_ERRORS, ids=lambda c: c["name"])
def test_broken_seed_is_refused(tmp_path: Path, case: dict[str, Any]) -> None:
    seed = tmp_path / "seed"
    shutil.copytree(SEED_DIR, seed)
    (seed / case["file"]).write_text(case["text"], encoding="utf-8")
    with pytest.raises(KnowledgeGraphError) as caught:
        build_document(seed)
    for word in case["error"]:
        assert word in str(caught.value), str(caught.value)


@pytest.mark.parametrize("content", ["", "[]", '{"format": "other", "nodes": [], "edges": []}',
                                     '{"format": "andon-quality-graph", "nodes": [{}]}'])
def test_unreadable_graph_files_are_refused(tmp_path: Path, content: str) -> None:
    path = tmp_path / "graph.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(KnowledgeGraphError):
        load_graph(path)
    with pytest.raises(KnowledgeGraphError):
        load_graph(tmp_path / "absent.json")


def test_load_is_cached_and_sees_a_new_file(tmp_path: Path) -> None:
    path = tmp_path / "graph.json"
    shutil.copy(GRAPH_PATH, path)
    first = load_graph(path)
    assert load_graph(path) is first
    time.sleep(0.01)
    path.write_text(GRAPH_PATH.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert load_graph(path) is not first
