"""The plant's reference tables as pandas frames, loaded once per database URL.

Evaluation code, not product code: every table a monitor can touch is read whole with a
plain ``SELECT *`` through ``tools.database.connect`` and joined in pandas, so the
reference evaluator shares nothing with the SQL compiler beyond the connection layer.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pandas as pd
from sqlglot import exp

from tools.database import Database, connect
from tools.reference_schema import TABLES_BY_NAME

NEEDED_TABLES = ("lines", "parts", "characteristics", "material_lots", "batches",
                 "measurements", "process_parameters", "defects", "incoming_inspections",
                 "complaints")


@dataclass(frozen=True)
class PlantFrames:
    """The tables a monitor reads, with the joins every monitor needs done once.

    - ``batches``: every batch with ``process`` (of its line), ``family`` (of its part),
      ``supplier_id`` and ``material`` (of its material lot; NaN without a lot).
    - ``measurements``: every sample with ``part_id``, ``name``, ``lsl``, ``usl`` of its
      characteristic.
    - ``inspections``: every incoming inspection with ``supplier_id`` and ``material`` of
      its lot.
    - the other tables as stored.
    """

    url: str
    batches: pd.DataFrame
    measurements: pd.DataFrame
    characteristics: pd.DataFrame
    parameters: pd.DataFrame
    defects: pd.DataFrame
    inspections: pd.DataFrame
    complaints: pd.DataFrame
    parts: pd.DataFrame
    lines: pd.DataFrame


def _read_table(db: Database, name: str) -> pd.DataFrame:
    query = exp.select("*").from_(exp.to_table(name)).sql(dialect=db.dialect)
    result = db.query(query, timeout_s=300)
    columns = [c.lower() for c in result.columns]
    frame = pd.DataFrame(result.rows, columns=columns)
    if frame.empty:  # keep the schema's columns so the joins below still work
        frame = pd.DataFrame(columns=list(TABLES_BY_NAME[name].column_names))
    for column in TABLES_BY_NAME[name].columns:
        if column.type == "TIMESTAMP":
            frame[column.name] = pd.to_datetime(frame[column.name], utc=True)
        elif column.type in ("DOUBLE", "INTEGER"):
            frame[column.name] = pd.to_numeric(frame[column.name]).astype("float64")
    return frame


def read_frames(url: str) -> PlantFrames:
    """Read the plant at ``url`` into frames (no cache; see ``load_frames``)."""
    with connect(url) as db:
        raw = {name: _read_table(db, name) for name in NEEDED_TABLES}
    lines = raw["lines"][["line_id", "process"]]
    parts = raw["parts"]
    lots = raw["material_lots"][["lot_id", "supplier_id", "material"]]
    batches = (raw["batches"]
               .merge(lines, on="line_id", how="left")
               .merge(parts[["part_id", "family"]], on="part_id", how="left")
               .merge(lots.rename(columns={"lot_id": "material_lot_id"}),
                      on="material_lot_id", how="left"))
    characteristics = raw["characteristics"]
    measurements = raw["measurements"].merge(
        characteristics[["characteristic_id", "part_id", "name", "lsl", "usl"]],
        on="characteristic_id", how="inner")
    inspections = raw["incoming_inspections"].merge(lots, on="lot_id", how="inner")
    return PlantFrames(url=url, batches=batches, measurements=measurements,
                       characteristics=characteristics, parameters=raw["process_parameters"],
                       defects=raw["defects"], inspections=inspections,
                       complaints=raw["complaints"], parts=parts, lines=raw["lines"])


_CACHE: dict[str, PlantFrames] = {}
_LOCK = threading.Lock()


def load_frames(url: str) -> PlantFrames:
    """The frames of the plant at ``url``, read on first use and kept for later monitors."""
    with _LOCK:
        if url not in _CACHE:
            _CACHE[url] = read_frames(url)
        return _CACHE[url]


def forget_frames(url: str | None = None) -> None:
    """Drop the cached frames of one URL (all of them without a URL)."""
    with _LOCK:
        if url is None:
            _CACHE.clear()
        else:
            _CACHE.pop(url, None)
