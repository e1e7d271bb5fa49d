"""``understood``: a monitor spec said back in plain words, in English or Chinese.

"Alert when the within-batch standard deviation of weight exceeds 0.15 g in 5
consecutive batches, for parts made on injection-molding lines; notify the process
engineer." / "当注塑线生产的零件重量的批内标准差连续5批大于0.15 g时报警，并通知工艺工程师。"
It names the scope, statistic, comparator, threshold with its unit, window and actions,
so a person can see which reading was taken. Phrases live in reader/understood.yaml;
names come from the catalog (part names, supplier names) and the lexicon (Chinese names
of characteristics, roles and defects).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

from tools.catalog import Catalog, Lexicon
from tools.catalog.terms import normalize_text
from tools.errors import InvalidInput
from tools.monitors.spec import FRACTION_STATISTICS, Action, Condition, MonitorSpec, Scope

PHRASES_PATH = Path(__file__).with_name("reader") / "understood.yaml"
_UNIT_DISPLAY = {"C": "°C", "degC": "°C", "F": "°F", "degF": "°F", "um": "µm"}
_KIND_OF_MEASURE = {"characteristic": "characteristic", "parameter": "parameter",
                    "incoming": "inspection_characteristic", "defect_code": "defect"}


@functools.cache
def phrases() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(PHRASES_PATH.read_text(encoding="utf-8"))
    return data


def explain_spec(spec: MonitorSpec, catalog: Catalog, language: str) -> str:
    """The spec in one sentence of ``language`` ('en' or 'zh')."""
    if language not in ("en", "zh"):
        raise InvalidInput(f"cannot explain a monitor in {language!r}; use en or zh")
    words = phrases()[language]
    unit = spec.evaluation_unit
    pooled = "pooled" if spec.window.pooled else "single"
    conditions = [_condition(c, words, pooled, language) for c in spec.conditions]
    window = _window(spec, words, language)
    if language == "zh" and len(conditions) == 1:
        signal, comparison = conditions[0]
        said = f"{signal}{window}{comparison}"
    else:
        joined = words["joins"][spec.join].join(f"{s}{c}" if language == "zh" else f"{s} {c}"
                                                for s, c in conditions)
        said = f"{joined}，{window}" if language == "zh" and window else f"{joined}{window}"
    return words["sentence"].format(conditions=said, window="",
                                    scope=scope_phrase(spec.scope, catalog, words, unit,
                                                       language),
                                    actions=actions_phrase(spec.actions, words, language))


def _condition(condition: Condition, words: dict[str, Any], pooled: str,
               language: str) -> tuple[str, str]:
    signal = condition.signal
    key: str = signal.statistic
    if signal.measure == "incoming" and key == "pass_rate" and signal.name:
        key = "pass_rate_named"
    template = words["signals"][signal.measure][key][pooled]
    name = measure_name(signal.name, signal.measure, language) if signal.name else ""
    comparator = words["comparators"][condition.comparator]
    space = "" if language == "zh" else " "
    return template.format(name=name), f"{comparator}{space}{_threshold(condition)}"


def _threshold(condition: Condition) -> str:
    value = condition.threshold
    if condition.signal.statistic in FRACTION_STATISTICS:
        return f"{round(value * 100, 10):g}%"
    unit = condition.signal.unit
    number = f"{round(value, 10):g}"
    if unit is None:
        return number
    shown = _UNIT_DISPLAY.get(unit, unit)
    return f"{number}{shown}" if shown in ("%", "°C", "°F") else f"{number} {shown}"


def _window(spec: MonitorSpec, words: dict[str, Any], language: str) -> str:
    window = spec.window
    units = words["units"][spec.evaluation_unit]
    template: str = words["windows"][window.kind]
    if window.kind != "time":
        return template.format(n=window.n, k=window.k, units=units)
    hours = window.hours or 0.0
    if hours >= 48 and hours % 24 == 0:
        amount, span = hours / 24, "day"
    else:
        amount, span = hours, "hour"
    span_word = words["spans"][span if amount == 1 else span + "s"]
    joiner = "" if language == "zh" else " "
    return template.format(span=f"{amount:g}{joiner}{span_word}")


def scope_phrase(scope: Scope, catalog: Catalog, words: dict[str, Any], unit: str,
                 language: str) -> str:
    """The scope's filters said in ``language`` (empty when there are none)."""
    phrases = words["scope"]
    pieces: list[str] = []
    for field, values in scope.model_dump().items():
        if not values:
            continue
        shown = phrases["list_and"].join(_scope_value(field, v, catalog, language)
                                         for v in values)
        template = phrases[field]
        if isinstance(template, dict):
            template = template[unit]
        if len(values) > 1:
            for one, many in words.get("plurals", {}).items():
                template = template.replace(one, many, 1)
        pieces.append(template.format(values=shown))
    if not pieces:
        return ""
    return phrases["lead"] + phrases["separator"].join(pieces)


def _scope_value(field: str, value: str, catalog: Catalog, language: str) -> str:
    if field == "part_ids":
        name = next((p.name for p in catalog.parts if p.part_id == value), None)
        return f"{value} ({name})" if name and name != value else value
    if field == "supplier_ids":
        name = next((s.name for s in catalog.suppliers if s.supplier_id == value), None)
        return f"{value} ({name})" if name and name != value else value
    if field == "processes":
        zh = _lexicon_form(value, "process", "zh") if language == "zh" else None
        return zh or value.replace("_", "-")
    if field == "families" and language == "zh":
        return (_lexicon_form(value, "family", "zh") or value).removesuffix("类")
    return value


def actions_phrase(actions: tuple[Action, ...], words: dict[str, Any], language: str) -> str:
    """The actions said in ``language`` (empty when there are none)."""
    phrases = words["actions"]
    said: list[str] = []
    roles: list[str] = []  # consecutive notifications of roles are said together
    for index, action in enumerate(actions):
        if action.kind == "notify" and action.role and not action.channel:
            roles.append(_role(action.role, words, language))
            following = actions[index + 1] if index + 1 < len(actions) else None
            if following is None or following.kind != "notify" or not following.role \
                    or following.channel:
                said.append(phrases["notify_role"].format(role=words["roles_and"].join(roles)))
                roles = []
        elif action.kind == "create_task":
            task = (phrases["create_task_titled"].format(title=action.title)
                    if action.title else phrases["create_task"])
            said.append(phrases["task_for"].format(task=task, role=_role(
                action.role, words, language)) if action.role else task)
        elif action.kind == "attach_evidence" and action.evidence is not None:
            evidence = action.evidence
            said.append(phrases["attach"].format(n=evidence.last,
                                                 records=phrases["records"][evidence.records],
                                                 of=phrases["of"][evidence.of]))
        elif action.role:
            channel = words["media"].get(action.channel or "", action.channel)
            said.append(phrases["notify_role_channel"].format(
                role=_role(action.role, words, language), channel=channel))
        elif action.channel and action.channel.startswith("email:"):
            said.append(phrases["notify_email"].format(address=action.channel[6:]))
        elif action.channel:
            channel = words["media"].get(action.channel, action.channel)
            said.append(phrases["notify_channel"].format(channel=channel))
    if not said:
        return ""
    if len(said) == 1:
        return phrases["lead"] + said[0]
    return phrases["lead"] + phrases["separator"].join(said[:-1]) + phrases["list_and"] + said[-1]


def _role(role: str, words: dict[str, Any], language: str) -> str:
    named: str | None = words["roles"].get(role)
    return named or _lexicon_form(role, "role", language) or role.replace("_", " ")


def measure_name(name: str, measure: str, language: str) -> str:
    """A characteristic, parameter, inspection item or defect code as said in ``language``."""
    spaced = name.replace("_", " ")
    if language == "zh":
        return _lexicon_form(name, _KIND_OF_MEASURE[measure], "zh") or spaced
    forms = [text for text, lang in _forms(name, _KIND_OF_MEASURE[measure]) if lang == "en"]
    if measure == "defect_code":
        if any(normalize_text(f) == spaced for f in forms):
            return spaced
        return next((f for f in forms if f != name), spaced)
    return forms[0] if forms else spaced


def _lexicon_form(concept: str, kind: str, language: str) -> str | None:
    return next((text for text, lang in _forms(concept, kind) if lang == language), None)


@functools.cache
def _forms(concept: str, kind: str) -> tuple[tuple[str, str], ...]:
    forms = Lexicon.load().forms(concept, kind)
    other = {"characteristic": "inspection_characteristic",
             "inspection_characteristic": "characteristic"}.get(kind)
    if other and not forms:
        forms = Lexicon.load().forms(concept, other)
    if not forms:  # a plant's own name that is a generic form of a lexicon concept
        written = [t for t in Lexicon.load().lookup(concept) if t.kind in (kind, other)]
        if written:  # 'thickness': said as written, in Chinese by the concept's last
            zh = [t.text for t in Lexicon.load().forms(written[0].concept, written[0].kind)
                  if t.language == "zh"]  # (most generic) form, 厚度
            return ((concept.replace("_", " "), "en"), *((zh[-1], "zh") for _ in zh[:1]))
    return tuple((t.text, t.language) for t in forms)
