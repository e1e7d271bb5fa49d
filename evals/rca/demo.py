"""The demo-plant part of the RCA evaluation: questions from the manifest's incidents, the
investigation's ranking against each incident's planted cause, and the decoys."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel

from evals.rca.questions import Question, questions_for
from tools.catalog import build_catalog
from tools.database import connect
from tools.demo_plant import PlantManifest, read_manifest
from tools.errors import AndonError
from tools.rca import investigate


class Outcome(BaseModel):
    """One question's result."""

    question: Question
    ranked: list[tuple[str, str]] = []
    confounded_with_top: list[tuple[str, str]] = []
    top1: bool = False
    top3: bool = False
    top1_or_confounded: bool = False
    decoy_top1: str | None = None
    decoys_in_top3: list[str] = []
    refused: str | None = None
    seconds: float = 0.0


def _decoys(manifest: PlantManifest, part_id: str | None) -> dict[tuple[str, str], str]:
    return {(d.kind, d.id): d.decoy_id for d in manifest.decoys
            if part_id is None or d.part_id in (None, part_id)}


def run_demo(url: str, manifest_path: Path, *, only: list[str] | None = None,
             progress: Callable[[int, int], None] | None = None) -> list[Outcome]:
    """Ask every question of every incident (all nine cause kinds) and score the ranking."""
    manifest = read_manifest(manifest_path)
    questions = [q for i, inc in enumerate(manifest.incidents)
                 for q in questions_for(inc, i)
                 if not only or any(inc.incident_id.startswith(o) for o in only)]
    outcomes: list[Outcome] = []
    with connect(url) as db:
        catalog = build_catalog(db)
        for done, question in enumerate(questions, 1):
            outcomes.append(_ask(question, manifest, db, catalog))
            if progress is not None:
                progress(done, len(questions))
    return outcomes


def _ask(question: Question, manifest: PlantManifest, db: object, catalog: object) -> Outcome:
    truth = (question.cause_kind, question.cause_id)
    started = time.perf_counter()
    try:
        result = investigate(question.text, db=db, catalog=catalog)  # type: ignore[arg-type]
    except AndonError as error:
        return Outcome(question=question, refused=error.message,
                       seconds=time.perf_counter() - started)
    seconds = time.perf_counter() - started
    ranked: list[tuple[str, str]] = [(str(c.kind), c.id) for c in result.causes]
    top = result.causes[0] if result.causes else None
    confounded = [(str(r.kind), r.id) for r in (top.confounded_with or [])] if top else []
    decoys = _decoys(manifest, question.part_id)
    return Outcome(question=question, ranked=ranked, confounded_with_top=confounded,
                   top1=ranked[:1] == [truth], top3=truth in ranked[:3],
                   top1_or_confounded=ranked[:1] == [truth] or truth in confounded,
                   decoy_top1=decoys.get(ranked[0]) if ranked else None,
                   decoys_in_top3=[decoys[r] for r in ranked[:3] if r in decoys],
                   seconds=seconds)
