"""An SPC monitor said back in plain words, in English or Chinese.

"Alert when the X̄-R chart of diameter, for part P-310 (Guide pin), shows 7 points in a
row steadily rising or falling, judged against limits set by each part's first 25
batches; notify the quality engineer." Phrases live under ``spc`` in reader/understood.yaml;
scope and actions are said as for any monitor (understood.py).
"""

from __future__ import annotations

from typing import Any

from tools.catalog import Catalog
from tools.errors import InvalidInput
from tools.monitors.spc_spec import (
    NELSON,
    VARIABLES_CHARTS,
    WESTERN_ELECTRIC,
    ChartRule,
    SpcMonitorSpec,
)
from tools.monitors.understood import actions_phrase, measure_name, phrases, scope_phrase
from tools.spc import RULES

_NSIGMAS = 3  # rule 1's K: points beyond the 3-sigma limits


def explain_spc(spec: SpcMonitorSpec, catalog: Catalog, language: str) -> str:
    """The SPC monitor in one sentence of ``language`` ('en' or 'zh')."""
    if language not in ("en", "zh"):
        raise InvalidInput(f"cannot explain a monitor in {language!r}; use en or zh")
    general = phrases()[language]
    words = general["spc"]
    return words["sentence"].format(
        chart=words["charts"][spec.chart], of=_of(spec, words, language),
        rules=_rules(spec.rules, words), baseline=spec.baseline,
        scope=scope_phrase(spec.scope, catalog, general, "batch", language),
        actions=actions_phrase(spec.actions, general, language))


def _of(spec: SpcMonitorSpec, words: dict[str, Any], language: str) -> str:
    if spec.chart in VARIABLES_CHARTS:
        assert spec.name is not None
        return measure_name(spec.name, "characteristic", language)
    if spec.name:
        template = words["of_code_u"] if spec.chart == "u" else words["of_code"]
        return str(template.format(name=measure_name(spec.name, "defect_code", language)))
    return str(words["of_batches"][spec.chart])


def _rules(rules: tuple[ChartRule, ...], words: dict[str, Any]) -> str:
    ids = tuple(r.rule for r in rules)
    defaults = all(r.k is None for r in rules)
    if defaults and ids == NELSON:
        return str(words["all_nelson"])
    if defaults and ids == WESTERN_ELECTRIC:
        return str(words["all_we"])
    said = []
    for rule in rules:
        definition = RULES[rule.rule]
        k = rule.k or int(definition.k or _NSIGMAS)
        said.append(words["rules"][rule.rule].format(
            k=k, k1=k + 1 if definition.test == "k_of" else k))
    unique = list(dict.fromkeys(said))
    return str(words["rules_or"].join(unique))
