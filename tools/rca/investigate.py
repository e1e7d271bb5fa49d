"""``investigate``: a quality question in, a root-cause analysis with cited evidence out.

question -> problem located (locate.py) -> the changed period and candidates scored on
the data and the knowledge graph's prior (analysis.py, scoring.py) -> evidence through
guarded SQL (evidence.py) -> narrative, actions and clauses (narrative.py, knowledge.py).
"""

from __future__ import annotations

import pandas as pd

from tools.catalog import Catalog, Lexicon
from tools.database import Database
from tools.rca.analysis import Analysis, analyse_batches, analyse_incoming
from tools.rca.data import PlantReader
from tools.rca.evidence import EvidenceBuilder
from tools.rca.locate import anchor_of, locate
from tools.rca.models import Cause, CauseRef, Evidence, Period, Problem, RcaResult
from tools.rca.narrative import assemble_actions, assemble_narrative
from tools.rca.scoring import Ranked
from tools.rca.wording import Words
from tools.sql_guard import MAX_ROW_CAP, GuardPolicy

MAX_CAUSES = 5


def default_policy() -> GuardPolicy:
    """The engineer role with the largest row cap: an investigation reads whole series."""
    return GuardPolicy.for_role("engineer", row_cap=MAX_ROW_CAP)


def _value(units: pd.DataFrame, measure: str) -> float:
    """A period's statistic: the mean per-unit value, or for rates the pooled percentage."""
    if measure in ("defect_code", "defect_rate"):
        produced = pd.to_numeric(units["qty_produced"], errors="coerce").sum()
        return float(100.0 * units["defects"].sum() / produced) if produced else 0.0
    return float(units["y"].mean())


def _problem(analysis: Analysis) -> Problem:
    spec, ep, units = analysis.spec, analysis.episode, analysis.units
    method = ("multivariable comparison of units with and without the problem (no change "
              "in time asked)" if ep is None else
              f"ruptures PELT, L2 cost, penalty {ep.penalty} (c * ln n) on per-"
              f"{'lot' if spec.measure == 'incoming_inspection' else 'batch'} scores"
              if ep.found_by.startswith("pelt") else
              "rank scan of the windows starting at the time asked (no PELT change point "
              "near it)")
    affected = baseline = None
    if ep is not None:
        inside, outside = units[analysis.inside], units[~analysis.inside]
        affected = Period(start=ep.start, end=ep.end, units=len(inside),
                          value=_value(inside, spec.measure))
        if len(outside):
            baseline = Period(start=outside["started_at"].min().to_pydatetime(),
                              end=outside["started_at"].max().to_pydatetime(),
                              units=len(outside), value=_value(outside, spec.measure))
    notes = list(analysis.notes)
    if not analysis.knowledge.available:
        notes.append("the knowledge graph could not be loaded: priors are neutral and "
                     "actions come from the data only")
    part = analysis.part_id
    return Problem(part_id=part, part_name=None, material=analysis.material,
                   measure=spec.measure, target=spec.target, statistic=spec.statistic,
                   asked=spec.asked, direction=spec.direction or (
                       None if ep is None else "up" if ep.sign > 0 else "down"),
                   unit=spec.unit, mode=spec.mode, asked_window=spec.hint,
                   change_point=ep.start if ep else None, affected=affected,
                   baseline=baseline, method=method,
                   parts_considered=analysis.parts_considered, notes=notes)


def _cause(item: Ranked, evidence: list[Evidence]) -> Cause:
    c = item.candidate
    group = [CauseRef(kind=g.kind, id=g.id) for g in item.group]  # type: ignore[arg-type]
    return Cause(kind=c.kind, id=c.id, score=round(item.score, 3),  # type: ignore[arg-type]
                 evidence=evidence, confounded_with=group or None, fit=round(item.fit, 3),
                 p_value=item.p_value, timing=round(item.timing, 3),
                 prior=round(item.prior, 3), independent=item.selected)


def investigate(question: str, *, db: Database, catalog: Catalog,
                policy: GuardPolicy | None = None, lexicon: Lexicon | None = None,
                use_graph: bool = True, max_causes: int = MAX_CAUSES,
                reader: PlantReader | None = None) -> RcaResult:
    """Explain a quality problem named in plain words (English or Chinese).

    Every read goes through the SQL guard under ``policy`` (the engineer role with the
    largest row cap by default). Refusals (``AndonError``): a question naming nothing to
    explain or names the plant lacks (``InvalidInput``, ``UnknownPart``,
    ``UnknownCharacteristic``, ``AmbiguousRequest``), or data that shows no change to
    explain (``InsufficientData``). ``reader`` (tests, benchmarks) keeps the SQL it ran in
    ``reader.log``.
    """
    spec = locate(question, catalog, lexicon=lexicon)
    reader = reader or PlantReader(db, policy or default_policy())
    anchor = anchor_of(catalog)
    if spec.measure == "incoming_inspection":
        analysis = analyse_incoming(spec, reader, anchor, use_graph=use_graph)
    else:
        analysis = analyse_batches(spec, reader, catalog, anchor, use_graph=use_graph)
    words = Words(spec.language, spec, analysis.part_id, analysis.material)
    builder = EvidenceBuilder(analysis, reader, catalog, words)
    problem_evidence = builder.problem()
    ranked = analysis.ranked[:max_causes]
    causes = [_cause(item, builder.for_cause(item)) for item in ranked]
    problem = _problem(analysis)
    problem.evidence = [problem_evidence]
    if analysis.part_id is not None:
        problem.part_name = next((p.name for p in catalog.parts
                                  if p.part_id == analysis.part_id), None)
    narrative = assemble_narrative(words, problem_evidence, causes,
                                   static=analysis.episode is None)
    actions, cause_id = assemble_actions(words, analysis, analysis.knowledge,
                                         ranked[0] if ranked else None)
    clauses = analysis.knowledge.clauses(cause_id, spec.language)
    return RcaResult(question=question, language=spec.language, problem=problem,
                     causes=causes, narrative=narrative, actions=actions, clauses=clauses)
