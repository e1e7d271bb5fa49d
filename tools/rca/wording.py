"""Words and number formats of an investigation's output (templates.yaml), per language."""

from __future__ import annotations

import datetime as dt
import functools
import math
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from tools.rca.models import Language, ProblemSpec
from tools.rca.series import robust_scale

TEMPLATES_FILE = Path(__file__).with_name("templates.yaml")


@functools.cache
def _templates() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(TEMPLATES_FILE.read_text(encoding="utf-8"))
    return data


class Words:
    """The templates of one language, with the problem's names filled in."""

    def __init__(self, language: Language, spec: ProblemSpec, part: str | None,
                 material: str | None) -> None:
        self.language = language
        self.t = _templates()[language]
        self.spec = spec
        target = display_name(spec.target, spec.measure, language)
        self.names = {"target": target, "part": part or "", "material": material or "",
                      "statistic": self.t["statistic"][spec.statistic]}
        self.units = self.t["units"]["lot" if spec.measure == "incoming_inspection"
                                     else "batch"]

    def get(self, *path: str) -> str:
        node: Any = self.t
        for key in path:
            node = node[key]
        return str(node)

    def fill(self, *path: str, **values: Any) -> str:
        text = self.get(*path).format(**{**self.names, "units": self.units, **values})
        return " ".join(text.split())

    def measure(self) -> str:
        return self.fill("measure", self.spec.measure)

    def short(self) -> str:
        return self.fill("short", self.spec.measure)

    def kind(self, kind: str) -> str:
        return self.get("kinds", kind)


_LEXICON_KINDS = {"characteristic": "characteristic",
                  "incoming_inspection": "inspection_characteristic"}


@functools.cache
def display_name(name: str, measure: str, language: Language) -> str:
    """How a characteristic or defect is written in ``language``: its Chinese name from the
    lexicon or the defect code list, else the name with spaces."""
    plain = name.replace("_", " ")
    if language != "zh":
        return plain
    if measure == "defect_code":
        from knowledge_graph.defect_codes import defect_codes_by_code

        code = defect_codes_by_code().get(name)
        return code.name_zh if code is not None else plain
    kind = _LEXICON_KINDS.get(measure)
    if kind is None:
        return plain
    from tools.catalog import Lexicon

    forms = [t.text for t in Lexicon.load().terms
             if t.kind == kind and t.concept == name and t.language == "zh"]
    return forms[0] if forms else plain


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


class Numbers:
    """How numbers are written: values with enough decimals to show the change, rates as
    percentages with three significant digits, p-values, dates."""

    def __init__(self, spec: ProblemSpec, values: np.ndarray) -> None:
        self.rate = spec.measure in ("defect_code", "defect_rate")
        finite = values[np.isfinite(values)]
        _, scale = robust_scale(finite) if finite.size else (0.0, 1.0)
        self.decimals = int(min(6, max(0, math.ceil(-math.log10(scale)) + 1))) \
            if scale > 0 else 3

    def value(self, value: Any) -> str:
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return "n/a"
        number = float(value)
        if self.rate:
            return significant(number, 3)
        return f"{number:.{self.decimals}f}"

    @staticmethod
    def plain(value: float, decimals: int) -> str:
        return f"{value:.{decimals}f}"


def significant(value: float, digits: int) -> str:
    """``value`` with ``digits`` significant digits, never in scientific notation."""
    if value == 0 or not math.isfinite(value):
        return "0"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    return f"{value:.{decimals}f}"


def p_value(p: float | None) -> str:
    if p is None or not math.isfinite(p):
        return "n/a"
    if p < 0.001:
        return f"{p:.1e}"
    return f"{p:.3f}"


def day(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d")


def minute(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")


def days_between(later: dt.datetime, earlier: dt.datetime) -> str:
    return f"{(later - earlier).total_seconds() / 86400.0:.1f}"


capital = _capital
