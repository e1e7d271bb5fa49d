"""The bilingual lexicon (cases in tests/fixtures/catalog/lexicon_cases.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.catalog.plant_db import CATALOG_FIXTURES, load_fixture
from tools.catalog import Catalog, Lexicon
from tools.catalog.terms import normalize_text
from tools.units import CANONICAL_UNITS, normalize_unit

CASES = load_fixture("lexicon_cases.yaml")
MONITOR_STATISTICS = {"mean", "stdev", "range", "min", "max", "median", "count",
                      "out_of_spec_rate", "cpk", "defect_rate", "yield", "qty_defective",
                      "pass_rate", "relative_change"}
COMPARATORS = {">", ">=", "<", "<=", "==", "!="}


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.load()


def _triples(lexicon: Lexicon, text: str) -> list[tuple[str, str, str]]:
    return [(m.text, t.kind, t.concept) for m in lexicon.find_in(text) for t in m.terms]


def _assert_in_order(found: list[tuple[str, str, str]], expected: list[list[str]]) -> None:
    position = 0
    for triple in (tuple(e) for e in expected):
        try:
            position = found.index(triple, position) + 1  # type: ignore[arg-type]
        except ValueError:
            pytest.fail(f"{triple} not found in order in {found}")


@pytest.mark.parametrize("case", CASES["lookup"],
                         ids=[f"{c['text']}-{c['concept']}" for c in CASES["lookup"]])
def test_lookup(lexicon: Lexicon, case: dict) -> None:
    readings = lexicon.lookup(case["text"])
    wanted = [t for t in readings if (t.kind, t.concept) == (case["kind"], case["concept"])]
    assert wanted, f"{case['text']!r} reads as {[(t.kind, t.concept) for t in readings]}"
    assert any(t.denotes_parts == case.get("denotes_parts", False) for t in wanted)
    assert all(t.language in ("en", "zh") for t in readings)


@pytest.mark.parametrize("text", CASES["unknown"])
def test_unknown_phrases_have_no_reading(lexicon: Lexicon, text: str) -> None:
    assert lexicon.lookup(text) == []


@pytest.mark.parametrize("case", CASES["find_in"], ids=[c["text"][:30] for c in CASES["find_in"]])
def test_find_in_sentence(lexicon: Lexicon, case: dict) -> None:
    found = _triples(lexicon, case["text"])
    _assert_in_order(found, case["expect"])
    concepts = {concept for _, _, concept in found}
    for concept in case.get("absent", []):
        assert concept not in concepts, (concept, found)
    texts = {text.casefold() for text, _, _ in found}
    for text in case.get("absent_text", []):
        assert text.casefold() not in texts, (text, found)
    for match in lexicon.find_in(case["text"]):  # offsets index the original text
        assert case["text"][match.start:match.end] == match.text


def _catalog_of(fixture: str) -> Catalog:
    """A catalog assembled from a plant fixture's rows, without a database."""
    tables = load_fixture(fixture)["tables"]

    def records(name: str) -> list[dict]:
        return [dict(zip(tables[name]["columns"], r, strict=True)) for r in tables[name]["rows"]]

    return Catalog.model_validate({
        "schema_version": 1, "dialect": "none", "tables_present": list(tables),
        "tables_missing": [], "parts": records("parts"),
        "characteristics": records("characteristics"), "lines": records("lines"),
        "machines": records("machines"), "suppliers": records("suppliers"),
        "parameters": [{"name": n} for n in {r["name"] for r in records("process_parameters")}],
        "inspection_characteristics": [{"name": n} for n in {
            r["characteristic"] for r in records("incoming_inspections")}],
        "shifts": sorted({r["shift"] for r in records("batches")}),
    })


@pytest.mark.parametrize("case", CASES["catalog_terms"]["cases"],
                         ids=[c["text"][:30] for c in CASES["catalog_terms"]["cases"]])
def test_catalog_names_extend_the_lexicon(lexicon: Lexicon, case: dict) -> None:
    catalog = _catalog_of(CASES["catalog_terms"]["catalog"])
    extended = lexicon.extended(catalog.terms())
    _assert_in_order(_triples(extended, case["text"]), case["expect"])
    assert len(lexicon.terms) < len(extended.terms)  # the shared lexicon is untouched


def test_vocabulary_agrees_with_units_and_monitor_semantics(lexicon: Lexicon) -> None:
    for concept in lexicon.concepts("unit"):
        assert concept in CANONICAL_UNITS, concept
        for term in lexicon.forms(concept, "unit"):
            if term.language == "en":
                assert normalize_unit(term.text) == concept, term
    assert set(lexicon.concepts("statistic")) == MONITOR_STATISTICS
    assert set(lexicon.concepts("comparator")) == COMPARATORS
    for kind in ("characteristic", "statistic", "comparator", "family", "process", "role"):
        for concept in lexicon.concepts(kind):
            languages = {t.language for t in lexicon.forms(concept, kind)}
            assert languages == {"en", "zh"}, (kind, concept, languages)


def test_defect_code_list_is_read_when_present(tmp_path: Path) -> None:
    codes = tmp_path / "defect_codes.yaml"
    codes.write_text(yaml.safe_dump({"codes": [
        {"code": "SHORT_SHOT", "name_en": "short shot", "name_zh": "短射",
         "synonyms": {"en": ["incomplete fill"], "zh": ["缺料"]},
         "description": "the cavity is not filled", "category": "appearance"},
        {"code": "FLASH", "name": {"en": "flash", "zh": "飞边"}, "aliases": ["毛边"]},
    ]}, allow_unicode=True), encoding="utf-8")
    lexicon = Lexicon.load(defect_codes=codes)
    found = _triples(lexicon, "注塑件缺料和毛边超过5次, incomplete fill")
    _assert_in_order(found, [["缺料", "defect", "SHORT_SHOT"], ["毛边", "defect", "FLASH"],
                             ["incomplete fill", "defect", "SHORT_SHOT"]])
    assert not lexicon.lookup("the cavity is not filled")
    assert Lexicon.load(defect_codes=tmp_path / "absent.yaml").lookup("短射") == []


def test_normalization_folds_width_case_and_separators() -> None:
    assert normalize_text("  Ｗａｌｌ_Thickness  ") == "wall thickness"
    assert normalize_text("µm") == normalize_text("μm")
    assert normalize_text("℃") == normalize_text("°C")


def test_lexicon_file_is_where_the_loader_looks() -> None:
    assert (CATALOG_FIXTURES.parents[2] / "tools" / "catalog" / "lexicon.yaml").is_file()


def test_project_defect_codes_are_words(lexicon: Lexicon) -> None:
    defect_codes = pytest.importorskip("knowledge_graph.defect_codes")
    codes = defect_codes.load_defect_codes()
    assert codes
    for code in codes:
        for name in (code.name_en, code.name_zh, *code.synonyms_zh):
            readings = {(t.kind, t.concept) for t in lexicon.lookup(name)}
            assert ("defect", code.code) in readings, (name, readings)
