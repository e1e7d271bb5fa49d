"""Databases of the RCA tests: each hand-built scenario (tests/fixtures/rca/scenarios.yaml)
on DuckDB, and a few of them on PostgreSQL and MariaDB, built once per test worker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import MY_SERVER, PG_SERVER, _drop_mysql, _drop_pg, _worker_suffix
from tests.rca.scenario_plant import build_scenario, scenarios

SERVER_SCENARIOS = ("machine", "lot", "change", "confounded_tool")


@pytest.fixture(scope="session")
def scenario_urls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every scenario on DuckDB, by scenario id."""
    folder: Path = tmp_path_factory.mktemp("rca")
    urls = {}
    for scenario_id in scenarios():
        url = f"duckdb:///{folder / (scenario_id + '.duckdb')}"
        build_scenario(url, scenario_id)
        urls[scenario_id] = url
    return urls


@pytest.fixture(scope="module", params=["postgresql", "mysql"])
def server_scenario_urls(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    """``SERVER_SCENARIOS`` on PostgreSQL or MariaDB, by scenario id."""
    names = {s: f"andon_rca_{s[:6]}_{_worker_suffix()}" for s in SERVER_SCENARIOS}
    server = PG_SERVER if request.param == "postgresql" else MY_SERVER
    urls = {s: f"{server}/{name}" for s, name in names.items()}
    try:
        for scenario_id, url in urls.items():
            build_scenario(url, scenario_id)
        yield urls
    finally:
        for name in names.values():
            (_drop_pg if request.param == "postgresql" else _drop_mysql)(name)
