"""Determinism and the generator's inputs: same seed, same plant; no clock; bad inputs refused."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.demo_plant.conftest import load_fixture, plant_for
from tools.demo_plant import PlantData, generate_plant
from tools.errors import InvalidInput

REPO = Path(__file__).resolve().parents[2]
DIGEST_SCRIPT = (
    "import hashlib; from tools.demo_plant import generate_plant\n"
    "d = generate_plant(seed={seed}, months={months})\n"
    "h = hashlib.sha256()\n"
    "[h.update(repr((k, v)).encode()) for k, v in d.tables.items()]\n"
    "h.update(d.manifest.model_dump_json().encode())\n"
    "print(h.hexdigest())\n")


def digest(data: PlantData) -> str:
    h = hashlib.sha256()
    for name, rows in data.tables.items():
        h.update(repr((name, rows)).encode())
    h.update(data.manifest.model_dump_json().encode())
    return h.hexdigest()


def subprocess_digest(seed: int, months: int, hash_seed: str) -> str:
    env = dict(os.environ, PYTHONHASHSEED=hash_seed, PYTHONPATH=str(REPO))
    out = subprocess.run([sys.executable, "-c", DIGEST_SCRIPT.format(seed=seed, months=months)],
                         cwd=REPO, env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_same_seed_gives_identical_tables_and_manifest(plant: PlantData) -> None:
    again = generate_plant(seed=7)
    assert again.tables == plant.tables
    assert digest(again) == digest(plant)


def test_identical_across_processes_and_hash_seeds() -> None:
    first = subprocess_digest(3, 2, "1")
    second = subprocess_digest(3, 2, "12345")
    assert first == second
    assert first == digest(generate_plant(seed=3, months=2))


def test_different_seed_gives_a_different_plant(plant: PlantData) -> None:
    other = plant_for(11)
    assert digest(other) != digest(plant)
    assert other.tables["measurements"] != plant.tables["measurements"]
    # the plant itself (master data) is the same, only its history differs
    for table in ("plants", "lines", "machines", "tools", "suppliers", "parts",
                  "characteristics"):
        assert other.tables[table] == plant.tables[table]


def test_history_window_is_fixed(plant: PlantData, expect: dict[str, Any]) -> None:
    history = expect["history"]
    manifest = plant.manifest
    assert manifest.history_end == dt.datetime.fromisoformat(history["end"])
    assert manifest.history_start == dt.datetime.fromisoformat(history["start"])
    assert manifest.months == history["months"] and manifest.seed == 7
    starts = [row[8] for row in plant.tables["batches"]]
    assert min(starts) >= manifest.history_start
    assert max(row[9] for row in plant.tables["batches"]) <= manifest.history_end


def test_length_follows_months() -> None:
    short = generate_plant(seed=7, months=1)
    assert short.manifest.history_end == plant_for(7).manifest.history_end
    assert (short.manifest.history_end - short.manifest.history_start).days in (30, 31)
    assert 0 < len(short.tables["batches"]) < len(plant_for(7).tables["batches"]) / 4
    for incident in short.manifest.incidents:
        assert incident.start >= short.manifest.history_start
        assert incident.end <= short.manifest.history_end


@pytest.mark.parametrize("kwargs", load_fixture("bad_inputs.yaml"), ids=str)
def test_bad_inputs_are_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput) as caught:
        generate_plant(**kwargs)
    assert caught.value.message.count(".") <= 1  # one sentence
