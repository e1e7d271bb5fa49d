"""The unified defect code list: well formed, unambiguous, bilingual, and used by the plant."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

from knowledge_graph import defect_codes as dc
from knowledge_graph.defect_codes import defect_codes_by_code, load_defect_codes, lookup_defect_code
from tests.demo_plant.conftest import load_fixture
from tools.demo_plant import PlantData

CASES = load_fixture("defect_code_lookups.yaml")


def test_list_is_large_bilingual_and_covers_processes() -> None:
    codes = load_defect_codes()
    assert len(codes) >= CASES["min_codes"]
    assert {c.category for c in codes} == set(CASES["categories"])
    covered = {p for c in codes for p in c.processes}
    assert set(CASES["required_processes"]) <= covered
    for code in codes:
        assert code.name_zh and not code.name_zh.isascii(), code.code
        assert code.synonyms_en and code.synonyms_zh, code.code
    assert len({c.code for c in codes}) == len(codes)


def test_no_word_names_two_codes() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for code in load_defect_codes():
        for name in code.all_names():
            owners[dc._normalize(name)].add(code.code)
    clashes = {word: sorted(codes) for word, codes in owners.items() if len(codes) > 1}
    assert clashes == {}


@pytest.mark.parametrize("case", CASES["lookups"], ids=lambda c: c["text"] or "<empty>")
def test_lookup(case: dict[str, str | None]) -> None:
    found = lookup_defect_code(str(case["text"]))
    assert (found.code if found else None) == case["code"]


def test_plant_uses_only_listed_codes_with_their_detection_method(plant: PlantData) -> None:
    known = defect_codes_by_code()
    rows = plant.tables["defects"]
    assert rows
    for _, _, code, _, _, method in rows:
        assert code in known
        assert method == known[code].detection_method


def test_knowledge_graph_imports_nothing_from_the_product() -> None:
    package = Path(dc.__file__).parent
    for source in package.rglob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert name.split(".")[0] not in {"tools", "agents", "server"}, (source, name)
