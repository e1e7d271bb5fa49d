"""Fixtures for the knowledge-graph tests: the shipped graph and the case files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from knowledge_graph import QualityGraph, load_graph
from tests.conftest import FIXTURES

KG_FIXTURES: Path = FIXTURES / "knowledge_graph"


def load_cases(name: str) -> Any:
    return yaml.safe_load((KG_FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def graph() -> QualityGraph:
    return load_graph()
