"""The question set ``evals/datasets/standards_questions.yaml`` and its sanity checks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field

from tools.standards.corpus import Corpus

DATASET = Path(__file__).resolve().parents[1] / "datasets" / "standards_questions.yaml"
_CJK = re.compile(r"[\u3400-\u9fff]")


class Question(BaseModel):
    id: str
    q: str
    expect: str
    also: list[str] = Field(default_factory=list)
    split: Literal["dev", "holdout"] = "dev"
    kind: Literal["topic", "reference"] = "topic"

    @property
    def lang(self) -> str:
        return "zh" if _CJK.search(self.q) else "en"

    @property
    def accepted(self) -> list[str]:
        return [self.expect, *self.also]


def load_questions(path: Path = DATASET) -> list[Question]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Question.model_validate(item) for item in raw["questions"]]


def title_copied(question: Question, corpus: Corpus) -> str | None:
    """The expected clause's heading when the question copies it verbatim (English headings
    of 3+ words, Chinese of 5+ characters); None when it does not."""
    record = corpus.by_key(question.expect)
    if record is None:
        return None
    text = question.q.casefold()
    if len(record.title.split()) >= 3 and record.title.casefold() in text:
        return record.title
    if len(record.title_zh) >= 5 and record.title_zh in question.q:
        return record.title_zh
    return None


def dataset_problems(questions: list[Question], corpus: Corpus) -> list[str]:
    """Everything wrong with the question set (empty = fit to use)."""
    found: list[str] = []
    ids = [q.id for q in questions]
    found += [f"duplicate id {i}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    for question in questions:
        for key in question.accepted:
            if corpus.by_key(key) is None:
                found.append(f"{question.id}: expected {key!r} is not in the corpus")
        copied = title_copied(question, corpus)
        if copied:
            found.append(f"{question.id}: copies the clause title {copied!r}")
    zh = sum(q.lang == "zh" for q in questions)
    if len(questions) < 150:
        found.append(f"only {len(questions)} questions (at least 150 required)")
    if zh < 60:
        found.append(f"only {zh} Chinese questions (at least 60 required)")
    return found
