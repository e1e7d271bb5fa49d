"""From a located problem to ranked candidates: the data read, the per-unit series, the
changed period, the analysis set (changed period plus a stable baseline) and the scores.

Units are batches, or incoming lots for an incoming-inspection question. Several parts (a
family named, or no part named) are each searched for the change and the one that changed
most clearly is explained; a question about why something happens at all ("static") pools
them and compares units with and without the problem.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tools.catalog import Catalog
from tools.errors import InsufficientData
from tools.rca.candidates import Candidate, build_candidates
from tools.rca.changepoint import Episode, find_episode
from tools.rca.data import PlantReader
from tools.rca.knowledge import Knowledge, problem_keys
from tools.rca.models import ProblemSpec
from tools.rca.scoring import Ranked, rank
from tools.rca.series import characteristic_units, defect_units, signed_scores, transformed

LOOK_BACK = dt.timedelta(days=150)
LOOK_AHEAD = dt.timedelta(days=60)
NO_HINT_SPAN = dt.timedelta(days=365)
PRE_MIN = dt.timedelta(days=45)
PRE_MAX = dt.timedelta(days=120)
POST = dt.timedelta(days=30)
EVENT_MARGIN = dt.timedelta(days=31)


@dataclass
class Analysis:
    """Everything the result is written from."""

    spec: ProblemSpec
    part_id: str | None
    material: str | None
    units: pd.DataFrame  # the analysis set, in time order, with y and z
    inside: np.ndarray  # the changed period within ``units``
    episode: Episode | None
    ranked: list[Ranked]
    candidates: list[Candidate]
    knowledge: Knowledge
    binary_target: bool
    parts_considered: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    baseline_span: tuple[dt.datetime, dt.datetime] | None = None


def fetch_window(spec: ProblemSpec, anchor: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    end = anchor + dt.timedelta(days=1)
    if spec.hint is None:
        return anchor - NO_HINT_SPAN, end
    return spec.hint.start - LOOK_BACK, min(end, spec.hint.end + LOOK_AHEAD)


def _unit_frames(spec: ProblemSpec, reader: PlantReader, catalog: Catalog,
                 since: dt.datetime, until: dt.datetime) -> dict[str, pd.DataFrame]:
    batches = reader.batches(spec.part_ids, since, until)
    if spec.measure == "characteristic":
        ids = [c.characteristic_id for c in catalog.characteristics
               if c.name == spec.target and c.part_id in spec.part_ids]
        units = characteristic_units(batches, reader.samples(ids, spec.part_ids, since, until),
                                     spec.statistic)
    elif spec.measure == "defect_code":
        units = defect_units(batches, reader.defect_counts(spec.target, spec.part_ids, since,
                                                           until))
    else:
        units = defect_units(batches, None)
    return {str(p): f.reset_index(drop=True) for p, f in units.groupby("part_id")}


def _score(frame: pd.DataFrame, spec: ProblemSpec) -> pd.DataFrame:
    frame = frame.sort_values("started_at", kind="stable").reset_index(drop=True)
    frame["t"] = transformed(frame["y"], spec.statistic)
    frame["z"] = signed_scores(frame["t"].to_numpy(), spec.direction)
    return frame


def _best_episode(frames: dict[str, pd.DataFrame], spec: ProblemSpec,
                  ) -> tuple[str, pd.DataFrame, Episode]:
    found: list[tuple[float, str, pd.DataFrame, Episode]] = []
    for key, frame in frames.items():
        scored = _score(frame, spec)
        episode = find_episode(scored["started_at"], scored["z"].to_numpy(), spec.hint,
                               either_way=spec.direction is None)
        if episode is not None:
            found.append((episode.z, key, scored, episode))
    if not found:
        where = f" around {spec.hint.text}" if spec.hint else ""
        raise InsufficientData(f"no change of {spec.target.replace('_', ' ')} was found in "
                               f"the data{where}; there is nothing to explain")
    _, key, frame, episode = max(found, key=lambda item: item[0])
    if episode.sign < 0:  # no direction asked and it moved down: score it that way
        frame["z"] = -frame["z"]
    return key, frame, episode


def analysis_set(frame: pd.DataFrame, episode: Episode,
                 ) -> tuple[pd.DataFrame, np.ndarray, tuple[dt.datetime, dt.datetime]]:
    """The changed period plus its stable surroundings (other anomalies left out)."""
    times = frame["started_at"]
    length = episode.end - episode.start
    pre = min(PRE_MAX, max(PRE_MIN, 2 * length))
    keep = np.array((times >= pd.Timestamp(episode.start - pre))
                    & (times <= pd.Timestamp(episode.end + POST)), dtype=bool)
    positions = np.arange(len(frame))
    for first, last in episode.others:
        keep &= ~((positions >= first) & (positions <= last))
    inside = (positions >= episode.first) & (positions <= episode.last)
    keep |= inside
    chosen = frame[keep].reset_index(drop=True)
    span = (chosen["started_at"].min().to_pydatetime(),
            chosen["started_at"].max().to_pydatetime())
    return chosen, inside[keep], span


def _series_times(frame: pd.DataFrame) -> np.ndarray:
    """Start times of the whole series (naive UTC, sorted), for counting units."""
    return np.sort(frame["started_at"].dt.tz_convert("UTC").dt.tz_localize(None)
                   .to_numpy(dtype="datetime64[ns]"))


def _process(catalog: Catalog, part_id: str | None) -> str | None:
    part = next((p for p in catalog.parts if p.part_id == part_id), None)
    return part.processes[0] if part is not None and part.processes else None


def _co_measured(reader: PlantReader, catalog: Catalog, spec: ProblemSpec, parts: list[str],
                 since: dt.datetime, until: dt.datetime) -> pd.DataFrame:
    """Where a plant records no process parameters for the parts, the other characteristics
    measured on the same batches stand for the process conditions (AI4I's sensors)."""
    names = sorted({c.name for c in catalog.characteristics if c.part_id in parts
                    and not (spec.measure == "characteristic" and c.name == spec.target)})
    if not names:
        return pd.DataFrame(columns=["batch_id", "name", "value"])
    return reader.other_characteristics(parts, names, since, until)


def analyse_batches(spec: ProblemSpec, reader: PlantReader, catalog: Catalog,
                    anchor: dt.datetime, use_graph: bool = True) -> Analysis:
    since, until = fetch_window(spec, anchor)
    frames = _unit_frames(spec, reader, catalog, since, until)
    if not frames:
        raise InsufficientData(f"no batches of {', '.join(spec.part_ids)} with "
                               f"{spec.target.replace('_', ' ')} data were found")
    notes: list[str] = []
    static = spec.mode == "static"
    if static:
        frame = _score(pd.concat(frames.values(), ignore_index=True), spec)
        parts = sorted(frames)
        part_id: str | None = parts[0] if len(parts) == 1 else None
        episode, inside, span = None, np.ones(len(frame), dtype=bool), None
        units = history = frame
    else:
        part_id, frame, episode = _best_episode(frames, spec)
        parts = [part_id]
        units, inside, span = analysis_set(frame, episode)
        history = frame
    first, last = units["started_at"].min(), units["started_at"].max()
    parameters = reader.parameters(parts, first.to_pydatetime(),
                                   last.to_pydatetime() + dt.timedelta(seconds=1))
    source = "process_parameters"
    if parameters.empty:
        parameters = _co_measured(reader, catalog, spec, parts, first.to_pydatetime(),
                                  last.to_pydatetime() + dt.timedelta(seconds=1))
        source = "measurements"
        if not parameters.empty:
            notes.append("no process parameters are recorded for these batches; the other "
                         "measured characteristics were used as process variables")
    events = changes = pd.DataFrame()
    if episode is not None:
        assets = sorted({str(v) for col in ("machine_id", "tool_id") if col in units
                         for v in units[col].dropna().unique()})
        events = reader.events(assets, spec.measure == "characteristic",
                               first.to_pydatetime() - EVENT_MARGIN,
                               last.to_pydatetime() + EVENT_MARGIN)
        changes = reader.changes(parts)
    y = units["y"].to_numpy(dtype=float)
    binary_target = static and bool(np.isin(y, (0.0, 1.0)).all())
    target = y if binary_target else units["z"].to_numpy(dtype=float)
    candidates = build_candidates(
        units, inside, static=static, start=episode.start if episode else None,
        end=episode.end if episode else None, events=events, changes=changes,
        parameters=parameters, history=history, parameter_source=source)
    knowledge = Knowledge(problem_keys(spec, _process(catalog, part_id or parts[0])),
                          use_graph=use_graph)
    ranked = rank(candidates, target, binary_target=binary_target, static=static,
                  start=episode.start if episode else None,
                  end=episode.end if episode else None,
                  prior=lambda c: knowledge.prior(c.kind, c.id),
                  inner=episode.inner_changes if episode else [],
                  times=_series_times(history))
    return Analysis(spec=spec, part_id=part_id, material=None, units=units, inside=inside,
                    episode=episode, ranked=ranked, candidates=candidates,
                    knowledge=knowledge, binary_target=binary_target,
                    parts_considered=sorted(frames), notes=notes, baseline_span=span)


def analyse_incoming(spec: ProblemSpec, reader: PlantReader, anchor: dt.datetime,
                     use_graph: bool = True) -> Analysis:
    """Incoming lots of a material: which supplier's lots moved."""
    since, until = fetch_window(spec, anchor)
    rows = reader.inspections(spec.target, spec.materials, since, until)
    if rows.empty:
        raise InsufficientData(f"no incoming inspections of {spec.target.replace('_', ' ')} "
                               "with values were found")
    rows = rows.rename(columns={"inspected_at": "started_at", "value": "y"})
    rows["batch_id"] = rows["lot_id"]
    frames = {str(m): f.reset_index(drop=True) for m, f in rows.groupby("material")}
    material, frame, episode = _best_episode(frames, spec)
    units, inside, span = analysis_set(frame, episode)
    candidates = build_candidates(units[["batch_id", "started_at", "supplier_id"]], inside,
                                  static=False, start=episode.start, end=episode.end,
                                  events=pd.DataFrame(), changes=pd.DataFrame(),
                                  parameters=pd.DataFrame())
    knowledge = Knowledge(problem_keys(spec, None), use_graph=use_graph)
    ranked = rank(candidates, units["z"].to_numpy(dtype=float), binary_target=False,
                  static=False, start=episode.start, end=episode.end,
                  prior=lambda c: knowledge.prior(c.kind, c.id),
                  inner=episode.inner_changes, times=_series_times(frame))
    return Analysis(spec=spec, part_id=None, material=material, units=units, inside=inside,
                    episode=episode, ranked=ranked, candidates=candidates,
                    knowledge=knowledge, binary_target=False, parts_considered=[],
                    baseline_span=span)
