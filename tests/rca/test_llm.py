"""The LLM narrator's prompt (prompts/rca_narrative.md, loaded by name) and the check that
decides whether its narrative may replace the template one."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.rca.scenario_plant import load
from tools.catalog import build_catalog
from tools.database import connect
from tools.errors import InvalidInput
from tools.rca import RcaResult, investigate
from tools.rca.llm import accept_narrative, load_prompt, narrative_prompt

CASES: list[dict[str, Any]] = load("llm_narratives.yaml")
NUMBER = re.compile(r"\d+\.\d+")


@pytest.fixture(scope="module")
def result(scenario_urls: dict[str, str]) -> RcaResult:
    with connect(scenario_urls["machine"]) as db:
        return investigate("Why did the weight of P1 rise in early April?", db=db,
                           catalog=build_catalog(db))


def test_prompt_names_every_evidence_item(result: RcaResult) -> None:
    prompt = narrative_prompt(result)
    assert "$" not in prompt and "English" in prompt
    for item in result.all_evidence():
        assert f"{item.id}: {item.claim}" in prompt
    assert result.question in prompt


def test_unknown_prompt_is_refused() -> None:
    with pytest.raises(InvalidInput):
        load_prompt("../secrets")
    with pytest.raises(InvalidInput):
        load_prompt("no_such_prompt")


def test_template_narrative_is_accepted(result: RcaResult) -> None:
    assert accept_narrative(result.narrative, result) == []


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_llm_narrative_case(case: dict[str, Any], result: RcaResult) -> None:
    problem, lead = result.problem.evidence[0], result.causes[0].evidence[0]
    before, period = NUMBER.findall(problem.claim)[:2]
    text = case["text"].format(E1=problem.id, E2=lead.id, before=before, period=period,
                               level=NUMBER.findall(lead.claim)[0])
    assert len(accept_narrative(text, result)) == case["problems"]
