"""SPC requests ("alert on any Nelson rule violation on the X-bar chart of bore diameter",
"当直径的X-bar图出现连续7点上升时报警") read into an ``SpcMonitorSpec``.

The chart, the run rules (with their K) and the batches that set the limits come from
``spc_words.yaml``; the scope, the characteristic or defect and the actions are read as in
any request (scope.py, actions.py), from what those phrases leave.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from tools.catalog import Catalog
from tools.catalog.terms import normalize_text
from tools.errors import AmbiguousRequest, InvalidInput, UnknownCharacteristic
from tools.monitors.grounding import scoped_parts
from tools.monitors.reader.actions import read_actions, read_evidence
from tools.monitors.reader.index import CatalogIndex
from tools.monitors.reader.intent import (
    leftover_text,
    refuse_unknown_chinese_names,
    refuse_unknown_subject,
)
from tools.monitors.reader.scope import fit_scope, read_scope
from tools.monitors.reader.signals import name_options
from tools.monitors.reader.tokens import Token
from tools.monitors.reader.unknown_names import refuse_unknown_entity_names
from tools.monitors.reader.windows import mask
from tools.monitors.spc_spec import (
    NELSON,
    VARIABLES_CHARTS,
    WESTERN_ELECTRIC,
    ChartRule,
    SpcMonitorSpec,
)
from tools.monitors.spec import Language

_FILE = Path(__file__).with_name("spc_words.yaml")
_BATCH_RATES = frozenset({"defect_rate", "qty_defective", "yield"})
Span = tuple[int, int]
_CHART_WORD = re.compile(r"\s*(?:control\s+)?charts?\b|\s*(?:控制)?图", re.IGNORECASE)


@cache
def _words() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(_FILE.read_text(encoding="utf-8"))

    def compiled(patterns: list[str]) -> list[re.Pattern[str]]:
        return [re.compile(p, re.IGNORECASE) for p in patterns]

    words: dict[str, Any] = {
        "charts": {k: compiled(v) for k, v in data["charts"].items()},
        "control_chart": compiled(data["control_chart"]),
        "rules": {k: compiled(v) for k, v in data["rules"].items()},
        "baseline": compiled(data["baseline"])}
    words["any"] = [*words["control_chart"],
                    *(p for ps in words["charts"].values() for p in ps),
                    *(p for ps in words["rules"].values() for p in ps)]
    return words


def is_spc_request(text: str) -> bool:
    """Does the request name a control chart or a run rule?"""
    return any(p.search(text) for p in _words()["any"])


def read_spc(text: str, tokens: list[Token], index: CatalogIndex, catalog: Catalog,
             language: Language) -> SpcMonitorSpec:
    """The SPC monitor the request asks for (see the module docstring)."""
    chart, spans = _chart(text)
    rules, rule_spans = _rules(text)
    baseline, baseline_spans = _baseline(text)
    spans += rule_spans + baseline_spans + [m.span() for p in _words()["control_chart"]
                                            for m in p.finditer(text)]
    working = mask(text, spans)
    free = [t for t in tokens if not any(t.overlaps(s, e) for s, e in spans)]
    evidence = read_evidence(working, free)
    working = mask(working, evidence.spans)
    free = [t for t in free if not t.inside(evidence.spans)]
    actions = read_actions(working, free)
    working = mask(working, actions.spans)
    free = [t for t in free if not t.inside(actions.spans)]
    refuse_unknown_entity_names(working, free, index, catalog)
    refuse_unknown_chinese_names(working, free, catalog)
    scope = read_scope(working, free, index, catalog)
    parts = scoped_parts(scope.scope(), catalog) if scope.names_parts else None
    try:
        chart, name, unit = _subject(chart, free, index, parts)
    except AmbiguousRequest:  # words nobody read where the characteristic belongs?
        refuse_unknown_subject(leftover_text(working, free, 0, len(working)), index, catalog)
        raise
    try:
        return SpcMonitorSpec(language=language, scope=fit_scope(scope, "batch", catalog),
                              chart=chart,  # type: ignore[arg-type]
                              name=name, unit=unit, rules=rules or (ChartRule(rule="nelson-1"),),
                              baseline=baseline,
                              actions=(*actions.actions, *evidence.actions))
    except ValidationError as exc:
        message = str(exc.errors()[0].get("msg", "invalid")).removeprefix("Value error, ")
        raise InvalidInput(f"the request cannot be an SPC monitor: {message}") from exc


def _chart(text: str) -> tuple[str | None, list[Span]]:
    for chart, patterns in _words()["charts"].items():  # specific names come first
        for pattern in patterns:
            found = pattern.search(text)
            if found:
                tail = _CHART_WORD.match(text, found.end())
                return chart, [(found.start(), tail.end() if tail else found.end())]
    return None, []


def _rules(text: str) -> tuple[tuple[ChartRule, ...], list[Span]]:
    found: dict[str, int | None] = {}
    spans: list[Span] = []
    for key, patterns in _words()["rules"].items():
        for pattern in patterns:
            for match in pattern.finditer(text):
                if any(s < match.end() and match.start() < e for s, e in spans):
                    continue
                spans.append(match.span())
                for rule, k in _rules_of(key, match):
                    found.setdefault(rule, k)
    order = [*NELSON, *WESTERN_ELECTRIC]
    rules = tuple(ChartRule(rule=r, k=found[r])  # type: ignore[arg-type]
                  for r in sorted(found, key=order.index))
    return rules, spans


def _rules_of(key: str, match: re.Match[str]) -> list[tuple[str, int | None]]:
    groups = match.groupdict()
    if key == "nelson-all":
        return [(r, None) for r in NELSON]
    if key == "we-all":
        return [(r, None) for r in WESTERN_ELECTRIC]
    if key in ("nelson-number", "we-number"):
        return [(f"{key.split('-')[0]}-{groups['r']}", None)]
    k = groups.get("k") or groups.get("n")
    if key in ("nelson-5", "nelson-6") and groups.get("k") and groups.get("n") \
            and int(groups["n"]) != int(groups["k"]) + 1:
        raise AmbiguousRequest(f"'{match.group(0).strip()}': the zone rules look at K of K+1 "
                               f"points; {groups['k']} of {groups['n']} is not such a rule",
                               readings=[f"{groups['k']} of {int(groups['k']) + 1}"])
    return [(key, int(k) if k else None)]


def _baseline(text: str) -> tuple[int, list[Span]]:
    for pattern in _words()["baseline"]:
        found = pattern.search(text)
        if found:
            return int(found.group("n")), [found.span()]
    return SpcMonitorSpec.model_fields["baseline"].default, []


def _subject(chart: str | None, tokens: list[Token], index: CatalogIndex,
             parts: frozenset[str] | None) -> tuple[str, str | None, str | None]:
    """The chart and what it plots: a characteristic (variables charts), a defect code
    (c, u) or the batch's defectives (p, np)."""
    characteristics: list[str] = []
    defects: list[str] = []
    rates: list[str] = []
    written = {normalize_text(t.text).replace(" ", "_") for t in tokens}
    for token in tokens:
        for measure, name in name_options(token, index):
            if measure == "characteristic":
                characteristics.append(name)
            elif measure == "defect_code":
                defects.append(name)
        rates.extend(c for c in token.concepts("statistic") if c in _BATCH_RATES)
    characteristics = sorted(dict.fromkeys(characteristics), key=lambda n: (
        parts is not None and not set(index.characteristic_units.get(n, {})) & parts,
        n not in written))
    if chart in VARIABLES_CHARTS or (chart is None and characteristics):
        unknown = [t.text for t in tokens if t.has("characteristic")
                   and not name_options(t, index)]
        if not characteristics and unknown:
            known = sorted(index.characteristic_units)
            raise UnknownCharacteristic(f"this plant has no characteristic called "
                                        f"{unknown[0]!r}; its characteristics are "
                                        f"{', '.join(known[:10]) or 'none'}", suggestions=known)
        if not characteristics:
            raise AmbiguousRequest("the request names a control chart but no characteristic "
                                   "to plot; say which, e.g. 'the X-bar chart of diameter'",
                                   readings=[], missing="characteristic")
        name = characteristics[0]
        units = index.characteristic_units.get(name, {})
        if parts is not None and not set(units) & parts:
            raise UnknownCharacteristic(f"no part in the scope has a characteristic {name!r}",
                                        suggestions=sorted(units))
        unit = next(iter({units[p] for p in units if parts is None or p in parts}), None)
        return chart or "xbar-r", name, unit
    if chart in ("c", "u") or (chart is None and defects):
        return chart or "u", defects[0] if defects else None, None
    if chart in ("p", "np") or rates:
        return chart or "p", None, None
    raise AmbiguousRequest("the request asks for run rules but not on what; name a "
                           "characteristic (e.g. 'diameter') or a defect rate",
                           readings=[], missing="characteristic")
