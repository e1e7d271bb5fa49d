"""Investigations on hand-built plants where the answer is known: the planted cause comes
first (named with the candidates confounded with it), every claim is backed by a guarded
query, and the narrative holds no number the evidence does not."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.rca.conftest import SERVER_SCENARIOS
from tests.rca.scenario_plant import scenarios
from tools.catalog import build_catalog
from tools.database import connect
from tools.rca import CAUSE_KINDS, RcaResult, check_numbers, investigate

CASES = [(sid, q) for sid, s in scenarios().items() for q in s["questions"]]


def _ask(url: str, text: str) -> RcaResult:
    with connect(url) as db:
        return investigate(text, db=db, catalog=build_catalog(db))


def _check(result: RcaResult, question: dict[str, Any]) -> None:
    assert result.causes, "no cause ranked"
    lead = result.causes[0]
    assert (lead.kind, lead.id) == tuple(question["top"]), \
        [(c.kind, c.id, c.score) for c in result.causes]
    confounded = {(r.kind, r.id) for r in lead.confounded_with or []}
    for pair in question.get("confounded", []):
        assert tuple(pair) in confounded, confounded
    if "direction" in question:
        assert result.problem.direction == question["direction"]
    assert [c.score for c in result.causes] == sorted((c.score for c in result.causes),
                                                      reverse=True)


@pytest.mark.parametrize(("scenario", "question"), CASES,
                         ids=[f"{s}:{q['text'][:40]}" for s, q in CASES])
def test_planted_cause_comes_first(scenario: str, question: dict[str, Any],
                                   scenario_urls: dict[str, str]) -> None:
    result = _ask(scenario_urls[scenario], question["text"])
    _check(result, question)
    assert result.language == ("zh" if re.search(r"[\u4e00-\u9fff]", question["text"])
                               else "en")
    evidence = result.all_evidence()
    assert check_numbers(result.narrative, evidence) == []
    ids = {e.id for e in evidence}
    assert set(re.findall(r"\[(E\d+)\]", result.narrative)) <= ids
    for item in evidence:
        assert item.query.lstrip().upper().startswith("SELECT") and item.rows
    body = result.contract()
    assert set(body) >= {"question", "problem", "causes", "narrative", "actions"}
    for cause in body["causes"]:
        assert cause["kind"] in CAUSE_KINDS and 0.0 <= cause["score"] <= 1.0
        assert all(set(e) >= {"claim", "query", "rows"} for e in cause["evidence"])


@pytest.mark.postgres
@pytest.mark.mariadb
@pytest.mark.parametrize("scenario", SERVER_SCENARIOS)
def test_same_answer_on_postgresql_and_mariadb(scenario: str,
                                               server_scenario_urls: dict[str, str],
                                               scenario_urls: dict[str, str]) -> None:
    for question in scenarios()[scenario]["questions"]:
        result = _ask(server_scenario_urls[scenario], question["text"])
        _check(result, question)
        reference = _ask(scenario_urls[scenario], question["text"])
        assert [(c.kind, c.id) for c in result.causes] == \
            [(c.kind, c.id) for c in reference.causes]
        assert check_numbers(result.narrative, result.all_evidence()) == []


def test_no_change_is_refused(scenario_urls: dict[str, str]) -> None:
    from tools.errors import InsufficientData

    with pytest.raises(InsufficientData):
        _ask(scenario_urls["machine"], "Why did the wall thickness of P1 rise in early April?")
