"""The SQL proof on the tiny plant: the compiled backtest must raise exactly the reference
evaluator's (hand-checked) alerts for every edge case of reference_cases.yaml, on DuckDB,
PostgreSQL and MariaDB. Skipped while the compiler cannot be imported."""

from __future__ import annotations

import pytest
import yaml

from evals.monitors.backends import BackendUnavailable, compiled_backtest
from evals.monitors.dataset import Case
from evals.monitors.frames import forget_frames, load_frames
from evals.monitors.runner import ReferenceCache, prove_case
from tests.conftest import FIXTURES
from tests.evals.conftest import write_fixture_plant
from tools.database import connect
from tools.monitors.spec import parse_spec

CASES = yaml.safe_load((FIXTURES / "evals" / "reference_cases.yaml").read_text())["cases"]


@pytest.mark.parametrize("backend", ["duckdb", "postgresql", "mysql"])
def test_compiled_alerts_equal_reference(backend: str, tiny_plant_url: str,
                                         request: pytest.FixtureRequest) -> None:
    try:
        compiled_backtest()
    except BackendUnavailable as exc:
        pytest.skip(str(exc))
    url = tiny_plant_url if backend == "duckdb" else write_fixture_plant(
        request.getfixturevalue("pg_url" if backend == "postgresql" else "mysql_url"))
    cache = ReferenceCache(load_frames(url))  # read before the proof's connection opens
    failures = {}
    try:
        with connect(url) as db:
            for raw in CASES:
                spec = parse_spec(raw["spec"])
                case = Case(id=raw["id"], lang="en", request=raw["id"], expected=spec)
                result = prove_case(case, spec, {backend: db}, cache)
                if not result.passed or not result.values_match_reference[backend]:
                    failures[raw["id"]] = result.errors or result.diffs or "values differ"
    finally:
        if backend != "duckdb":
            forget_frames(url)
    assert failures == {}
