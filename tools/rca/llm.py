"""What an LLM narrator gets and how its text is accepted.

``narrative_prompt(result)`` fills prompts/rca_narrative.md (loaded by name) with the
investigation's problem, causes, evidence and actions; ``accept_narrative(text, result)``
lists what is wrong with a returned narrative (numbers no evidence holds, evidence ids that
do not exist, no valid citation at all). An empty list means it may replace the template
narrative; otherwise the template narrative stays.
"""

from __future__ import annotations

import re
from importlib import resources
from string import Template

from tools.errors import InvalidInput
from tools.rca.models import RcaResult
from tools.rca.numbercheck import check_numbers

LANGUAGE_NAMES = {"en": "English", "zh": "Chinese (简体中文)"}
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_CITATION = re.compile(r"\[(E\d+)\]")


def load_prompt(name: str) -> str:
    """The text of ``prompts/<name>.md``."""
    if not _NAME.match(name):
        raise InvalidInput(f"prompt names are lower-case words, not {name!r}")
    path = resources.files("prompts").joinpath(f"{name}.md")
    if not path.is_file():
        raise InvalidInput(f"there is no prompt called {name!r}")
    return path.read_text(encoding="utf-8")


def narrative_prompt(result: RcaResult) -> str:
    """The prompt an LLM narrator is given for one investigation."""
    causes = "\n".join(
        f"- {c.kind} {c.id}, score {c.score:.3f}"
        + (f", confounded with {', '.join(f'{r.kind} {r.id}' for r in c.confounded_with)}"
           if c.confounded_with else "")
        for c in result.causes) or "- none"
    evidence = "\n".join(f"- {e.id}: {e.claim}" for e in result.all_evidence())
    problem = "\n".join(f"- {e.id}: {e.claim}" for e in result.problem.evidence)
    return Template(load_prompt("rca_narrative")).substitute(
        language_name=LANGUAGE_NAMES[result.language], question=result.question,
        problem=problem, causes=causes, evidence=evidence,
        actions="\n".join(f"- {a}" for a in result.actions) or "- none")


def accept_narrative(text: str, result: RcaResult) -> list[str]:
    """Problems of an LLM-written narrative (empty: it may be used)."""
    evidence = result.all_evidence()
    problems = [f"number not in the evidence: {n}" for n in check_numbers(text, evidence)]
    known = {e.id for e in evidence}
    cited = _CITATION.findall(text)
    problems += [f"cites unknown evidence {ref}" for ref in dict.fromkeys(cited)
                 if ref not in known]
    if not any(ref in known for ref in cited):
        problems.append("cites no evidence")
    return problems
