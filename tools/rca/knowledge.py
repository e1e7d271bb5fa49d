"""What the defect knowledge graph (knowledge_graph/) adds to an investigation: the prior of
a candidate kind for the problem, the containment and corrective actions of the graph cause
that best fits the found cause, and the clauses that apply.

If the graph cannot be loaded, investigations still run: every prior is neutral (0.5), and
actions and clauses come only from the data (the result notes it).
"""

from __future__ import annotations

import contextlib
import functools
from dataclasses import dataclass
from typing import Any

from tools.rca.models import ClauseItem, Language, ProblemSpec

NEUTRAL = 0.5


@functools.cache
def _graph() -> Any | None:
    try:
        from knowledge_graph import load_graph

        return load_graph()
    except Exception:
        return None


@dataclass(frozen=True)
class ProblemKeys:
    """The problem in the graph's terms."""

    characteristic: str | None
    defect_code: str | None
    direction: str | None
    process: str | None


def problem_keys(spec: ProblemSpec, process: str | None) -> ProblemKeys:
    characteristic = spec.target if spec.measure == "characteristic" else None
    defect = spec.target if spec.measure == "defect_code" else None
    direction: str | None = spec.direction
    if spec.statistic in ("stdev", "range"):
        direction = "spread"
    return ProblemKeys(characteristic, defect, direction if characteristic else None, process)


class Knowledge:
    """Priors, actions and clauses for one problem."""

    def __init__(self, keys: ProblemKeys, graph: Any | None = None,
                 use_graph: bool = True) -> None:
        self.keys = keys
        self.graph = graph if graph is not None else (_graph() if use_graph else None)
        self._priors: dict[tuple[str, str | None], float] = {}

    @property
    def available(self) -> bool:
        return self.graph is not None

    def _kwargs(self) -> dict[str, Any]:
        k = self.keys
        return {"characteristic": k.characteristic, "defect_code": k.defect_code,
                "process": k.process, "direction": k.direction}

    def prior(self, kind: str, name: str | None = None) -> float:
        key = (kind, name if kind == "process_parameter" else None)
        if key not in self._priors:
            value = NEUTRAL
            if self.graph is not None:
                try:
                    value = float(self.graph.prior(kind, key[1], **self._kwargs()))
                except Exception:
                    value = NEUTRAL
            self._priors[key] = value
        return self._priors[key]

    def _links(self) -> list[Any]:
        if self.graph is None:
            return []
        k = self.keys
        try:
            links: list[Any] = []
            if k.defect_code:
                links += self.graph.causes_of(k.defect_code, process=k.process)
            if k.characteristic:
                links += self.graph.causes_for_characteristic(
                    k.characteristic, k.direction, process=k.process)
            return sorted(links, key=lambda link: -float(link.strength))
        except Exception:
            return []

    def graph_cause(self, kind: str, name: str | None) -> Any | None:
        """The strongest graph cause of the problem that shows up as this candidate."""
        fitting = [link for link in self._links() if kind in link.candidate_kinds]
        if kind == "process_parameter" and name is not None:
            fitting = [link for link in fitting if name in link.parameters] or fitting
        return fitting[0] if fitting else None

    def actions(self, kind: str, name: str | None, language: Language,
                ) -> tuple[list[str], list[str], str | None]:
        """(containment, corrective, graph cause id) for a found cause."""
        link = self.graph_cause(kind, name)
        if link is None or self.graph is None:
            return [], [], None
        try:
            found = self.graph.actions_for(link.cause_id)
        except Exception:
            return [], [], None
        pick = (lambda t: t.zh) if language == "zh" else (lambda t: t.en)
        return ([pick(t) for t in found.containment], [pick(t) for t in found.corrective],
                str(link.cause_id))

    def clauses(self, cause_id: str | None, language: Language) -> list[ClauseItem]:
        if self.graph is None:
            return []
        refs: list[Any] = list(self.graph.problem_solving_clauses())
        if cause_id is not None:
            with contextlib.suppress(Exception):
                refs += list(self.graph.clauses_for(f"cause:{cause_id}"))
        out: dict[tuple[str, str], ClauseItem] = {}
        for ref in refs:
            title = ref.title_zh if language == "zh" and getattr(ref, "title_zh", None) \
                else ref.title
            out.setdefault((ref.standard, ref.clause), ClauseItem(
                standard=ref.standard, clause=ref.clause, title=title))
        return list(out.values())
