"""Fixtures of the SPC tests: the qcc data sets copied into tests/fixtures/spc/qcc."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

SPC_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "spc"


def load(name: str) -> pd.DataFrame:
    return pd.read_csv(SPC_FIXTURES / "qcc" / f"{name}.csv")


@pytest.fixture(scope="session")
def pistonrings() -> pd.DataFrame:
    return load("pistonrings")


@pytest.fixture(scope="session")
def piston_table(pistonrings: pd.DataFrame) -> np.ndarray:
    """The 40 samples of 5 diameters as a 40 × 5 table."""
    return pistonrings["diameter"].to_numpy().reshape(40, 5)
