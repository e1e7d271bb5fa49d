"""Scope: which parts, lines, machines, tools, suppliers, materials and shifts a request
is about ("P-100", "Sensor housng", "housings", "注塑件", "the stamping line", "from Kanto
Resin", "on shift B", "A班").

A family or process word the plant does not have is refused with the families or
processes it does have; an id shaped like the plant's ids that matches none ("P-999") is
refused with the nearest ones.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from tools.catalog import Catalog
from tools.errors import InvalidInput, UnknownPart
from tools.monitors.grounding import nearest_names
from tools.monitors.reader.index import CatalogIndex, singular
from tools.monitors.reader.names import SAME_SIZE
from tools.monitors.reader.tokens import Token
from tools.monitors.reader.vocabulary import load_vocabulary
from tools.monitors.reader.zh_name_forms import zh_word_forms
from tools.monitors.spec import SCOPE_FIELDS_BY_UNIT, Scope

_FIELD_OF_KIND = {"part": "part_ids", "line": "line_ids", "machine": "machine_ids",
                  "tool": "tool_ids", "supplier": "supplier_ids", "material": "materials",
                  "shift": "shifts", "family": "families", "process": "processes"}
_LINE_NUMBER = re.compile(r"\s*(?:(?:lines?|线|产线|生产线|线体)\s*(?:#|no\.?\s*)?(?P<n>\d+)(?!\d)"
                          r"|(?P<m>\d+)\s*号?线)", re.IGNORECASE)
_KIND_WORDS = {"part_ids": "part", "families": "family", "processes": "process",
               "line_ids": "line", "machine_ids": "machine", "tool_ids": "tool",
               "supplier_ids": "supplier", "materials": "material", "shifts": "shift"}


class ScopeReading(BaseModel):
    """The filters named, field by field, in the order written."""

    model_config = ConfigDict(frozen=True)

    fields: dict[str, tuple[str, ...]] = {}
    spans: tuple[tuple[int, int], ...] = ()

    def scope(self) -> Scope:
        return Scope(**self.fields)

    @property
    def names_parts(self) -> bool:
        return any(self.fields.get(f) for f in ("part_ids", "families", "processes"))


def read_scope(text: str, tokens: list[Token], index: CatalogIndex,
               catalog: Catalog) -> ScopeReading:
    """The filters named by the tokens (those not used by windows or actions); ``text``
    is searched for shifts the plant does not have ("night shift" where shifts are A/B/C)."""
    fields: dict[str, list[str]] = {}
    spans: list[tuple[int, int]] = []

    def add(field: str, value: str) -> None:
        values = fields.setdefault(field, [])
        if value not in values:
            values.append(value)

    for token in tokens:
        if token.kind == "unknown_id":
            _refuse_unknown_id(token, catalog)
        if token.has("role") or token.has("action"):
            continue
        for term in token.terms:
            field = _FIELD_OF_KIND.get(term.kind)
            if field is None:
                continue
            if term.kind == "family":
                qualified = _qualified_parts(text, token, term.concept, catalog)
                for part_id, family in qualified or _family_or_parts(term.concept, token,
                                                                     index, catalog):
                    if family:
                        add("families", family)
                    else:
                        add("part_ids", part_id)
                break
            if term.kind == "process":
                if term.concept not in index.processes:
                    raise UnknownPart(
                        f"no line of this plant runs {term.concept.replace('_', ' ')}; its "
                        f"processes are {', '.join(sorted(index.processes)) or 'none'}",
                        suggestions=sorted(index.processes))
                numbered = _numbered_line(text, token, term.concept, catalog)
                if numbered is None:
                    add("processes", term.concept)
                else:
                    add("line_ids", numbered[0])
                    spans.append(numbered[1])
                break
            add(field, term.concept)
    if "shifts" not in fields:
        _refuse_unknown_shift(text, catalog)
    _drop_describing_processes(fields, catalog)
    return ScopeReading(fields={k: tuple(v) for k, v in fields.items()}, spans=tuple(spans))


def _drop_describing_processes(fields: dict[str, list[str]], catalog: Catalog) -> None:
    """"冲压线 LN-ST1", "the assembly fixture T-410A", "P-210 冲床上": a process word
    next to a line, machine or tool of that process, or naming how every named part is
    made, describes it and filters nothing more."""
    processes = fields.get("processes")
    if not processes:
        return
    line_process = {ln.line_id: ln.process for ln in catalog.lines}
    described: set[str | None] = {line_process.get(x) for x in fields.get("line_ids", ())}
    described |= {line_process.get(m.line_id) for m in catalog.machines
                  if m.machine_id in fields.get("machine_ids", ())}
    described |= {p for t in catalog.tools if t.tool_id in fields.get("tool_ids", ())
                  for part in catalog.parts if part.part_id == t.part_id
                  for p in part.processes}
    named = [part for part in catalog.parts if part.part_id in fields.get("part_ids", ())]
    if named:  # "P-210 冲床上生产的": every part named is made that way already
        described |= set.intersection(*(set[str | None](part.processes) for part in named))
    kept = [p for p in processes if p not in described]
    if kept:
        fields["processes"] = kept
    else:
        del fields["processes"]


def _numbered_line(text: str, token: Token, process: str,
                   catalog: Catalog) -> tuple[str, tuple[int, int]] | None:
    """"stamping line 2", "冲压线1", "冲压1号线": the one line of that process whose name
    carries the number, and the stretch that said it; None when no number follows."""
    found = _LINE_NUMBER.match(text, token.end)
    if found is None:
        return None
    number = found.group("n") or found.group("m")
    lines = [ln for ln in catalog.lines if ln.process == process
             and number in re.findall(r"\d+", ln.name)]
    if len(lines) != 1:
        raise UnknownPart(f"this plant has no single {process.replace('_', ' ')} line "
                          f"number {number}; its {process.replace('_', ' ')} lines are "
                          f"{', '.join(ln.name for ln in catalog.lines if ln.process == process)}",
                          kind="line", suggestions=[ln.line_id for ln in catalog.lines
                                                    if ln.process == process])
    return lines[0].line_id, found.span()


def _refuse_unknown_shift(text: str, catalog: Catalog) -> None:
    named = load_vocabulary().cues["shift"].search(text)
    if named is None:
        return
    raise UnknownPart(f"this plant has no shift called {named.group(0).strip()!r}; its shifts "
                      f"are {', '.join(catalog.shifts) or 'not recorded'}", kind="shift",
                      suggestions=list(catalog.shifts))


def _qualified_parts(text: str, token: Token, family: str,
                     catalog: Catalog) -> list[tuple[str, str]]:
    """"the large housing", "大外壳": a word right before a family word that only some of
    the family's part names hold names those parts."""
    members = [p for p in catalog.parts if p.family == family]
    before = text[:token.start].rstrip()
    english = re.search(r"([A-Za-z]+)$", before)
    holding: list[str] = []
    if english and len(english.group(1)) >= 3:
        word = english.group(1).casefold()
        word = SAME_SIZE.get(word, word)
        holding = [p.part_id for p in members
                   if word in re.findall(r"[a-z0-9]+", p.name.casefold())]
    elif before[-1:] and "\u3400" <= before[-1] <= "\u9fff":
        holding = [p.part_id for p in members
                   if any(before.endswith(w) for w in zh_word_forms(p.name))]
    if 0 < len(holding) < len(members):
        return [(part_id, "") for part_id in holding]
    return []


def _family_or_parts(family: str, token: Token, index: CatalogIndex,
                     catalog: Catalog) -> list[tuple[str, str]]:
    """A family word: the family if the plant has it, else the parts whose names hold the
    word ("pins" for a part called "Guide pin"); refused if neither."""
    if family in index.families:
        return [("", family)]
    word = family.casefold()
    named = [p.part_id for p in catalog.parts
             if word in {singular(w) for w in p.name.casefold().replace(",", " ").split()}]
    if named:
        return [(part_id, "") for part_id in named]
    raise UnknownPart(f"this plant has no {token.text!r} parts; its families are "
                      f"{', '.join(sorted(index.families)) or 'none'}",
                      suggestions=sorted(index.families))


def _refuse_unknown_id(token: Token, catalog: Catalog) -> None:
    kind = token.terms[0].kind if token.terms else "part"
    suggestions = nearest_names(catalog, kind, token.text)
    hint = (f" — did you mean {' or '.join(suggestions)}?" if suggestions
            else "; see 'andon catalog' for the known names")
    raise UnknownPart(f"unknown {kind} {token.text!r}{hint}", kind=kind,
                      suggestions=suggestions)


def fit_scope(reading: ScopeReading, unit: str, catalog: Catalog) -> Scope:
    """The scope for signals evaluated on ``unit``: parts named for incoming lots become
    the materials those parts are made of; a filter that cannot apply is refused."""
    fields = dict(reading.fields)
    if unit == "lot" and reading.names_parts:
        materials = list(fields.get("materials", ()))
        for part in catalog.parts:
            if _part_in(part.part_id, part.family, part.processes, fields) \
                    and part.material not in materials:
                materials.append(part.material)
        for field in ("part_ids", "families", "processes"):
            fields.pop(field, None)
        fields["materials"] = tuple(materials)
    allowed = SCOPE_FIELDS_BY_UNIT[unit]
    for field, values in fields.items():
        if values and field not in allowed:
            what = {"lot": "incoming lots", "week": "weekly complaint counts",
                    "batch": "batches"}[unit]
            raise InvalidInput(f"a {_KIND_WORDS[field]} filter ({', '.join(values)}) does not "
                               f"apply to {what}; they can be filtered by "
                               f"{', '.join(sorted(_KIND_WORDS[f] for f in allowed))}")
    return Scope(**fields)


def _part_in(part_id: str, family: str, processes: list[str],
             fields: dict[str, tuple[str, ...]]) -> bool:
    return (part_id in fields.get("part_ids", ())
            or family in fields.get("families", ())
            or bool(set(processes) & set(fields.get("processes", ()))))
