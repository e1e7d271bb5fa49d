"""The evidence that two candidates cannot be told apart: how often they mark the same units,
and why the reported one is listed first."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sqlglot import exp

from tools.rca.candidates import Candidate
from tools.rca.conditions import condition, rounded_cut, split_point
from tools.rca.models import Evidence
from tools.rca.scoring import Ranked, dormant, timing
from tools.rca.sqlparts import crosstab_query

if TYPE_CHECKING:
    from tools.rca.evidence import EvidenceBuilder


def _condition(builder: EvidenceBuilder, candidate: Candidate, alias: str) -> exp.Expr:
    if candidate.binary:
        return condition(candidate, builder.a.episode)
    target = builder.a.units["y"].to_numpy(dtype=float) if builder.a.binary_target \
        else builder.score
    cut = rounded_cut(split_point(candidate.values, target), candidate.values)
    if candidate.info.get("source", "process_parameters") == "process_parameters":
        builder.source.parameters[candidate.id] = alias
    else:
        builder.source.variables[candidate.id] = alias
    return condition(candidate, None, alias, cut)


def _reason(builder: EvidenceBuilder, item: Ranked) -> str:
    a = builder.a
    start = a.episode.start if a.episode else None
    inner = a.episode.inner_changes if a.episode else []

    def timed(c: Candidate) -> float:
        if start is None:
            return 0.0
        return timing(c.onset, start, inner) * dormant(c.info.get("at"), start)

    others = item.group
    if a.episode is None:
        return "because_model"
    if item.timing > max(timed(c) for c in others) + 0.2:
        return "because_timing"
    if item.ending > max(c.stop_ok for c in others) + 0.2:
        return "because_ending"
    priors = [a.knowledge.prior(c.kind, c.id) for c in others]
    if item.prior > max(priors) + 0.05:
        return "because_prior"
    return "because_fit"


def _column_name(candidate: Candidate) -> str:
    """A plain column name for a candidate ("T-100B" -> "is_t_100b")."""
    return "is_" + re.sub(r"[^a-z0-9]+", "_", candidate.id.lower()).strip("_")


def confounded_evidence(builder: EvidenceBuilder, item: Ranked) -> Evidence:
    """A crosstab of the reported cause against the first candidate confounded with it."""
    w = builder.w
    lead, other = item.candidate, item.group[0]
    first = _condition(builder, lead, "p1")
    second = _condition(builder, other, "p2")
    names = (_column_name(lead), _column_name(other))
    if names[0] == names[1]:
        names = (names[0] + "_1", names[1] + "_2")
    result = builder.reader.run(crosstab_query(builder.source, first, second, names))
    builder.source.parameters, builder.source.variables = {}, {}
    pairs = ", ".join(f"{r[0]}/{r[1]} {r[2]}" for r in result.rows)
    ids = [c.id for c in item.group]
    claim = w.fill("claims", "confounded", lead=lead.id, others=", ".join(ids), pairs=pairs,
                   because=w.get("claims", _reason(builder, item)))
    builder.count += 1
    return Evidence(id=f"E{builder.count}", claim=claim, query=result.sql, rows=result.rows)
