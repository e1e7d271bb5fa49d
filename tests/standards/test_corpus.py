"""The corpus is well-formed and agrees with the shared clause lists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tools.standards import ClauseRecord, Corpus
from tools.standards.refs import STANDARDS, well_formed

MINIMUM = {"ISO 9001": 70, "IATF 16949": 90, "VDA 6.3": 40, "ISO 13485": 60,
           "21 CFR Part 11": 15, "AIAG APQP": 5, "AIAG PPAP": 20, "AIAG-VDA FMEA": 10,
           "AIAG MSA": 4, "AIAG SPC": 4, "AIAG CQI-9": 3, "AIAG CQI-11": 3, "AIAG CQI-12": 3,
           "AIAG CQI-15": 3, "AIAG CQI-23": 3}


def test_corpus_is_well_formed(corpus: Corpus) -> None:
    assert corpus.problems() == []


def test_every_standard_is_covered(corpus: Corpus) -> None:
    counts = corpus.counts()
    assert set(counts) == set(STANDARDS)
    for standard, least in MINIMUM.items():
        assert counts[standard] >= least, standard


@pytest.mark.parametrize(("standard", "clause", "ok"), [
    ("ISO 9001", "8.5.1", True), ("ISO 9001", "11.1", False), ("IATF 16949", "8", False),
    ("IATF 16949", "7.1.5.1.1", True), ("VDA 6.3", "P6.4", True), ("VDA 6.3", "6.4", False),
    ("VDA 6.3", "P8", False), ("21 CFR Part 11", "11.10(e)", True),
    ("21 CFR Part 11", "11.10e", False), ("AIAG MSA", "III-B", True), ("AIAG MSA", "3", False),
    ("AIAG CQI-9", "PT", True), ("AIAG CQI-9", "4", False), ("AIAG APQP", "7", False)])
def test_clause_formats(standard: str, clause: str, ok: bool) -> None:
    assert well_formed(standard, clause) is ok


@pytest.mark.parametrize("fault", ["malformed", "duplicate", "related"])
def test_problems_are_found(corpus: Corpus, fault: str) -> None:
    record = corpus.by_key("IATF 16949 10.2.3")
    assert record is not None
    extra: list[ClauseRecord] = {
        "malformed": [record.model_copy(update={"clause": "10.2.x"})],
        "duplicate": [record.model_copy()],
        "related": [record.model_copy(update={"clause": "10.2.9",
                                              "related": ["IATF 16949 99.1"]})],
    }[fault]
    problems = Corpus([*corpus, *extra]).problems()
    assert len(problems) == 1 and fault[:5] in problems[0].replace("not in", "related")


def test_summaries_are_not_titles(corpus: Corpus) -> None:
    for record in corpus:
        assert record.summary_en.casefold() != record.title.casefold(), record.key
        assert len(record.summary_en) > len(record.title), record.key
        assert any("\u4e00" <= ch <= "\u9fff" for ch in record.summary_zh), record.key


@pytest.mark.shared_data
def test_iso9001_agrees_with_the_shared_list(corpus: Corpus, shared_data: Path) -> None:
    raw = json.loads((shared_data / "qms-clauses" / "iso9001_2015_clauses.json").read_text())
    listed = raw["clauses"] + raw["not_in_source_added_by_researcher"]
    for item in listed:
        record = corpus.get("ISO 9001", item["clause"])
        assert record is not None, item
        assert record.title == item["title"], item
    assert {r.clause for r in corpus if r.standard == "ISO 9001"} == \
        {item["clause"] for item in listed}


@pytest.mark.shared_data
def test_iatf_agrees_with_the_shared_list(corpus: Corpus, shared_data: Path) -> None:
    raw = json.loads((shared_data / "qms-clauses" /
                      "iatf16949_2016_partial_clauses.json").read_text())
    for item in raw["clauses"]:
        record = corpus.get("IATF 16949", item["clause"])
        assert record is not None, item
        shared = item["title"].replace("Standardized", "Standardised").casefold()
        assert record.title.casefold() == shared, item


def test_unverified_numbers_carry_a_note(corpus: Corpus) -> None:
    checked = {"8.5.1.1", "8.5.1.2", "8.5.1.3", "8.5.1.5", "8.6.2", "8.6.4", "8.7.1.1",
               "8.7.1.3", "8.7.1.4", "8.7.1.5", "8.7.1.7", "9.1.1.1", "9.1.1.2", "9.2.2.3",
               "9.2.2.4", "10.2.3", "10.2.4"}
    for record in corpus:
        if record.standard == "IATF 16949":
            assert (record.note is None) == (record.clause in checked), record.key
        if record.standard in ("VDA 6.3", "ISO 13485", "AIAG CQI-9", "AIAG MSA"):
            assert record.note, record.key
