"""Learning from closed investigations: the overlay and the knowledge snapshots."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from knowledge_graph.classify import classify_event_text
from knowledge_graph.errors import KnowledgeGraphError
from knowledge_graph.graph import QualityGraph
from knowledge_graph.load import load_graph
from knowledge_graph.models import Actions, CandidateKind, Category6M, ClauseRef, Direction, Text
from knowledge_graph.overlay import OverlayEdge, read_overlay, write_overlay
from knowledge_graph.prior import problem_links
from knowledge_graph.textindex import bm25, tokens

SNAPSHOT_DIR = "snapshots"


class ProblemQuery(BaseModel):
    """A problem as fields (any may be left out) and/or as text."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str = ""
    part: str | None = None
    characteristic: str | None = None
    direction: Direction | None = None
    defect_code: str | None = None
    process: str | None = None


class ConfirmedCause(BaseModel):
    """An investigation closed with a confirmed cause."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    investigation_id: str = Field(min_length=1)
    closed_at: datetime
    closed_by: str | None = None
    question: str = ""
    part: str | None = None
    process: str | None = None
    characteristic: str | None = None
    direction: Direction | None = None
    defect_code: str | None = None
    candidate_kind: CandidateKind
    candidate_name: str | None = None
    cause_id: str | None = None
    evidence: list[str] = Field(default_factory=list)
    actions: list[Text] = Field(default_factory=list)

    @field_validator("closed_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("closed_at must be timezone-aware (UTC)")
        return value.astimezone(UTC)


class SnapshotCause(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: CandidateKind
    name: str | None = None
    cause_id: str | None = None
    cause_name: Text | None = None
    category_6m: Category6M | None = None


class Snapshot(BaseModel):
    """What an investigation learned: problem, cause, evidence, actions, clauses."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    investigation_id: str
    created_at: datetime
    closed_by: str | None = None
    problem: ProblemQuery
    cause: SnapshotCause
    evidence: list[str]
    actions: Actions | None = None
    actions_taken: list[Text] = Field(default_factory=list)
    clauses: list[ClauseRef] = Field(default_factory=list)


class SnapshotMatch(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    snapshot: Snapshot
    score: float


class KnowledgeStore:
    """A knowledge folder: ``overlay.json`` and ``snapshots/<id>.json``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def graph(self) -> QualityGraph:
        return load_graph(knowledge=self.path)

    # --- recording ---------------------------------------------------------------------
    def record_confirmed_cause(self, investigation: ConfirmedCause) -> Snapshot:
        """Add the evidence to the graph (overlay) and write a knowledge snapshot."""
        graph = self.graph()
        c = investigation
        characteristic = (graph.resolve_characteristic(c.characteristic)
                          if c.characteristic else None)
        cause_id = c.cause_id or find_cause(graph, c, characteristic)
        if cause_id is not None and graph.cause(cause_id) is None:
            raise KnowledgeGraphError(f"the knowledge graph has no cause {cause_id!r}")
        note = (f"{c.investigation_id} ({c.closed_at:%Y-%m-%d}): "
                + ("; ".join(c.evidence) or "confirmed cause"))
        if cause_id is not None:
            self._nudge(graph, c, cause_id, characteristic, note)
        snapshot = self._snapshot(graph, c, cause_id, characteristic)
        folder = self.path / SNAPSHOT_DIR
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{snapshot.id}.json").write_text(snapshot.model_dump_json(indent=2),
                                                   encoding="utf-8")
        return snapshot

    def _nudge(self, graph: QualityGraph, c: ConfirmedCause, cause_id: str,
               characteristic: str | None, note: str) -> None:
        wanted: list[tuple[str, str, str, Direction | None]] = []
        if c.defect_code and graph.defect(c.defect_code) is not None:
            wanted.append((f"defect:{c.defect_code}", f"cause:{cause_id}", "caused_by", None))
        if characteristic and c.direction:
            wanted.append((f"cause:{cause_id}", f"characteristic:{characteristic}", "affects",
                           c.direction))
        if not wanted:
            return
        overlay = read_overlay(self.path)
        for source, target, kind, direction in wanted:
            key = kind if direction is None else f"{kind}:{direction}"
            entry = overlay.find(source, target, key)
            if entry is None:
                overlay.edges.append(OverlayEdge(source=source, target=target, kind=kind,  # type: ignore[arg-type]
                                                 direction=direction, confirmations=1,
                                                 evidence=[note]))
            else:
                entry.confirmations += 1
                entry.evidence.append(note)
        write_overlay(self.path, overlay)

    def _snapshot(self, graph: QualityGraph, c: ConfirmedCause, cause_id: str | None,
                  characteristic: str | None) -> Snapshot:
        cause = graph.cause(cause_id) if cause_id else None
        clauses = graph.clauses_for(f"cause:{cause_id}") if cause_id else []
        clauses = list({(x.standard, x.clause): x for x in
                        [*graph.problem_solving_clauses(), *clauses]}.values())
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", c.investigation_id).strip("-") or "investigation"
        return Snapshot(
            id=f"{c.closed_at:%Y%m%dT%H%M%SZ}-{slug}", investigation_id=c.investigation_id,
            created_at=c.closed_at, closed_by=c.closed_by,
            problem=ProblemQuery(text=c.question, part=c.part,
                                 characteristic=characteristic or c.characteristic,
                                 direction=c.direction, defect_code=c.defect_code,
                                 process=c.process),
            cause=SnapshotCause(kind=c.candidate_kind, name=c.candidate_name, cause_id=cause_id,
                                cause_name=cause.name if cause else None,
                                category_6m=cause.category_6m if cause else None),
            evidence=list(c.evidence), actions=graph.actions_for(cause_id) if cause_id else None,
            actions_taken=list(c.actions), clauses=clauses)

    # --- retrieval ---------------------------------------------------------------------
    def snapshots(self) -> list[Snapshot]:
        folder = self.path / SNAPSHOT_DIR
        found: list[Snapshot] = []
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            try:
                found.append(Snapshot.model_validate(json.loads(path.read_text("utf-8"))))
            except (OSError, ValueError, ValidationError) as exc:
                raise KnowledgeGraphError(f"cannot read knowledge snapshot {path}: {exc}") from exc
        return sorted(found, key=lambda s: (s.created_at, s.id))

    def similar_snapshots(self, query: str | ProblemQuery, k: int = 3) -> list[SnapshotMatch]:
        """Earlier snapshots most like the problem, best first (positive scores only)."""
        problem = ProblemQuery(text=query) if isinstance(query, str) else query
        snapshots = self.snapshots()
        if not snapshots or k <= 0:
            return []
        graph = self.graph()
        documents = [_snapshot_tokens(graph, s) for s in snapshots]
        scores = bm25(_problem_tokens(graph, problem), documents)
        ranked = sorted(zip(scores, snapshots, strict=True), key=lambda p: (-p[0], p[1].id))
        return [SnapshotMatch(snapshot=s, score=round(score, 4))
                for score, s in ranked[:k] if score > 0]


def find_cause(graph: QualityGraph, c: ConfirmedCause, characteristic: str | None) -> str | None:
    """The graph cause a confirmed candidate stands for: the strongest fitting problem link,
    else a cause of that kind (a named parameter's own cause first, then generic ones)."""
    parameter = (graph.resolve_parameter(c.candidate_name)
                 if c.candidate_kind == "process_parameter" and c.candidate_name else None)

    def fits(kinds: Sequence[str], parameters: Sequence[str]) -> bool:
        return c.candidate_kind in kinds and (parameter is None or parameter in parameters)

    links = problem_links(graph, characteristic=characteristic, defect_code=c.defect_code,
                          process=c.process, direction=c.direction)
    links = [x for x in links if fits(x.candidate_kinds, x.parameters)]
    if (c.defect_code is not None or characteristic is not None) and links:
        return links[0].cause_id
    options = []
    for cause_id in graph.cause_ids():
        cause = graph.cause(cause_id)
        if cause is None or not fits(cause.candidate_kinds, cause.parameters):
            continue
        if c.process and cause.processes and c.process not in cause.processes:
            continue
        options.append((cause.candidate_kinds[0] != c.candidate_kind, bool(cause.processes),
                        cause_id))
    return min(options)[2] if options else None


def _concepts(graph: QualityGraph, text: str) -> list[str]:
    found = [f"defect:{m.code}" for m in classify_event_text(text, graph)]
    lowered = text.casefold()
    for name in graph.characteristics():
        data = graph.nx.nodes[f"characteristic:{name}"]
        words = [data["key"].replace("_", " "), data["name"]["en"], data["name"]["zh"],
                 *data["attrs"].get("aliases", [])]
        if any(_mentions(lowered, w.casefold()) for w in words):
            found.append(f"characteristic:{name}")
    return found


def _mentions(text: str, word: str) -> bool:
    if not word.isascii():
        return word in text
    return re.search(r"(?<![a-z0-9])" + re.escape(word) + r"s?(?![a-z0-9])", text) is not None


def _problem_tokens(graph: QualityGraph, p: ProblemQuery) -> list[str]:
    found = [*tokens(p.text), *_concepts(graph, p.text)]
    if p.part:
        found.append(f"part:{p.part.casefold()}")
        found.extend(tokens(p.part))
    if p.characteristic:
        name = graph.resolve_characteristic(p.characteristic) or p.characteristic
        found.append(f"characteristic:{name}")
    if p.defect_code:
        found.append(f"defect:{p.defect_code}")
    if p.process:
        found.append(f"process:{p.process}")
    if p.direction:
        found.append(f"direction:{p.direction}")
    return found


def _snapshot_tokens(graph: QualityGraph, s: Snapshot) -> list[str]:
    found = _problem_tokens(graph, s.problem)
    texts = [*s.evidence, s.cause.name or "", s.cause.kind]
    if s.cause.cause_name:
        texts.extend([s.cause.cause_name.en, s.cause.cause_name.zh])
    for text in texts:
        found.extend(tokens(text))
    return found
