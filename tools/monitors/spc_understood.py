"""An SPC monitor said back in plain words, in English or Chinese.

"Alert when the X̄-R chart of diameter, for part P-310 (Guide pin), shows 7 points in a
row steadily rising or falling, judged against limits set by each part's first 25
batches; notify the quality engineer." Phrases live in reader/spc_understood.yaml; scope
and actions are said as for any monitor (understood.py).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

from tools.catalog import Catalog
from tools.errors import InvalidInput
from tools.monitors.spc_spec import NELSON, WESTERN_ELECTRIC, ChartRule, SpcMonitorSpec
from tools.monitors.understood import actions_phrase, measure_name, phrases, scope_phrase

_PATH = Path(__file__).with_name("reader") / "spc_understood.yaml"
# Minitab's default K of each rule, and the window of the "K of K+1" rules
_DEFAULT_K = {"we-1": 3, "nelson-1": 3, "we-2": 2, "nelson-5": 2, "we-3": 4, "nelson-6": 4,
              "we-4": 8, "nelson-2": 9, "nelson-3": 6, "nelson-4": 14, "nelson-7": 15,
              "nelson-8": 8}
_OF_K_PLUS_ONE = frozenset({"we-2", "we-3", "nelson-5", "nelson-6"})


@functools.cache
def _spc_phrases() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(_PATH.read_text(encoding="utf-8"))
    return data


def explain_spc(spec: SpcMonitorSpec, catalog: Catalog, language: str) -> str:
    """The SPC monitor in one sentence of ``language`` ('en' or 'zh')."""
    if language not in ("en", "zh"):
        raise InvalidInput(f"cannot explain a monitor in {language!r}; use en or zh")
    words, general = _spc_phrases()[language], phrases()[language]
    return words["sentence"].format(
        chart=words["charts"][spec.chart], of=_of(spec, words, language),
        rules=_rules(spec.rules, words), baseline=spec.baseline,
        scope=scope_phrase(spec.scope, catalog, general, "batch", language),
        actions=actions_phrase(spec.actions, general, language))


def _of(spec: SpcMonitorSpec, words: dict[str, Any], language: str) -> str:
    if spec.chart in ("xbar-r", "xbar-s", "imr"):
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
        k = rule.k or _DEFAULT_K[rule.rule]
        said.append(words["rules"][rule.rule].format(k=k, k1=k + 1 if rule.rule in
                                                     _OF_K_PLUS_ONE else k))
    unique = list(dict.fromkeys(said))
    return str(words["rules_or"].join(unique))
