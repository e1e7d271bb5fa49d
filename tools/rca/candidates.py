"""Candidate causes as features over the analysed batches.

Each candidate is a column over the analysis set (the changed period and its stable
baseline): a 0/1 indicator of the batches it would have affected, or a process
parameter's per-batch value. Indicators:

- tool, machine, operator, shift, supplier: the batches of that level inside the changed
  period (a level that ran nearly all of the period cannot be told from time itself:
  ``whole_period`` says so, and only its timing can set it apart);
- material lot: the batches made from the lot;
- maintenance event: the batches run on its machine or tool (every batch, for a gauge)
  from the event to the asset's next event (a record saying nothing was changed, such as
  "within tolerance as found", is marked ``unchanged``: its date marks no change);
- engineering change: the batches from its effective date on.

``onset`` is when a candidate with a date of its own starts marking batches, ``stop``
when it stops; they feed the timing scores (scoring.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from tools.rca.timewords import load_words

ENTITY_COLUMNS = {"tool": "tool_id", "machine": "machine_id", "operator": "operator_id",
                  "shift": "shift", "supplier": "supplier_id"}
ASSET_COLUMNS = {"machine": "machine_id", "tool": "tool_id"}
MIN_BATCHES = 2
WHOLE_PERIOD = 0.9
EVENT_LOOKBACK = dt.timedelta(days=30)
LATE_ONSET = dt.timedelta(days=3)  # detected change points can run a little early
NEXT_RUN = dt.timedelta(days=10)
AFFECTED = 1.0
FOLLOWING = 3


@dataclass
class Candidate:
    kind: str
    id: str
    values: np.ndarray
    binary: bool
    onset: dt.datetime | None = None
    stop_ok: float = 0.0  # 1.0 when the candidate's marking ends where the period ends
    scoped: bool = False  # an indicator restricted to the changed period
    info: dict[str, Any] = field(default_factory=dict)


def _first_after(history: pd.DataFrame, moment: dt.datetime,
                 on: tuple[str, str] | None = None) -> dt.datetime | None:
    """The first batch start at or after ``moment`` in the part's whole series (on one
    asset or lot, given as (column, id)): when a dated candidate began to show."""
    times = history["started_at"]
    mask = np.array(times >= pd.Timestamp(moment), dtype=bool)
    if on is not None:
        column, key = on
        if column not in history:
            return None
        mask &= np.array((history[column].astype("string") == key).fillna(False), dtype=bool)
    found = times[mask]
    return found.min().to_pydatetime() if len(found) else None


def _level_candidates(frame: pd.DataFrame, inside: np.ndarray, static: bool,
                      history: pd.DataFrame) -> list[Candidate]:
    out: list[Candidate] = []
    period_size = max(int(inside.sum()), 1)
    for kind, column in ENTITY_COLUMNS.items():
        if column not in frame or frame[column].nunique(dropna=True) < 2:
            continue
        values = frame[column].astype("string")
        counts = values[inside].value_counts() if not static else values.value_counts()
        for level, count in counts.items():
            if pd.isna(level) or int(count) < MIN_BATCHES:
                continue
            mask = np.array((values == level).fillna(False), dtype=bool)
            indicator = mask if static else mask & inside
            out.append(Candidate(kind, str(level), indicator.astype(float), True,
                                 scoped=not static,
                                 info={"column": column,
                                       "whole_period": count / period_size >= WHOLE_PERIOD}))
    if "material_lot_id" in frame:
        lots = frame["material_lot_id"].astype("string")
        counts = lots[inside].value_counts() if not static else lots.value_counts()
        for lot, count in counts.items():
            if pd.isna(lot) or int(count) < MIN_BATCHES:
                continue
            mask = np.array((lots == lot).fillna(False), dtype=bool)
            every = history.loc[np.array((history["material_lot_id"].astype("string") == lot)
                                         .fillna(False), dtype=bool), "started_at"]
            out.append(Candidate("material_lot", str(lot), mask.astype(float), True,
                                 onset=every.min().to_pydatetime(),
                                 info={"column": "material_lot_id",
                                       "last_use": every.max().to_pydatetime()}))
    return out


def _asset_batches(frame: pd.DataFrame, asset_type: str, asset_id: str) -> np.ndarray:
    column = ASSET_COLUMNS.get(asset_type)
    if column is None:  # a gauge measures every batch
        return np.ones(len(frame), dtype=bool)
    if column not in frame:
        return np.zeros(len(frame), dtype=bool)
    return (frame[column].astype("string") == asset_id).fillna(False).to_numpy()


def _event_candidates(frame: pd.DataFrame, events: pd.DataFrame, start: dt.datetime,
                      end: dt.datetime, history: pd.DataFrame) -> list[Candidate]:
    out: list[Candidate] = []
    times = frame["started_at"]
    for row in events.itertuples(index=False):
        at = row.performed_at.to_pydatetime()
        if not start - EVENT_LOOKBACK <= at <= start + LATE_ONSET:
            continue
        later = events[(events["asset_id"] == row.asset_id) & (events["performed_at"] > at)]
        until = later["performed_at"].min() if len(later) else None
        on_asset = _asset_batches(frame, str(row.asset_type), str(row.asset_id))
        mask = on_asset & np.array(times >= at, dtype=bool)
        if until is not None:
            mask = mask & np.array(times < until, dtype=bool)
        if int(mask.sum()) < MIN_BATCHES:
            continue
        column = ASSET_COLUMNS.get(str(row.asset_type))
        unchanged = _says_unchanged(str(row.description))
        out.append(Candidate("maintenance_event", str(row.event_id), mask.astype(float), True,
                             onset=_first_after(history, at, None if column is None
                                                else (column, str(row.asset_id))),
                             stop_ok=_stopped_by_service(frame, on_asset, mask, events,
                                                         str(row.asset_id), end),
                             info={"asset_id": str(row.asset_id), "unchanged": unchanged,
                                   "asset_type": str(row.asset_type), "kind": str(row.kind),
                                   "at": at, "next_at": None if until is None
                                   else until.to_pydatetime()}))
    return out


def _says_unchanged(description: str) -> bool:
    """A maintenance record stating that nothing was changed (words.yaml)."""
    words = load_words()["no_change_events"]
    text = description.casefold()
    return any(w.casefold() in text for w in words["en"] + words["zh"])


def _stopped_by_service(frame: pd.DataFrame, on_asset: np.ndarray, marked: np.ndarray,
                        events: pd.DataFrame, asset_id: str, end: dt.datetime) -> float:
    """1.0 when a service of the asset ends the problem: it falls after the asset's last
    clearly affected batch (score >= ``AFFECTED``) of the changed period and before the
    asset's ``FOLLOWING``-th batch after it."""
    if events.empty:
        return 0.0
    times = frame["started_at"]
    inside = marked & np.array(times <= pd.Timestamp(end), dtype=bool)
    if not inside.any():
        return 0.0
    clear = inside & (frame["z"].to_numpy() >= AFFECTED)
    last = times[clear if clear.any() else inside].max()
    after = times[on_asset & np.array(times > last, dtype=bool)].sort_values()
    following = after.iloc[FOLLOWING - 1] if len(after) >= FOLLOWING else \
        last + pd.Timedelta(NEXT_RUN)
    services = events[(events["asset_id"] == asset_id)
                      & (events["performed_at"] > last - pd.Timedelta(hours=12))
                      & (events["performed_at"] <= following)]
    return 1.0 if len(services) else 0.0


def _change_candidates(frame: pd.DataFrame, changes: pd.DataFrame, start: dt.datetime,
                       history: pd.DataFrame) -> list[Candidate]:
    out: list[Candidate] = []
    times = frame["started_at"]
    for row in changes.itertuples(index=False):
        at = row.effective_at.to_pydatetime()
        if not start - EVENT_LOOKBACK <= at <= start + LATE_ONSET:
            continue
        mask = (times >= at).to_numpy()
        if int(mask.sum()) < MIN_BATCHES:
            continue
        out.append(Candidate("engineering_change", str(row.change_id), mask.astype(float),
                             True, onset=_first_after(history, at),
                             info={"at": at, "kind": str(row.kind),
                                   "description": str(row.description)}))
    return out


def _parameter_candidates(frame: pd.DataFrame, parameters: pd.DataFrame,
                          source: str) -> list[Candidate]:
    if parameters.empty:
        return []
    wide = parameters.pivot_table(index="batch_id", columns="name", values="value",
                                  aggfunc="mean")
    out: list[Candidate] = []
    for name in wide.columns:
        values = frame["batch_id"].map(wide[name]).astype(float).to_numpy()
        present = np.isfinite(values)
        if present.mean() < 0.5 or np.nanstd(values) == 0:
            continue
        filled = np.where(present, values, np.nanmedian(values))
        out.append(Candidate("process_parameter", str(name), filled, False,
                             info={"source": source}))
    return out


def build_candidates(frame: pd.DataFrame, inside: np.ndarray, *, static: bool,
                     start: dt.datetime | None, end: dt.datetime | None,
                     events: pd.DataFrame, changes: pd.DataFrame, parameters: pd.DataFrame,
                     history: pd.DataFrame | None = None,
                     parameter_source: str = "process_parameters") -> list[Candidate]:
    """Every candidate over ``frame`` (the analysed batches in time order, with their
    signed scores ``z``); ``inside`` marks the changed period; ``history`` is the part's
    whole series, where dated candidates' onsets are found. ``parameter_source`` says
    where the per-batch variables came from (``process_parameters``, or ``measurements``
    where other measured characteristics stand for the process conditions). Static
    questions (no change in time) get no events or changes."""
    history = frame if history is None else history
    found = _level_candidates(frame, inside, static, history)
    if not static and start is not None and end is not None:
        for candidate in found:
            if candidate.kind in ASSET_COLUMNS and candidate.scoped:
                on_asset = _asset_batches(frame, candidate.kind, candidate.id)
                candidate.stop_ok = _stopped_by_service(frame, on_asset,
                                                        candidate.values > 0, events,
                                                        candidate.id, end)
        found += _event_candidates(frame, events, start, end, history)
        found += _change_candidates(frame, changes, start, history)
    found += _parameter_candidates(frame, parameters, parameter_source)
    return [c for c in found if np.nanstd(c.values) > 0]
