"""The semantic catalog of one plant database: what exists, under which names.

Built by ``build_catalog`` (tools/catalog/build.py); every reader of requests grounds
names in it: ``find_part``, ``find_parts`` (a part, family, process or material),
``find_characteristic``, ``suggest`` (nearest known names for "did you mean"), and
``terms`` (the plant's own names as lexicon terms).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from pydantic import BaseModel, Field

from tools.catalog.lexicon import Lexicon
from tools.catalog.models import (
    CATALOG_KINDS,
    Characteristic,
    DefectCode,
    InspectionCharacteristic,
    Line,
    Machine,
    Material,
    Part,
    Plant,
    ProcessParameter,
    Supplier,
    Tool,
)
from tools.catalog.terms import Term, TermKind, language_of, normalize_text
from tools.errors import InvalidInput, UnknownCharacteristic, UnknownPart


class Catalog(BaseModel):
    """Everything Andon knows about a plant's names. Lists are sorted, so two catalogs of
    the same data compare equal whatever the database engine."""

    schema_version: int
    dialect: str = Field(description="sqlglot dialect of the database (duckdb, postgres...)")
    mapping: str | None = Field(default=None, description="name of the YAML table mapping")
    tables_present: list[str]
    tables_missing: list[str]
    notes: list[str] = Field(default_factory=list)
    plants: list[Plant] = Field(default_factory=list)
    lines: list[Line] = Field(default_factory=list)
    machines: list[Machine] = Field(default_factory=list)
    parts: list[Part] = Field(default_factory=list)
    characteristics: list[Characteristic] = Field(default_factory=list)
    parameters: list[ProcessParameter] = Field(default_factory=list)
    suppliers: list[Supplier] = Field(default_factory=list)
    materials: list[Material] = Field(default_factory=list)
    tools: list[Tool] = Field(default_factory=list)
    defect_codes: list[DefectCode] = Field(default_factory=list)
    inspection_characteristics: list[InspectionCharacteristic] = Field(default_factory=list)
    shifts: list[str] = Field(default_factory=list)

    # -- simple views ----------------------------------------------------------------
    def families(self) -> list[str]:
        return sorted({p.family for p in self.parts})

    def processes(self) -> list[str]:
        return sorted({ln.process for ln in self.lines} | {x for p in self.parts
                                                           for x in p.processes})

    def characteristic_names(self) -> list[str]:
        return sorted({c.name for c in self.characteristics})

    def names(self, kind: str) -> list[str]:
        """Every known name of one kind (see ``CATALOG_KINDS``), ids and display names."""
        by_kind: dict[str, Iterable[str]] = {
            "part": [x for p in self.parts for x in (p.part_id, p.name)],
            "family": self.families(),
            "process": self.processes(),
            "material": [m.name for m in self.materials],
            "characteristic": self.characteristic_names(),
            "parameter": [p.name for p in self.parameters],
            "inspection_characteristic": [i.name for i in self.inspection_characteristics],
            "supplier": [x for s in self.suppliers for x in (s.supplier_id, s.name)],
            "line": [x for ln in self.lines for x in (ln.line_id, ln.name)],
            "machine": [x for m in self.machines for x in (m.machine_id, m.name)],
            "tool": [x for t in self.tools for x in (t.tool_id, t.name)],
            "defect_code": [d.code for d in self.defect_codes],
            "shift": self.shifts,
            "plant": [x for p in self.plants for x in (p.plant_id, p.name)],
        }
        if kind not in by_kind:
            raise InvalidInput(f"unknown catalog kind {kind!r}; use one of "
                               f"{', '.join(CATALOG_KINDS)}")
        return list(dict.fromkeys(by_kind[kind]))

    # -- lookups ---------------------------------------------------------------------
    def suggest(self, kind: str, text: str, limit: int = 3) -> list[str]:
        """The known names of ``kind`` nearest to ``text`` (for "did you mean ...?")."""
        names = self.names(kind)
        by_norm: dict[str, str] = {}
        for name in names:
            by_norm.setdefault(normalize_text(name), name)
        close = difflib.get_close_matches(normalize_text(text), list(by_norm), n=limit,
                                          cutoff=0.6)
        return [by_norm[c] for c in close]

    def find_part(self, text: str) -> Part | None:
        """The part whose id or name is ``text`` (case, spaces, _ and - ignored), or None."""
        key = normalize_text(text)
        for part in self.parts:
            if key == normalize_text(part.part_id):
                return part
        for part in self.parts:
            if key == normalize_text(part.name):
                return part
        return None

    def require_part(self, text: str) -> Part:
        """Like ``find_part`` but raises ``UnknownPart`` with the nearest names."""
        part = self.find_part(text)
        if part is None:
            raise UnknownPart(_unknown("part", text, self.suggest("part", text)),
                              suggestions=self.suggest("part", text))
        return part

    def find_parts(self, text: str) -> list[Part]:
        """Parts a scope word names: one part (id or name), a family ('housing', '壳体'),
        a process ('injection_molding', '注塑件') or a material. Empty if none."""
        part = self.find_part(text)
        if part is not None:
            return [part]
        key = normalize_text(text)
        concepts = {key} | {normalize_text(t.concept) for t in _lexicon().lookup(text)
                            if t.kind in ("family", "process")}
        return [p for p in self.parts
                if normalize_text(p.family) in concepts
                or any(normalize_text(x) in concepts for x in p.processes)
                or normalize_text(p.material) == key]

    def find_characteristic(self, name: str, part: str | None = None) -> list[Characteristic]:
        """Characteristics called ``name`` (its id, its name written any usual way, or a
        lexicon synonym such as '克重' for weight), of one part if ``part`` is given
        (raises ``UnknownPart`` if that part does not exist). Empty if none."""
        owner = self.require_part(part) if part is not None else None
        key = normalize_text(name)
        wanted = {key} | {normalize_text(t.concept) for t in _lexicon().lookup(name)
                          if t.kind == "characteristic"}
        found = [c for c in self.characteristics
                 if normalize_text(c.name) in wanted or normalize_text(c.characteristic_id) == key]
        exact = [c for c in found if normalize_text(c.name) == key
                 or normalize_text(c.characteristic_id) == key]
        found = exact or found
        if owner is not None:
            found = [c for c in found if c.part_id == owner.part_id]
        return found

    def require_characteristic(self, name: str, part: str | None = None) -> list[Characteristic]:
        """Like ``find_characteristic`` but raises ``UnknownCharacteristic`` with one clear
        sentence ("unknown characteristic 'wieght' — did you mean weight?")."""
        found = self.find_characteristic(name, part)
        if found:
            return found
        if part is not None and self.find_characteristic(name):
            owner = self.require_part(part)
            own = sorted({c.name for c in self.characteristics if c.part_id == owner.part_id})
            raise UnknownCharacteristic(
                f"part {owner.part_id} has no characteristic {name!r}; its characteristics "
                f"are {', '.join(own) or 'none'}", part_id=owner.part_id)
        suggestions = self.suggest("characteristic", name)
        raise UnknownCharacteristic(_unknown("characteristic", name, suggestions),
                                    suggestions=suggestions)

    # -- the plant's names as lexicon terms ----------------------------------------------
    def terms(self) -> list[Term]:
        """The plant's own names as terms, to extend the lexicon with: part ids and names,
        families, processes, materials, characteristic / parameter / inspection names
        (``wall_thickness`` also as 'wall thickness'), suppliers, lines, machines, tools,
        defect codes and shifts ('shift A', 'A班')."""
        out: list[Term] = []

        def add(kind: TermKind, concept: str, *texts: str) -> None:
            for text in dict.fromkeys(t for t in texts if t and t.strip()):
                out.append(Term(text=text, concept=concept, kind=kind,
                                language=language_of(text), source="catalog"))

        for plant in self.plants:
            add("plant", plant.plant_id, plant.plant_id, plant.name)
        for part in self.parts:
            add("part", part.part_id, part.part_id, part.name)
        for family in self.families():
            add("family", family, family)
        for process in self.processes():
            add("process", process, process)
        for material in self.materials:
            add("material", material.name, material.name)
        for name in self.characteristic_names():
            add("characteristic", name, name)
        for param in self.parameters:
            add("parameter", param.name, param.name)
        for insp in self.inspection_characteristics:
            add("inspection_characteristic", insp.name, insp.name)
        for sup in self.suppliers:
            add("supplier", sup.supplier_id, sup.supplier_id, sup.name)
        for line in self.lines:
            add("line", line.line_id, line.line_id, line.name)
        for machine in self.machines:
            add("machine", machine.machine_id, machine.machine_id, machine.name)
        for tool in self.tools:
            add("tool", tool.tool_id, tool.tool_id, tool.name)
        for code in self.defect_codes:
            add("defect", code.code, code.code)
        for shift in self.shifts:
            add("shift", shift, f"shift {shift}", f"{shift} shift", f"{shift}班")
        return out


def _unknown(kind: str, text: str, suggestions: list[str]) -> str:
    if suggestions:
        return f"unknown {kind} {text!r} — did you mean {' or '.join(suggestions)}?"
    return f"unknown {kind} {text!r}; see 'andon catalog' for the known names"


def _lexicon() -> Lexicon:
    return Lexicon.load()
