"""The monitor evaluation dataset, each split (main: monitors*.yaml; heldout: heldout_*.yaml):
valid, large and varied enough, about names the demo plant has, with thresholds that fire
now and then (not never, not always) and never sit on a summed statistic's value."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from evals.monitors.dataset import Case, Split, load_cases
from evals.monitors.frames import PlantFrames, forget_frames, load_frames
from evals.monitors.reference import near_threshold_units, reference_traces
from tests.conftest import FIXTURES
from tools.demo_plant import build_plant
from tools.errors import InvalidInput
from tools.monitors.spec import MonitorSpec

REQUIREMENTS: dict[Split, str] = {"main": "dataset_requirements.yaml",
                                  "heldout": "heldout_requirements.yaml",
                                  "heldout2": "heldout2_requirements.yaml"}
REQUIRED = {split: yaml.safe_load((FIXTURES / "evals" / name).read_text())
            for split, name in REQUIREMENTS.items()}
CASES: dict[Split, list[Case]] = {split: load_cases(split=split) for split in REQUIREMENTS}
MONITORS = {split: [c for c in cases if c.expected is not None]
            for split, cases in CASES.items()}
SPLITS = pytest.mark.parametrize("split", list(REQUIREMENTS))


def _spec(case: Case) -> MonitorSpec:
    assert case.expected is not None
    return case.expected


@SPLITS
def test_size_languages_and_refusals(split: Split) -> None:
    cases, required = CASES[split], REQUIRED[split]
    assert len(cases) >= required["min_cases"]
    by_lang = Counter(c.lang for c in cases)
    for lang, least in required["min_cases_by_language"].items():
        assert by_lang[lang] >= least, lang
    refusals = Counter(c.refusal for c in cases if c.refusal)
    assert sum(refusals.values()) >= required["min_refusals"]
    assert set(refusals) == set(required["refusal_codes"])
    assert len({c.id for c in cases}) == len(cases)
    assert len({c.request for c in cases}) == len(cases), "a request appears twice"
    prefixes = tuple(required.get("id_prefixes", ()))
    assert not prefixes or [c.id for c in cases if not c.id.startswith(prefixes)] == []


@pytest.mark.parametrize(("one", "other"), [("main", "heldout"), ("main", "heldout2"),
                                            ("heldout", "heldout2")])
def test_splits_are_separate(one: Split, other: Split) -> None:
    first, second = CASES[one], CASES[other]
    assert {c.source for c in first}.isdisjoint({c.source for c in second})
    assert {c.id for c in first}.isdisjoint({c.id for c in second})
    assert {c.request for c in first}.isdisjoint({c.request for c in second})


def test_all_is_every_split_in_order() -> None:
    everything = CASES["main"] + CASES["heldout"] + CASES["heldout2"]
    assert [c.id for c in load_cases(split="all")] == [c.id for c in everything]
    with pytest.raises(InvalidInput):
        load_cases(split="train")  # type: ignore[arg-type]


def _seen(split: Split, pick: Any) -> dict[str, set[str]]:
    seen: dict[str, set[str]] = {}
    for case in MONITORS[split]:
        for value in pick(_spec(case)):
            seen.setdefault(value, set()).add(case.lang)
    return seen


@SPLITS
def test_every_signal_and_window_in_both_languages(split: Split) -> None:
    required = REQUIRED[split]
    signals = _seen(split, lambda s: {f"{c.signal.measure}.{c.signal.statistic}"
                               for c in s.conditions})
    for name in required["signals"]:
        assert signals.get(name) == {"en", "zh"}, name
    windows = _seen(split, lambda s: {s.window.kind})
    for kind in required["windows"]:
        assert windows.get(kind) == {"en", "zh"}, kind


@SPLITS
def test_scopes_actions_joins_comparators_covered(split: Split) -> None:
    required = REQUIRED[split]
    scopes = _seen(split, lambda s: {k for k, v in s.scope.model_dump().items() if v})
    assert set(required["scope_fields"]) <= set(scopes)
    actions = _seen(split, lambda s: {a.kind for a in s.actions})
    assert set(required["actions"]) <= set(actions)
    joins = _seen(split, lambda s: {s.join} if len(s.conditions) > 1 else set())
    assert set(required["joins"]) <= set(joins)
    comparators = _seen(split, lambda s: {c.comparator for c in s.conditions})
    assert set(required["comparators"]) <= set(comparators)


def test_bad_dataset_files_are_refused(tmp_path: Path) -> None:
    good = {"id": "x-1", "lang": "en", "request": "r", "refusal": "not_a_monitor"}
    bad_cases: list[list[dict[str, Any]]] = [
        [good, good],  # repeated id
        [{**good, "refusal": None}],  # neither spec nor refusal
        [{"id": "x-2", "lang": "zh", "request": "r",
          "expected": {"language": "en", "conditions": [
              {"signal": {"measure": "batch", "statistic": "yield"}, "comparator": "<",
               "threshold": 0.9}]}}],  # language differs from the case
        [{"id": "x-3", "lang": "en", "request": "r",
          "expected": {"conditions": [{"signal": {"measure": "batch", "statistic": "mean"},
                                       "comparator": "<", "threshold": 1}]}}],
    ]
    for n, cases in enumerate(bad_cases):
        path = tmp_path / f"monitors_bad{n}.yaml"
        path.write_text(yaml.safe_dump({"cases": cases}), encoding="utf-8")
        with pytest.raises(InvalidInput):
            load_cases([path])


@pytest.fixture(scope="module")
def demo_frames(tmp_path_factory: pytest.TempPathFactory) -> Any:
    url = f"duckdb:///{tmp_path_factory.mktemp('demo') / 'plant.duckdb'}"
    build_plant(url, seed=7, months=6)
    yield load_frames(url)
    forget_frames(url)


def _unknown_names(spec: MonitorSpec, frames: PlantFrames) -> list[str]:
    batches, insp = frames.batches, frames.inspections
    columns: dict[str, pd.Series] = {
        "part_ids": frames.parts["part_id"], "families": frames.parts["family"],
        "processes": batches["process"], "line_ids": batches["line_id"],
        "machine_ids": batches["machine_id"], "tool_ids": batches["tool_id"],
        "shifts": batches["shift"],
        "supplier_ids": insp["supplier_id"] if spec.evaluation_unit == "lot"
        else batches["supplier_id"],
        "materials": insp["material"] if spec.evaluation_unit == "lot" else batches["material"],
    }
    missing = [f"{field}={value}" for field, values in spec.scope.model_dump().items()
               for value in values if value not in set(columns[field].dropna())]
    chars = frames.characteristics
    names = {"characteristic": set(chars["name"]), "parameter": set(frames.parameters["name"]),
             "defect_code": set(frames.defects["defect_code"]),
             "incoming": set(insp["characteristic"])}
    for condition in spec.conditions:
        signal = condition.signal
        if signal.name is not None and signal.name not in names[signal.measure]:
            missing.append(f"{signal.measure}={signal.name}")
        if signal.measure == "characteristic":
            owners = set(chars.loc[chars["name"] == signal.name, "part_id"])
            missing += [f"{p} has no {signal.name}" for p in spec.scope.part_ids
                        if p not in owners]
    return missing


@SPLITS
def test_names_exist_and_thresholds_fire_sometimes(split: Split,
                                                  demo_frames: PlantFrames) -> None:
    monitors, required = MONITORS[split], REQUIRED[split]
    unknown = {c.id: _unknown_names(_spec(c), demo_frames) for c in monitors}
    assert {k: v for k, v in unknown.items() if v} == {}
    firing: dict[str, float] = {}
    for case in monitors:
        traces = reference_traces(_spec(case), frames=demo_frames)
        units = sum(len(t.full) for t in traces)
        assert units > 0, f"{case.id} evaluates no unit on the demo plant"
        # a mean or stdev on the threshold would let float rounding decide the alert
        assert near_threshold_units(_spec(case), traces) == 0, case.id
        if any(t.alerts for t in traces):
            firing[case.id] = sum(sum(t.full) for t in traces) / units
    assert len(firing) / len(monitors) >= required["min_share_with_alerts"]
    assert {k: v for k, v in firing.items() if v > required["max_firing_share"]} == {}
