"""The monitor evaluation dataset: requests as people type them, each with the monitor it
means (a full ``MonitorSpec``) or the refusal it deserves.

Files: ``evals/datasets/monitors*.yaml`` (the ``main`` split, the one readers are developed
against), ``evals/datasets/heldout_*.yaml`` (the ``heldout`` split, written separately to
measure how a reader generalises; never tune a reader on it) and
``evals/datasets/heldout2_*.yaml`` (``heldout2``, a second such split written later by
other hands, after the first had been seen by the reader's authors), each ``{description: ...,
cases: [...]}`` with cases ``{id, lang, request, expected | refusal, note?}``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from tools.errors import InvalidInput
from tools.monitors.spec import MonitorSpec, parse_spec

DATASETS = Path(__file__).resolve().parents[1] / "datasets"
DATASET_GLOB = "monitors*.yaml"
Split = Literal["main", "heldout", "heldout2", "all"]
SPLIT_GLOBS: dict[str, tuple[str, ...]] = {
    "main": (DATASET_GLOB,),
    "heldout": ("heldout_*.yaml",),
    "heldout2": ("heldout2_*.yaml",),
    "all": (DATASET_GLOB, "heldout_*.yaml", "heldout2_*.yaml"),
}
RefusalCode = Literal["unknown_characteristic", "unknown_part", "not_a_monitor",
                      "ambiguous_request"]


class Case(BaseModel):
    """One request and what it should become."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    lang: Literal["en", "zh"]
    request: str = Field(min_length=1)
    expected: MonitorSpec | None = None
    refusal: RefusalCode | None = None
    note: str | None = Field(default=None, description="why this reading (for reviewers)")
    source: str = Field(default="", description="the file the case came from")

    @model_validator(mode="after")
    def _one_answer(self) -> Case:
        if (self.expected is None) == (self.refusal is None):
            raise ValueError("a case has either an expected spec or a refusal code")
        if self.expected is not None and self.expected.language != self.lang:
            raise ValueError(f"expected.language is {self.expected.language}, "
                             f"the case is {self.lang}")
        return self

    @property
    def is_refusal(self) -> bool:
        return self.refusal is not None


def _case(raw: Any, source: str, index: int) -> Case:
    if not isinstance(raw, dict):
        raise InvalidInput(f"{source}: case #{index} is not a mapping")
    data = dict(raw)
    where = f"{source}: case {data.get('id', f'#{index}')}"
    if data.get("expected") is not None:
        try:
            data["expected"] = parse_spec(data["expected"])
        except InvalidInput as exc:
            raise InvalidInput(f"{where}: {exc.message}") from exc
    try:
        return Case.model_validate({**data, "source": source})
    except ValueError as exc:
        raise InvalidInput(f"{where}: {exc}") from exc


def split_files(split: Split = "main") -> list[Path]:
    """The dataset files of a split: ``main`` (``monitors*.yaml``), ``heldout``
    (``heldout_*.yaml``), ``heldout2`` (``heldout2_*.yaml``) or ``all``."""
    if split not in SPLIT_GLOBS:
        raise InvalidInput(f"unknown dataset split {split!r}; use main, heldout, heldout2 or all")
    return [path for pattern in SPLIT_GLOBS[split] for path in sorted(DATASETS.glob(pattern))]


def load_cases(paths: Iterable[Path] | None = None, split: Split = "main") -> list[Case]:
    """Every case of the given files, or of the split's files (``main`` by default:
    ``evals/datasets/monitors*.yaml``), in file order; raises ``InvalidInput`` naming the
    case for a bad one or a repeated id."""
    files = split_files(split) if paths is None else list(paths)
    cases: list[Case] = []
    seen: dict[str, str] = {}
    for path in files:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        raw_cases = doc.get("cases", []) if isinstance(doc, dict) else doc
        for index, raw in enumerate(raw_cases, 1):
            case = _case(raw, path.name, index)
            if case.id in seen:
                raise InvalidInput(f"case id {case.id} appears in {seen[case.id]} and "
                                   f"{path.name}")
            seen[case.id] = path.name
            cases.append(case)
    return cases
