"""Conditions: the request cut into one stretch per comparison, each read into a signal,
a comparator and a threshold, and the AND / OR that joins them.

A stretch runs from the previous condition's end (or the "and" / "or" after it) to the
next one's start, so "mean weight above 43 g or stdev above 0.2 g" gives two stretches;
a stretch that names no measure of its own takes the previous one's ("above 43 g or below
41 g").
"""

from __future__ import annotations

import itertools

from pydantic import BaseModel, ConfigDict

from tools.catalog import Catalog
from tools.errors import AmbiguousRequest, UnknownCharacteristic
from tools.monitors.grounding import nearest_names
from tools.monitors.reader.comparators import Comparison
from tools.monitors.reader.context import RequestContext
from tools.monitors.reader.index import CatalogIndex
from tools.monitors.reader.intent import (
    leftover_text,
    refuse_unknown_owner,
    refuse_unknown_subject,
)
from tools.monitors.reader.quantities import read_threshold
from tools.monitors.reader.signals import (
    NAME_KINDS,
    Cues,
    SignalReading,
    is_name,
    name_options,
    read_signals,
    restate,
)
from tools.monitors.reader.tokens import Token
from tools.monitors.reader.vocabulary import load_vocabulary
from tools.monitors.reader.windows import mask
from tools.monitors.spec import Condition, Signal

_SEPARATORS = frozenset(",;，；")


class ConditionsReading(BaseModel):
    """The conditions and how they are joined."""

    model_config = ConfigDict(frozen=True)

    conditions: tuple[Condition, ...]
    join: str = "and"


class _Stretch(BaseModel):
    comparisons: tuple[Comparison, ...]
    start: int
    end: int


def read_conditions(text: str, tokens: list[Token], comparisons: list[Comparison],
                    context: RequestContext, index: CatalogIndex, catalog: Catalog,
                    parts: frozenset[str] | None) -> ConditionsReading:
    """One condition per comparison (see the module docstring)."""
    stretches, joins = _stretches(text, tokens, comparisons)
    conditions: list[Condition] = []
    previous: SignalReading | None = None
    regions = [[t for t in tokens if s.start <= t.start < s.end] for s in stretches]
    all_cues = [_cues(text[s.start:s.end], r) for s, r in zip(stretches, regions, strict=True)]
    split_relative = context.relative and len(stretches) > 1 and any(c.change
                                                                     for c in all_cues)
    for stretch, region, cues in zip(stretches, regions, all_cues, strict=True):
        if split_relative:  # the baseline belongs to the conditions that say "change"
            context = context.model_copy(update={"relative": cues.change})
        for comparison in stretch.comparisons:
            signals = read_signals(region, cues, context, index, comparison.comparator, parts)
            if not signals and previous is not None:
                signals = [restate(previous, region, cues, context, comparison.comparator)]
            if not signals:
                _refuse_unread(text, tokens, stretch, comparison, index, catalog)
            if len(signals) > 1:
                joins.append(_join_between(region) or "and")
            _refuse_unknown_owner(text, region, comparison, index, catalog)
            if _counts_samples(text, comparison):
                signals = [sig.model_copy(update={"statistic": "count"})
                           if sig.measure == "characteristic" else sig for sig in signals]
            for signal in signals:
                conditions.append(_condition(signal, comparison, catalog, parts))
            previous = signals[-1]
    distinct = set(joins)
    if len(distinct) > 1:
        raise AmbiguousRequest("the conditions are joined by both AND and OR; split the "
                               "request or say which conditions go together",
                               readings=["all conditions (AND)", "any condition (OR)"])
    return ConditionsReading(conditions=tuple(conditions), join=distinct.pop() if distinct
                             else "and")


def _condition(signal: SignalReading, comparison: Comparison, catalog: Catalog,
               parts: frozenset[str] | None) -> Condition:
    if comparison.threshold is None:
        raise AmbiguousRequest(f"'{_what(signal)}' has a comparison but no threshold; say the "
                               "number to compare with", readings=[], missing="threshold")
    threshold = read_threshold(signal, comparison.threshold, catalog, parts)
    return Condition(signal=Signal(measure=signal.measure,  # type: ignore[arg-type]
                                   statistic=signal.statistic,  # type: ignore[arg-type]
                                   name=signal.name, unit=threshold.unit),
                     comparator=comparison.comparator, threshold=threshold.value,
                     threshold_text=threshold.written)


def _counts_samples(text: str, comparison: Comparison) -> bool:
    """"fewer than 5 diameter samples", "少于4个样本": the threshold is a sample count."""
    if comparison.threshold is None or comparison.threshold.unit is not None:
        return False  # "2% of length samples" is a share, not a count
    cue = load_vocabulary().cues["counted_samples"]
    at = comparison.threshold.end
    return bool(cue.en.match(text, at) or cue.zh.match(text, at))


def _what(signal: SignalReading) -> str:
    return signal.said or signal.name or signal.statistic


def _stretches(text: str, tokens: list[Token],
               comparisons: list[Comparison]) -> tuple[list[_Stretch], list[str]]:
    groups: list[list[Comparison]] = []
    for comparison in comparisons:
        if groups and comparison.group is not None and groups[-1][-1].group == comparison.group:
            groups[-1].append(comparison)
        else:
            groups.append([comparison])
    joins = [g[0].join for g in groups if g[0].join]
    bounds = [0]
    for before, after in itertools.pairwise(groups):
        gap_start, gap_end = before[-1].last, after[0].first
        logic = [t for t in tokens if gap_start <= t.start < gap_end and t.has("logic")]
        if logic:
            joins.append(logic[0].concepts("logic")[0])
            bounds.append(logic[0].end)
            continue
        separator = next((i for i in range(gap_start, gap_end) if text[i] in _SEPARATORS),
                         None)
        bounds.append(separator + 1 if separator is not None else gap_start)
    bounds.append(len(text))
    stretches = [_Stretch(comparisons=tuple(g), start=bounds[i], end=bounds[i + 1])
                 for i, g in enumerate(groups)]
    return stretches, [j for j in joins if j]


def _cues(text: str, region: list[Token]) -> Cues:
    cues = load_vocabulary().cues
    said_change = cues["change"].search(text) is not None \
        or any("relative_change" in t.concepts("statistic") for t in region)
    return Cues(change=said_change,
                extreme=cues["extreme"].search(text) is not None,
                out_of_spec=cues["out_of_spec"].search(text) is not None,
                complaint=cues["complaint"].search(text) is not None
                or any("complaint" in t.concepts("entity") for t in region))


def _join_between(region: list[Token]) -> str | None:
    names = [t for t in region if is_name(t)]
    if len(names) < 2:
        return None
    logic = [t for t in region if names[0].end <= t.start < names[-1].start and t.has("logic")]
    return logic[0].concepts("logic")[0] if logic else None


def _refuse_unknown_owner(text: str, region: list[Token], comparison: Comparison,
                         index: CatalogIndex, catalog: Catalog) -> None:
    """"defect rate of the valve body above 2%": see ``refuse_unknown_owner``."""
    measures = [t for t in region if t.end <= comparison.start
                and (is_name(t) or t.has("statistic"))]
    if measures:
        start, end = measures[-1].end, comparison.start
        refuse_unknown_owner(mask(text, [(t.start, t.end) for t in region])[start:end],
                             index, catalog)


def _refuse_unread(text: str, tokens: list[Token], stretch: _Stretch,
                   comparison: Comparison, index: CatalogIndex, catalog: Catalog) -> None:
    """Nothing in the stretch is a measure the plant has: say which name is unknown."""
    region = [t for t in tokens if stretch.start <= t.start < stretch.end]
    for token in region:
        if is_name(token) and not name_options(token, index):
            term = next(t for t in token.terms if t.kind in NAME_KINDS)
            kind = "defect_code" if term.kind == "defect" else "characteristic"
            suggestions = nearest_names(catalog, kind, term.concept)
            if kind == "defect_code":
                said = (f"no {token.text!r} defects ({term.concept}) are recorded in this "
                        f"plant; it records {_listed(catalog.names(kind))}")
            else:
                said = (f"no part of this plant has a characteristic {token.text!r} "
                        f"({term.concept}); its characteristics are "
                        f"{_listed(catalog.names(kind))}")
            raise UnknownCharacteristic(said, suggestions=suggestions)
    leftover = leftover_text(text, tokens, stretch.start, comparison.start)
    refuse_unknown_subject(leftover, index, catalog)
    raise AmbiguousRequest(f"the comparison '{text[comparison.start:comparison.last]}' does "
                           "not say what to compare; name a characteristic, parameter, "
                           "defect or rate", readings=[], missing="measure")


def _listed(names: list[str]) -> str:
    return ", ".join(names[:10]) + (" ..." if len(names) > 10 else "") if names else "none"
