"""Questions of the RCA evaluation, written from an incident's part, target, statistic,
direction and start date (templates.yaml); the cause is never named."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from knowledge_graph.defect_codes import defect_codes_by_code
from tools.catalog import Lexicon
from tools.demo_plant import Incident

TEMPLATES = Path(__file__).with_name("templates.yaml")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
MEASURES = ("characteristic", "defect_code", "defect_rate", "incoming_inspection")


class Question(BaseModel):
    incident_id: str
    language: str
    template: int
    text: str
    cause_kind: str
    cause_id: str
    part_id: str | None


@functools.cache
def templates() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(TEMPLATES.read_text(encoding="utf-8"))
    return data


def _zh_name(incident: Incident) -> str:
    if incident.measure == "defect_code":
        return defect_codes_by_code()[incident.target].name_zh
    kind = ("inspection_characteristic" if incident.measure == "incoming_inspection"
            else "characteristic")
    forms = [t.text for t in Lexicon.load().terms
             if t.kind == kind and t.concept == incident.target and t.language == "zh"]
    return forms[0] if forms else incident.target.replace("_", " ")


def _en_name(incident: Incident) -> str:
    return incident.target.replace("_", " ")


def _fields(incident: Incident, language: str, index: int) -> dict[str, str]:
    t = templates()
    start = incident.start
    third = 0 if start.day <= 10 else 1 if start.day <= 20 else 2
    verbs = t["verbs"][language]
    direction = incident.direction
    other = "down" if direction == "up" else "up"
    when = t["when"][language]
    if language == "en":
        period = when["period"].format(part_of_month=t["part_of_month"]["en"][third],
                                       month=MONTHS[start.month - 1])
        since = when["since"].format(month=MONTHS[start.month - 1], day=start.day)
    else:
        period = when["period"].format(m=start.month, xun=t["part_of_month"]["zh"][third])
        since = when["since"].format(m=start.month, d=start.day)
    return {"part": incident.part_id or "", "when_period": period, "when_since": since,
            "target": _en_name(incident) if language == "en" else _zh_name(incident),
            "verb": verbs[direction][index % len(verbs[direction])],
            "verb_inverse": verbs[other][index % len(verbs[other])],
            "verb_ing": t["verb_ing"][language][direction]}


def questions_for(incident: Incident, index: int) -> list[Question]:
    """Every question of one incident (all templates of its measure, both languages);
    ``index`` varies the verbs from incident to incident."""
    if incident.measure not in MEASURES:
        return []
    statistic = "count" if incident.measure == "defect_code" else incident.statistic
    key = f"{incident.measure}/{statistic}"
    out: list[Question] = []
    for language in ("en", "zh"):
        fields = _fields(incident, language, index)
        for number, template in enumerate(templates()["questions"][key][language]):
            text = template.format(**fields)
            out.append(Question(incident_id=incident.incident_id, language=language,
                                template=number, text=text[:1].upper() + text[1:],
                                cause_kind=incident.cause_kind, cause_id=incident.cause_id,
                                part_id=incident.part_id))
    return out
