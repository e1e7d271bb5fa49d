"""The graph's prior for an RCA candidate: how plausible a candidate kind is as the cause.

Rule (docs/knowledge_graph.md): the problem's cause links (defect and characteristic, kept
to the process; a cause reached both ways keeps its stronger link), restricted to causes
that show up as the candidate kind (and act through the named parameter), combined as a
damped noisy-OR, strongest first, the k-th link counting ``DAMPING ** (k - 1)``; clipped
to [FLOOR, CEILING].
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from knowledge_graph.errors import KnowledgeGraphError
from knowledge_graph.models import CANDIDATE_KINDS, CauseLink, Direction

if TYPE_CHECKING:
    from knowledge_graph.graph import QualityGraph

DAMPING = 0.5
FLOOR = 0.02
CEILING = 0.98
UNKNOWN_PARAMETER_FACTOR = 0.5


def problem_links(graph: QualityGraph, *, characteristic: str | None, defect_code: str | None,
                  process: str | None, direction: Direction | None) -> list[CauseLink]:
    """The cause links of a problem, one per cause (its strongest), strongest first."""
    links: list[CauseLink] = []
    if defect_code is not None:
        links.extend(graph.causes_of(defect_code, process=process))
    if characteristic is not None:
        links.extend(graph.causes_for_characteristic(characteristic, direction,
                                                     process=process))
    if defect_code is None and characteristic is None:
        for cause_id in graph.cause_ids():
            cause = graph.cause(cause_id)
            if cause is None or (process and cause.processes and process not in cause.processes):
                continue
            links.append(CauseLink(cause_id=cause_id, name=cause.name,
                                   category_6m=cause.category_6m, strength=0.5,
                                   evidence=cause.description.en,
                                   candidate_kinds=list(cause.candidate_kinds),
                                   parameters=list(cause.parameters),
                                   equipment=list(cause.equipment),
                                   processes=list(cause.processes)))
    best: dict[str, CauseLink] = {}
    for link in links:
        if link.cause_id not in best or link.strength > best[link.cause_id].strength:
            best[link.cause_id] = link
    return sorted(best.values(), key=lambda link: (-link.strength, link.cause_id))


def combine(strengths: list[float]) -> float:
    """Damped noisy-OR of strengths (sorted strongest first here)."""
    miss = 1.0
    for k, strength in enumerate(sorted(strengths, reverse=True)):
        miss *= 1.0 - strength * DAMPING ** k
    return 1.0 - miss


def prior(graph: QualityGraph, candidate_kind: str, name: str | None = None, *,
          characteristic: str | None = None, defect_code: str | None = None,
          process: str | None = None, direction: Direction | None = None) -> float:
    if candidate_kind not in CANDIDATE_KINDS:
        raise KnowledgeGraphError(f"unknown candidate kind {candidate_kind!r}; kinds are "
                                  f"{', '.join(CANDIDATE_KINDS)}")
    links = problem_links(graph, characteristic=characteristic, defect_code=defect_code,
                          process=process, direction=direction)
    factor = 1.0
    parameter: str | None = None
    if candidate_kind == "process_parameter" and name is not None:
        parameter = graph.resolve_parameter(name)
        if parameter is None:
            factor = UNKNOWN_PARAMETER_FACTOR
    strengths = [link.strength for link in links
                 if candidate_kind in link.candidate_kinds
                 and (parameter is None or parameter in link.parameters)]
    return min(CEILING, max(FLOOR, factor * combine(strengths)))
