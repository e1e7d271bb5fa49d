"""The backtest's guarded path: roles and row caps (backtest_runs.yaml), and a plant in
another layout read through its table mapping (mapping_specs.yaml)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.catalog.plant_db import build_customer_plant, build_small_plant, load_fixture
from tests.conftest import MY_SERVER, _drop_mysql, _worker_suffix
from tests.monitors.compiler.tiny_plant import CasePlant, load_cases, load_yaml
from tools.catalog import TableMapping
from tools.database import connect
from tools.errors import SqlRejected
from tools.monitors.alerts import Alert
from tools.monitors.backtest import backtest
from tools.monitors.spec import parse_spec
from tools.sql_guard import GuardPolicy

RUNS: list[dict[str, Any]] = load_yaml("backtest_runs.yaml")
MAPPING_SPECS: list[dict[str, Any]] = load_yaml("mapping_specs.yaml")
CASES = {c["id"]: c for c in load_cases()}


@pytest.mark.parametrize("run", RUNS, ids=[f"{r['case']}-{r['role']}-{r['row_cap']}"
                                           for r in RUNS])
def test_roles_and_row_caps(run: dict[str, Any], case_plants: dict[str, CasePlant]) -> None:
    case = CASES[run["case"]]
    plant = case_plants["postgres"]
    plant.load(case)
    policy = GuardPolicy.for_role(run["role"], row_cap=run["row_cap"])
    spec = parse_spec(case["spec"])
    if "refused" in run:
        with pytest.raises(SqlRejected) as refusal:
            backtest(spec, db=plant.db, policy=policy)
        assert refusal.value.details["rule"] == run["refused"]
        return
    result = backtest(spec, db=plant.db, policy=policy, request="r", understood="u")
    assert [a.unit_id for a in result.alerts] == [
        str(unit) for _, unit, _, _ in case["alerts"][:run["alerts"]]]
    assert result.truncated is run["truncated"]
    assert result.row_cap == policy.row_cap
    assert (result.request, result.understood, result.spec) == ("r", "u", spec)
    assert f"LIMIT {policy.row_cap + 1}" in result.sql  # the guarded SQL, as run


@pytest.fixture(scope="module")
def mapped_plants(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The small reference plant (DuckDB) and its customer-layout copy (DuckDB, MariaDB)."""
    folder: Path = tmp_path_factory.mktemp("mapped")
    name = f"andon_mm_{_worker_suffix()}"
    urls = {"reference": f"duckdb:///{folder / 'small.duckdb'}",
            "duckdb": f"duckdb:///{folder / 'customer.duckdb'}", "mysql": f"{MY_SERVER}/{name}"}
    try:
        build_small_plant(urls["reference"])
        build_customer_plant(urls["duckdb"])
        build_customer_plant(urls["mysql"])
        yield urls
    finally:
        _drop_mysql(name)


def _comparable(alerts: list[Alert]) -> list[tuple[Any, ...]]:
    return [(*a.key(), a.at, None if a.value is None else round(a.value, 9)) for a in alerts]


def test_monitors_run_through_a_table_mapping(mapped_plants: dict[str, str]) -> None:
    mapping = TableMapping.from_dict(load_fixture("customer_plant.yaml")["mapping"],
                                     origin="customer_plant.yaml")
    policy = GuardPolicy.for_role("engineer", row_cap=1000, expand=mapping.expand)
    fired = 0
    with connect(mapped_plants["reference"]) as reference:
        for case in MAPPING_SPECS:
            spec = parse_spec(case["spec"])
            expected = backtest(spec, db=reference).alerts
            fired += bool(expected)
            for dialect in ("duckdb", "mysql"):
                with connect(mapped_plants[dialect]) as customer:
                    got = backtest(spec, db=customer, policy=policy)
                assert _comparable(got.alerts) == _comparable(expected), (case["id"], dialect)
                assert any(t in got.sql for t in mapping.physical_tables()), case["id"]
    assert fired == len(MAPPING_SPECS)  # every monitor fires, so equality means something
