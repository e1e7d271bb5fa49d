"""Drift: running statistics of the service's inputs and scores, per UTC day, compared with
the training distribution held in the model's manifest.

For each statistic (vision.preprocess.FEATURES plus the verdict scores) the store keeps
counts in the reference's quantile bins (for the population stability index, PSI) and a
reservoir sample of up to 2,000 values (for the two-sample Kolmogorov-Smirnov test).
A statistic drifts when PSI >= 0.25 or the KS p-value < 0.001; it is to watch when
PSI >= 0.1 or p < 0.01; fewer than 30 images in a day are not enough to say.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field
from scipy.stats import ks_2samp

from vision.manifest import FeatureReference

Status = Literal["stable", "watch", "drift", "insufficient_data"]
PSI_WATCH, PSI_DRIFT = 0.1, 0.25
P_WATCH, P_DRIFT = 0.01, 0.001
MIN_IMAGES = 30
RESERVOIR = 2000
KEEP_DAYS = 90


def build_reference(values: Mapping[str, Sequence[float]], *, bins: int = 10,
                    sample: int = 500, seed: int = 0) -> dict[str, FeatureReference]:
    """Quantile bins, bin shares and a sample of each statistic's training values."""
    rng = np.random.default_rng(seed)
    out: dict[str, FeatureReference] = {}
    for name, raw in values.items():
        data = np.asarray(raw, np.float64)
        if data.size == 0:
            continue
        edges = np.unique(np.round(np.quantile(data, np.linspace(0, 1, bins + 1)[1:-1]), 6))
        counts = np.bincount(np.searchsorted(edges, data, side="right"),
                             minlength=len(edges) + 1)
        picked = data if data.size <= sample else rng.choice(data, sample, replace=False)
        out[name] = FeatureReference(
            edges=[float(e) for e in edges],
            proportions=[round(float(c) / data.size, 6) for c in counts],
            sample=[round(float(v), 5) for v in np.sort(picked)],
            mean=float(data.mean()), std=float(data.std()))
    return out


class FeatureDrift(BaseModel):
    name: str
    psi: float | None
    ks_statistic: float | None
    ks_pvalue: float | None
    reference_mean: float
    current_mean: float | None
    status: Status


class DriftReport(BaseModel):
    model: str
    day: str | None = Field(description="UTC day compared (YYYY-MM-DD); None without data.")
    images: int
    status: Status
    drift: bool
    features: list[FeatureDrift]
    summary: str
    days_available: list[str] = Field(default_factory=list)


def psi(reference: Sequence[float], counts: Sequence[float], eps: float = 1e-4) -> float:
    """Population stability index of observed bin counts against reference shares."""
    expected = np.clip(np.asarray(reference, np.float64), eps, None)
    observed = np.asarray(counts, np.float64)
    observed = np.clip(observed / max(observed.sum(), 1.0), eps, None)
    return float(np.sum((observed - expected) * np.log(observed / expected)))


def _status(psi_value: float | None, pvalue: float | None) -> Status:
    if (psi_value is not None and psi_value >= PSI_DRIFT) or (pvalue is not None
                                                             and pvalue < P_DRIFT):
        return "drift"
    if (psi_value is not None and psi_value >= PSI_WATCH) or (pvalue is not None
                                                             and pvalue < P_WATCH):
        return "watch"
    return "stable"


class DriftStore:
    """Per-day running statistics in a JSON file (one file per model; None: in memory)."""

    def __init__(self, path: Path | None, reference: Mapping[str, FeatureReference], *,
                 flush_every: int = 50) -> None:
        self.path = path
        self.reference = dict(reference)
        self.flush_every = flush_every
        self._lock = threading.Lock()
        self._pending = 0
        self._days: dict[str, dict[str, object]] = {}
        if path is not None and path.is_file():
            self._days = json.loads(path.read_text(encoding="utf-8")).get("days", {})

    def record(self, values: Mapping[str, float], at: dt.datetime | None = None) -> None:
        """Add one image's statistics to its UTC day."""
        day = (at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).date().isoformat()
        with self._lock:
            entry = self._days.setdefault(day, {"n": 0, "features": {}})
            entry["n"] = int(entry["n"]) + 1  # type: ignore[call-overload]
            feats: dict[str, dict[str, object]] = entry["features"]  # type: ignore[assignment]
            for name, value in values.items():
                ref = self.reference.get(name)
                stat = feats.setdefault(name, {"seen": 0, "sum": 0.0, "sample": [],
                                               "counts": [0] * (len(ref.edges) + 1)
                                               if ref else []})
                self._add(stat, float(value), ref, day, name)
            self._pending += 1
            if self._pending >= self.flush_every:
                self._write()

    @staticmethod
    def _add(stat: dict[str, object], value: float, ref: FeatureReference | None, day: str,
             name: str) -> None:
        seen = int(stat["seen"]) + 1  # type: ignore[call-overload]
        stat["seen"] = seen
        stat["sum"] = float(stat["sum"]) + value  # type: ignore[arg-type]
        counts: list[int] = stat["counts"]  # type: ignore[assignment]
        if ref is not None and counts:
            counts[int(np.searchsorted(ref.edges, value, side="right"))] += 1
        sample: list[float] = stat["sample"]  # type: ignore[assignment]
        if len(sample) < RESERVOIR:
            sample.append(round(value, 5))
        else:  # reservoir sampling (Algorithm R), seeded per day, statistic and count
            slot = random.Random(f"{day}:{name}:{seen}").randrange(seen)
            if slot < RESERVOIR:
                sample[slot] = round(value, 5)

    def flush(self) -> None:
        with self._lock:
            self._write()

    def _write(self) -> None:
        self._pending = 0
        if self.path is None:  # in memory only
            return
        keep = dict(sorted(self._days.items())[-KEEP_DAYS:])
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"days": keep}), encoding="utf-8")
        tmp.replace(self.path)

    def days(self) -> list[str]:
        with self._lock:
            return sorted(self._days)

    def report(self, model: str, day: str | None = None) -> DriftReport:
        """Compare a day (default: the latest with data) with the training reference."""
        with self._lock:
            days = sorted(self._days)
            day = day or (days[-1] if days else None)
            entry = json.loads(json.dumps(self._days.get(day, {}))) if day else {}
        n = int(entry.get("n", 0))
        feats = entry.get("features", {})
        rows: list[FeatureDrift] = []
        for name, ref in self.reference.items():
            stat = feats.get(name)
            if not stat or n < MIN_IMAGES:
                mean = float(stat["sum"]) / stat["seen"] if stat else None
                rows.append(FeatureDrift(name=name, psi=None, ks_statistic=None,
                                         ks_pvalue=None, reference_mean=ref.mean,
                                         current_mean=mean, status="insufficient_data"))
                continue
            psi_value = psi(ref.proportions, stat["counts"]) if stat["counts"] else None
            ks = ks_2samp(ref.sample, stat["sample"])
            rows.append(FeatureDrift(
                name=name, psi=None if psi_value is None else round(psi_value, 4),
                ks_statistic=round(float(ks.statistic), 4), ks_pvalue=float(ks.pvalue),
                reference_mean=round(ref.mean, 4),
                current_mean=round(float(stat["sum"]) / stat["seen"], 4),
                status=_status(psi_value, float(ks.pvalue))))
        return _summarise(model, day, n, rows, days)


def _summarise(model: str, day: str | None, n: int, rows: list[FeatureDrift],
               days: list[str]) -> DriftReport:
    if n < MIN_IMAGES:
        status: Status = "insufficient_data"
        summary = (f"Only {n} images on {day}: at least {MIN_IMAGES} are needed to compare "
                   f"with the training distribution." if day else
                   "No images inspected yet: nothing to compare.")
    else:
        drifting = [r.name for r in rows if r.status == "drift"]
        watch = [r.name for r in rows if r.status == "watch"]
        status = "drift" if drifting else "watch" if watch else "stable"
        if drifting:
            summary = (f"{n} images on {day} differ from the training distribution in "
                       f"{', '.join(drifting)}.")
        elif watch:
            summary = f"{n} images on {day}: {', '.join(watch)} moved a little; keep watching."
        else:
            summary = f"{n} images on {day} match the training distribution."
    return DriftReport(model=model, day=day, images=n, status=status,
                       drift=status == "drift", features=rows, summary=summary,
                       days_available=days)
