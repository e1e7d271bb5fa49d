"""A large synthetic plant in the reference schema, generated inside DuckDB for benchmarks.

``make_big_plant(path, batches=2_000_000, samples=5)`` writes parts, characteristics,
lines, batches and measurements (one characteristic, ``weight``, per part) with a few
variance excursions, so monitors fire now and then. Generation happens in SQL; nothing is
committed to the repo.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

from tools.reference_schema import TABLES_BY_NAME, create_table_sql

_TABLES = ("plants", "lines", "machines", "parts", "characteristics", "batches",
           "measurements", "process_parameters", "tools", "material_lots", "suppliers",
           "defects", "incoming_inspections", "complaints", "engineering_changes",
           "maintenance_events")


def make_big_plant(path: Path, *, batches: int = 2_000_000, samples: int = 5,
                   parts: int = 200, seed: float = 0.42) -> float:
    """Write the plant to a new DuckDB file at ``path``; returns seconds taken."""
    started = time.perf_counter()
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    con.execute("SET enable_progress_bar = false")
    for name in _TABLES:
        con.execute(create_table_sql(TABLES_BY_NAME[name], "duckdb"))
    con.execute(f"SELECT setseed({seed})")
    con.execute("INSERT INTO plants VALUES ('PL-1', 'Benchmark plant')")
    con.execute("INSERT INTO lines VALUES ('L-1', 'PL-1', 'Line 1', 'injection_molding')")
    con.execute("INSERT INTO machines VALUES ('M-1', 'L-1', 'Press 1', 'injection_press')")
    con.execute(f"""
        INSERT INTO parts
        SELECT printf('P-%04d', i), printf('Part %d', i), 'housing', 'PA66'
        FROM range({parts}) t(i)""")
    con.execute(f"""
        INSERT INTO characteristics
        SELECT printf('C-%04d', i), printf('P-%04d', i), 'weight', 'g', 50.0, 49.0, 51.0
        FROM range({parts}) t(i)""")
    con.execute(f"""
        INSERT INTO batches
        SELECT printf('B-%08d', b), printf('P-%04d', b % {parts}), 'L-1', 'M-1', NULL, NULL,
               ['A', 'B', 'C'][(b // {parts}) % 3 + 1], 'OP-1',
               TIMESTAMP '2020-01-01' + to_minutes((b // {parts}) * 30 + b % {parts}),
               TIMESTAMP '2020-01-01' + to_minutes((b // {parts}) * 30 + b % {parts} + 25),
               500, 0
        FROM range({batches}) t(b)""")
    # Within-batch stdev is about 0.1 g; one batch in 40 runs with 0.3 g.
    con.execute(f"""
        INSERT INTO measurements
        SELECT printf('B-%08d', b), printf('C-%04d', b % {parts}), s + 1,
               50.0 + (CASE WHEN hash(b) % 40 = 0 THEN 0.3 ELSE 0.1 END)
                      * sqrt(-2 * ln(random())) * cos(2 * pi() * random()),
               TIMESTAMP '2020-01-01' + to_minutes((b // {parts}) * 30 + b % {parts} + 20)
        FROM range({batches}) t(b), range({samples}) u(s)""")
    con.close()
    return time.perf_counter() - started
