"""The reader's own words and patterns (vocabulary.yaml), loaded once and compiled."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

VOCABULARY_PATH = Path(__file__).with_name("vocabulary.yaml")
_FLAGS = re.IGNORECASE


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


class Bilingual(_Model):
    en: re.Pattern[str]
    zh: re.Pattern[str]

    def search(self, text: str) -> re.Match[str] | None:
        return self.en.search(text) or self.zh.search(text)

    def finditer(self, text: str) -> list[re.Match[str]]:
        return [*self.en.finditer(text), *self.zh.finditer(text)]


class NumberWords(_Model):
    en: dict[str, int]
    scales: dict[str, int]
    times: dict[str, int]
    per_mille: tuple[str, ...] = ()
    per_ten_thousand: tuple[str, ...] = ()
    times_signs: tuple[str, ...] = ()
    zh_digits: dict[str, int]
    zh_scales: dict[str, int]
    zh_classifiers: str
    zh_keep: tuple[str, ...]


class Vocabulary(_Model):
    """Everything in vocabulary.yaml, with every pattern compiled."""

    numbers: NumberWords
    span_hours: dict[str, float]
    written_units: frozenset[str]
    windows: dict[str, tuple[re.Pattern[str], ...]]
    unsized_window: Bilingual
    relative_baseline: tuple[re.Pattern[str], ...]
    cues: dict[str, Bilingual]
    postfix_comparators: tuple[tuple[re.Pattern[str], str], ...]
    negation: re.Pattern[str]
    between: re.Pattern[str]
    outside: re.Pattern[str]
    create_task: Bilingual
    task_title: re.Pattern[str]
    task_for_after: re.Pattern[str]
    task_for_before: re.Pattern[str]
    requester: re.Pattern[str]
    notify_me: re.Pattern[str]
    notify_verbs: Bilingual
    media: dict[str, re.Pattern[str]]
    channel: re.Pattern[str]
    email_address: re.Pattern[str]
    evidence_records: dict[str, Bilingual]
    evidence_assets: dict[str, re.Pattern[str]]
    evidence_patterns: tuple[re.Pattern[str], ...]
    monitor_intent: Bilingual
    question_intent: Bilingual
    common_words: frozenset[str] = Field(default_factory=frozenset)
    zh_function_chars: frozenset[str] = Field(default_factory=frozenset)
    zh_modifiers: tuple[str, ...] = ()
    zh_not_typos: frozenset[str] = Field(default_factory=frozenset)


def _fill(pattern: str, places: dict[str, str]) -> str:
    for name, value in places.items():
        pattern = pattern.replace("{" + name + "}", value)
    return pattern


def _compile(pattern: str, places: dict[str, str] | None = None) -> re.Pattern[str]:
    return re.compile(_fill(pattern, places or {}), _FLAGS)


def _bilingual(raw: dict[str, str], places: dict[str, str] | None = None) -> Bilingual:
    return Bilingual(en=_compile(raw["en"], places), zh=_compile(raw["zh"], places))


def _alternation(patterns: dict[str, str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns.values())


@functools.cache
def load_vocabulary(path: Path = VOCABULARY_PATH) -> Vocabulary:
    """The reader's vocabulary, compiled (cached: read once per process)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    units = data["units"]
    places = {"unit": units["en"], "zunit": units["zh"], "span": units["span_en"],
              "zspan": units["span_zh"]}
    windows = {kind: tuple(_compile(p, places) for p in patterns)
               for kind, patterns in data["windows"].items() if kind != "unsized"}
    comparators = data["comparators"]
    postfix = tuple((_compile(p), comparator) for comparator, patterns
                    in comparators["postfix"].items() for p in patterns)
    negation = _compile(r"(?:\b|(?<=[^\x00-\x7f]))(?:" + "|".join(comparators["negations"])
                        + r")\s*$")
    actions = data["actions"]
    evidence = data["evidence"]
    records = {name: Bilingual(en=_compile(raw["en"]), zh=_compile(raw["zh"]))
               for name, raw in evidence["records"].items()}
    record_places = {
        "records": "|".join(f"(?:{raw['en']})|(?:{raw['zh']})"
                            for raw in evidence["records"].values()),
        "assets": _alternation(evidence["assets"]),
    }
    evidence_patterns = tuple(_compile(p, record_places)
                              for p in [*evidence["en"], *evidence["zh"]])
    return Vocabulary(
        numbers=NumberWords.model_validate(data["numbers"]),
        span_hours={str(k): float(v) for k, v in units["span_hours"].items()},
        written_units=frozenset(str(u) for u in units["written"]),
        windows=windows,
        unsized_window=_bilingual(data["windows"]["unsized"]),
        relative_baseline=tuple(_compile(p, places) for p in data["relative_baseline"]),
        cues={name: _bilingual(raw, places) for name, raw in data["cues"].items()},
        postfix_comparators=postfix,
        negation=negation,
        between=_compile(comparators["between"]),
        outside=_compile(comparators["outside"]),
        create_task=_bilingual(actions["create_task"]),
        task_title=_compile(actions["title"]),
        task_for_after=_compile(actions["task_for"]["after"]),
        task_for_before=_compile(actions["task_for"]["before"]),
        requester=_compile(actions["requester"]),
        notify_me=_compile(actions["notify_me"]),
        notify_verbs=_bilingual(actions["notify_verbs"]),
        media={name: _compile(p) for name, p in actions["media"].items()},
        channel=re.compile(actions["channel"]),
        email_address=re.compile(actions["email_address"]),
        evidence_records=records,
        evidence_assets={name: _compile(p) for name, p in evidence["assets"].items()},
        evidence_patterns=evidence_patterns,
        monitor_intent=_bilingual(data["intent"]["monitor"]),
        question_intent=_bilingual(data["intent"]["question"]),
        common_words=frozenset(str(w).casefold() for w in data["common_words"]),
        zh_function_chars=frozenset(data["zh_function_chars"]),
        zh_modifiers=tuple(sorted(data["zh_modifiers"], key=len, reverse=True)),
        zh_not_typos=frozenset(data["zh_not_typos"]),
    )
