"""A small demo plant shared by the interface tests (one month, built once per worker)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def small_plant(tmp_path_factory: pytest.TempPathFactory) -> str:
    from tools.demo_plant import build_plant

    path = tmp_path_factory.mktemp("plant") / "plant.duckdb"
    build_plant(f"duckdb:///{path}", seed=11, months=1)
    return f"duckdb:///{path}"


@pytest.fixture
def andon_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ANDON_HOME", str(tmp_path / "home"))
    for name in ("ANDON_DB", "ANDON_MAPPING", "ANDON_ROLE", "ANDON_ROW_CAP"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "home"
