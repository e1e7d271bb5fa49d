"""The narrative and the actions of an investigation, assembled from templates when no LLM
writes them (an LLM narrator fills prompts/rca_narrative.md instead, and its text must pass
``check_numbers``).

The narrative is the problem's claim, the lead cause and its claims, and the other
candidates, each sentence followed by the ids of the evidence it rests on ("[E2]"); it
adds no number of its own.
"""

from __future__ import annotations

from tools.rca.analysis import Analysis
from tools.rca.candidates import ENTITY_COLUMNS
from tools.rca.evidence import marked_units
from tools.rca.knowledge import Knowledge
from tools.rca.models import Cause, Evidence, Language
from tools.rca.scoring import Ranked
from tools.rca.wording import Words, day

OTHERS_SHOWN = 3
IDS_SHOWN = 3


def _cited(evidence: Evidence) -> str:
    return f"{evidence.claim} [{evidence.id}]"


def _join(language: Language, sentences: list[str]) -> str:
    return ("" if language == "zh" else " ").join(s for s in sentences if s)


def assemble_narrative(words: Words, problem: Evidence, causes: list[Cause],
                       static: bool) -> str:
    """The template narrative: every number in it comes from a cited claim."""
    sentences = [_cited(problem)]
    if not causes:
        sentences.append(words.fill("narrative", "none"))
        return _join(words.language, sentences)
    if static:
        items = [words.fill("narrative", "static_item", kind=words.kind(c.kind), id=c.id)
                 for c in causes if c.independent]
        sentences.append(words.fill("narrative", "static_lead", items=", ".join(items)))
        for cause in causes:
            if cause.independent:
                sentences.append(_cited(cause.evidence[0]))
        return _join(words.language, sentences)
    lead = causes[0]
    if lead.confounded_with:
        gap = "" if words.language == "zh" else " "
        others = ", ".join(f"{words.kind(r.kind)}{gap}{r.id}" for r in lead.confounded_with)
        sentences.append(words.fill("narrative", "lead_confounded", kind=words.kind(lead.kind),
                                    id=lead.id, others=others))
    else:
        sentences.append(words.fill("narrative", "lead", kind=words.kind(lead.kind),
                                    id=lead.id))
    sentences += [_cited(e) for e in lead.evidence]
    rest = causes[1:1 + OTHERS_SHOWN]
    if rest:
        items = [words.fill("narrative", "other_item", kind=words.kind(c.kind), id=c.id,
                            ref=c.evidence[0].id) for c in rest if c.evidence]
        sentences.append(words.fill("narrative", "others", items=", ".join(items)))
    return _join(words.language, sentences)


def containment_step(words: Words, analysis: Analysis, item: Ranked) -> str | None:
    """The data's own first containment step: the units the lead cause marks."""
    c = item.candidate
    ids = marked_units(analysis, c)
    if not ids:
        return None
    units = analysis.units.set_index("batch_id").loc[ids, "started_at"]
    if analysis.spec.measure == "incoming_inspection":
        return words.fill("contain", "lots", id=c.id, first=day(units.min()),
                          ids=", ".join(ids[:IDS_SHOWN]))
    if c.kind in ENTITY_COLUMNS:
        marked = words.fill("of_level", c.kind, id=c.id)
    else:
        marked = words.fill("contain", "marked", c.kind, id=c.id)
    return words.fill("contain", "batches", n=len(ids), marked=marked, first=day(units.min()),
                      last=day(units.max()), ids=", ".join(ids[:IDS_SHOWN]))


def assemble_actions(words: Words, analysis: Analysis, knowledge: Knowledge,
                     lead: Ranked | None) -> tuple[list[str], str | None]:
    """Containment first (the data's step, then the graph's), then corrective actions;
    and the graph cause they came from."""
    if lead is None:
        return [], None
    label = {k: words.get("actions", k) for k in ("containment", "corrective")}
    sep = "：" if words.language == "zh" else ": "
    actions: list[str] = []
    step = containment_step(words, analysis, lead)
    if step:
        actions.append(f"{label['containment']}{sep}{step}")
    name = lead.candidate.id if lead.candidate.kind == "process_parameter" else None
    contain, correct, cause_id = knowledge.actions(lead.candidate.kind, name, words.language)
    actions += [f"{label['containment']}{sep}{text}" for text in contain]
    actions += [f"{label['corrective']}{sep}{text}" for text in correct]
    return actions, cause_id
