"""The tiny hand-built plant of tests/fixtures/evals/reference_plant.yaml, written into a real
database (DuckDB here; PostgreSQL and MariaDB through the shared fixtures)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import FIXTURES
from tools.database import connect
from tools.reference_schema import TABLES, create_table_sql

PLANT_FILE = FIXTURES / "evals" / "reference_plant.yaml"


def _time(value: Any) -> Any:
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and "T" in value:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value


def plant_rows(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Full reference-schema rows from the compact fixture (defaults filled in)."""
    start = {b["batch_id"]: _time(b["started_at"]) for b in data["batches"]}
    lines = [{"plant_id": "PL", "name": x["line_id"], **x} for x in data["lines"]]
    rows: dict[str, list[dict[str, Any]]] = {
        "plants": [{"plant_id": "PL", "name": "Test plant"}],
        "lines": lines,
        "machines": [{"machine_id": f"M-{x['line_id']}", "line_id": x["line_id"],
                      "name": f"machine of {x['line_id']}", "machine_type": "press"}
                     for x in lines],
        "tools": [{"tool_id": "T1", "name": "tool 1", "tool_type": "mold", "part_id": "PA"}],
        "suppliers": [{"supplier_id": s, "name": s, "country": "X"}
                      for s in sorted({x["supplier_id"] for x in data["material_lots"]})],
        "material_lots": [{"received_at": dt.datetime(2025, 12, 1, tzinfo=dt.UTC), **x}
                          for x in data["material_lots"]],
        "parts": [{"name": x["part_id"], **x} for x in data["parts"]],
        "characteristics": data["characteristics"],
        "batches": [{**b, "machine_id": f"M-{b['line_id']}", "operator_id": "OP1",
                     "started_at": start[b["batch_id"]],
                     "ended_at": start[b["batch_id"]] + dt.timedelta(hours=1)}
                    for b in data["batches"]],
        "measurements": [{"batch_id": batch, "characteristic_id": char, "sample_no": n,
                          "value": float(v), "measured_at": start[batch]}
                         for batch, chars in data["measurements"].items()
                         for char, values in chars.items()
                         for n, v in enumerate(values, 1)],
        "process_parameters": data["process_parameters"],
        "maintenance_events": [],
        "defects": [{"defect_id": f"D{n}", "detected_at": start[x["batch_id"]],
                     "detection_method": "visual", **x}
                    for n, x in enumerate(data["defects"], 1)],
        "incoming_inspections": [{"inspection_id": f"I{n}", **x,
                                  "inspected_at": _time(x["inspected_at"])}
                                 for n, x in enumerate(data["incoming_inspections"], 1)],
        "complaints": [{"customer": "Customer", "batch_id": None, "description": "complaint",
                        "severity": "low", **x, "received_at": _time(x["received_at"])}
                       for x in data["complaints"]],
        "engineering_changes": [],
    }
    return rows


def write_fixture_plant(url: str, path: Path = PLANT_FILE) -> str:
    """Create the reference tables at ``url`` and load the fixture plant; returns ``url``."""
    rows = plant_rows(yaml.safe_load(path.read_text(encoding="utf-8")))
    with connect(url, writable=True) as db:
        for table in TABLES:
            db.execute(create_table_sql(table, db.dialect))
            records = rows[table.name]
            if records:
                db.insert_rows(table.name, table.column_names,
                               [tuple(r.get(c) for c in table.column_names) for r in records])
    return url


@pytest.fixture(scope="module")
def tiny_plant_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The fixture plant in a DuckDB file (closed, so it can be opened read-only)."""
    path = tmp_path_factory.mktemp("evals") / "tiny.duckdb"
    return write_fixture_plant(f"duckdb:///{path}")
