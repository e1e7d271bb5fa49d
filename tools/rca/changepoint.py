"""When the measure changed: change points of the per-batch scores (ruptures: PELT search
with an L2 cost, run as ``KernelCPD`` with the linear kernel, whose cost is the same L2 cost
computed in C), and the episode a question asks about.

The scores are signed (positive = the way the question says the measure moved) and
winsorised at ``CLIP``. PELT runs with BIC-like penalties ``c * log(n)`` (c = 3, 2, 1.25).
A segment is anomalous when its mean score is at least ``MIN_SHIFT`` and its mean times
the square root of its length (a z statistic) at least ``MIN_Z``. Among the anomalous
segments near the time asked (over all penalties), the one that stands out most by rank
(Mann-Whitney z against the rest of the series, so one extreme batch does not win),
weighted by how well its start fits the time asked (``proximity``), seeds the episode.
Anomalous segments of a like level close to it (an affected tool that runs every other
week, a machine that comes back) are merged into one episode. When no PELT segment starts
near the time asked, a rank scan of the windows starting there (``scan``) is tried.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import ruptures as rpt
from pydantic import BaseModel
from scipy import stats

from tools.rca.models import TimeHint

PENALTIES = (3.0, 2.0, 1.25)
MIN_SHIFT = 0.45
MIN_Z = 3.0
MIN_SIZE = 3
CLIP = 6.0  # scores are winsorised
LEVEL = 0.25  # a merged segment deviates at least this share of the seed's mean
SLACK = dt.timedelta(days=4)
MAX_GAP = dt.timedelta(days=10)
LATE = dt.timedelta(days=21)  # a drift may show weeks after it began
NEAR, LATER = 0.8, 0.6
MIN_SCAN = 6
MAX_SCAN = dt.timedelta(days=45)
SCAN_Z = 4.0
TAIL = 0.9


class Segment(BaseModel):
    first: int
    stop: int  # exclusive
    mean: float

    @property
    def size(self) -> int:
        return self.stop - self.first

    @property
    def z(self) -> float:
        return self.mean * math.sqrt(self.size)

    def anomalous(self, sign: int) -> bool:
        return sign * self.mean >= MIN_SHIFT and sign * self.z >= MIN_Z


class Episode(BaseModel):
    """The changed period: positions ``first``..``last`` (inclusive) of the series."""

    first: int
    last: int
    start: dt.datetime
    end: dt.datetime
    sign: int
    z: float
    penalty: float | None
    breakpoints: list[int]
    others: list[tuple[int, int]]
    """Other stretches deviating the same way about as much, kept out of the baseline (a
    stretch deviating the other way is kept: with a long episode the median moves, and the
    baseline would look low; so is a mild drift after the episode)."""
    inner_changes: list[dt.datetime] = []
    """Change points inside the period (finest segmentation): where it got worse again."""
    found_by: str


def rank_z(z: np.ndarray, first: int, last: int, sign: int) -> float:
    """Mann-Whitney z of positions ``first..last`` against the rest of the series, in the
    direction ``sign``: how clearly the period stands out, whatever a few extremes do."""
    inside = z[first:last + 1] * sign
    outside = np.concatenate([z[:first], z[last + 1:]]) * sign
    if inside.size == 0 or outside.size == 0:
        return 0.0
    u = float(stats.mannwhitneyu(inside, outside, alternative="greater").statistic)
    n1, n2 = inside.size, outside.size
    sd = math.sqrt(n1 * n2 * (n1 + n2 + 1) / 12.0)
    return (u - n1 * n2 / 2.0) / sd if sd > 0 else 0.0


def _segments(z: np.ndarray, penalty: float, algo: rpt.KernelCPD) -> list[Segment]:
    ends = [int(e) for e in algo.predict(pen=penalty)]
    out, first = [], 0
    for stop in ends:
        out.append(Segment(first=first, stop=stop, mean=float(np.mean(z[first:stop]))))
        first = stop
    return out


def proximity(seg: Segment, times: pd.Series, hint: TimeHint) -> float:
    """How well a segment's start fits the time asked: 1 inside it, ``NEAR`` within
    ``SLACK`` of it, ``LATER`` up to ``LATE`` after it (a drift that showed later), else 0."""
    start = times.iloc[seg.first].to_pydatetime()
    end = times.iloc[seg.stop - 1].to_pydatetime()
    close = hint.start + (2 * SLACK if hint.since else dt.timedelta(0))
    last = hint.start if hint.since else hint.end
    if hint.start - dt.timedelta(days=1) <= start <= max(close, last) or (
            not hint.since and start <= hint.start <= end):
        return 1.0
    if hint.start - SLACK <= start <= last + SLACK:
        return NEAR
    if last < start <= last + LATE:
        return LATER
    return 0.0


def _merge(segs: list[Segment], seed: int, sign: int, times: pd.Series,
           hint: TimeHint | None) -> tuple[int, int]:
    """Indices (in ``segs``) of the first and last segment of the seed's episode."""
    lo = hi = seed

    def gap(a: Segment, b: Segment) -> dt.timedelta:
        return (times.iloc[b.first] - times.iloc[a.stop - 1]).to_pytimedelta()

    def span() -> dt.timedelta:
        return (times.iloc[segs[hi].stop - 1] - times.iloc[segs[lo].first]).to_pytimedelta()

    level = LEVEL * sign * segs[seed].mean

    def alike(seg: Segment) -> bool:
        return seg.anomalous(sign) and sign * seg.mean >= level

    for j in range(seed + 1, len(segs)):
        if alike(segs[j]):
            if gap(segs[hi], segs[j]) <= max(MAX_GAP, span() / 2):
                hi = j
            else:
                break
    for j in range(seed - 1, -1, -1):
        if alike(segs[j]):
            start = times.iloc[segs[j].first].to_pydatetime()
            if gap(segs[j], segs[lo]) <= MAX_GAP / 2 and (
                    hint is None or start >= hint.start - SLACK):
                lo = j
            else:
                break
    return lo, hi


def _episode(segs: list[Segment], seed: int, sign: int, times: pd.Series,
             hint: TimeHint | None, z: np.ndarray, penalty: float, late: bool,
             finest: list[Segment]) -> Episode:
    lo, hi = _merge(segs, seed, sign, times, hint)
    first, last = segs[lo].first, segs[hi].stop - 1
    inner = [times.iloc[s.first].to_pydatetime() for s in finest if first < s.first <= last]
    inside = z[first:last + 1]
    level = LEVEL * sign * segs[seed].mean
    others = [(s.first, s.stop - 1) for i, s in enumerate(segs)
              if not lo <= i <= hi and s.anomalous(sign) and sign * s.mean >= level]
    return Episode(first=first, last=last, start=times.iloc[first].to_pydatetime(),
                   end=times.iloc[last].to_pydatetime(), sign=sign,
                   z=float(sign * inside.mean() * math.sqrt(inside.size)),
                   penalty=round(penalty, 2), breakpoints=[s.stop for s in segs[:-1]],
                   others=others, inner_changes=inner,
                   found_by="pelt_late" if late else "pelt")


def find_episode(times: pd.Series, z: np.ndarray, hint: TimeHint | None,
                 either_way: bool = False) -> Episode | None:
    """The changed period of a series of signed scores ordered by ``times`` (UTC), near
    ``hint`` when given; ``either_way`` also looks for moves the other way (for questions
    that name no direction; ``sign`` tells which way was found). None when nothing moved."""
    n = len(z)
    if n < 2 * MIN_SIZE + 2:
        return None
    clipped = np.clip(np.nan_to_num(z), -CLIP, CLIP)
    algo = rpt.KernelCPD(kernel="linear", min_size=MIN_SIZE, jump=1).fit(clipped)
    signs = (1, -1) if either_way else (1,)
    finest = _segments(clipped, PENALTIES[-1] * math.log(n), algo)
    found: list[tuple[float, Episode]] = []
    weighted: list[tuple[float, Episode]] = []
    for c in PENALTIES:
        penalty = c * math.log(n)
        segs = _segments(clipped, penalty, algo)
        for i, seg in enumerate(segs):
            weight = 1.0 if hint is None else proximity(seg, times, hint)
            for sign in signs:
                if weight > 0 and seg.anomalous(sign):
                    episode = _episode(segs, i, sign, times, hint, clipped, penalty,
                                       weight == LATER, finest)
                    weighted.append((weight, episode))
                    found.append((weight * rank_z(clipped, seg.first, seg.stop - 1, sign),
                                  episode))
    near = any(e.found_by == "pelt" and w >= NEAR for w, e in weighted)
    if hint is not None and not near:
        scanned = scan(times, clipped, hint, signs)
        if scanned is not None:
            found.append(scanned)
    if found:
        return max(found, key=lambda item: (item[0], -item[1].first))[1]
    return None


def _windows(scores: np.ndarray, moments: np.ndarray, starts: np.ndarray, since: bool,
             ) -> tuple[float, int, int]:
    """The window (first, last) with the largest sum of centred ``scores`` per root length:
    a z statistic when the scores are centred and of unit variance."""
    n = scores.size
    prefix = np.concatenate([[0.0], np.cumsum(scores)])
    longest = np.timedelta64(int(MAX_SCAN.total_seconds()), "s")
    best = (-math.inf, 0, 0)
    for i in starts:
        ends = np.arange(i + MIN_SCAN - 1, n)
        if not since:
            ends = ends[moments[ends] - moments[i] <= longest]
        if ends.size == 0:
            continue
        z = (prefix[ends + 1] - prefix[i]) / np.sqrt(ends - i + 1.0)
        k = int(np.argmax(z))
        if z[k] > best[0]:
            best = (float(z[k]), int(i), int(ends[k]))
    return best


def scan(times: pd.Series, z: np.ndarray, hint: TimeHint, signs: tuple[int, ...],
         ) -> tuple[float, Episode] | None:
    """The stretch starting near the time asked that stands out most, when PELT put no
    change point near it: windows of ``MIN_SCAN`` units up to ``MAX_SCAN`` long (to the end
    of the data for "since") scored two ways, by rank (normal scores of the ranks: a shift
    of the whole stretch) and by the share of units beyond the series' ``TAIL`` quantile (a
    change in a third of the batches, say, that ranks barely see). None unless one of them
    reaches ``SCAN_Z``."""
    moments = times.to_numpy(dtype="datetime64[ns]")
    first_ok = np.datetime64((hint.start - SLACK).replace(tzinfo=None), "ns")
    last_ok = np.datetime64(((hint.start + 2 * SLACK) if hint.since else (hint.end + SLACK))
                            .replace(tzinfo=None), "ns")
    starts = np.flatnonzero((moments >= first_ok) & (moments <= last_ok))
    best: tuple[float, int, int, int] | None = None
    for sign in signs:
        signed = sign * z
        ranks = stats.rankdata(signed)
        normal = stats.norm.ppf(ranks / (signed.size + 1))
        tail = (signed > np.quantile(signed, TAIL)).astype(float)
        share = tail.mean()
        spread = math.sqrt(share * (1 - share)) if 0 < share < 1 else 1.0
        for scores in ((normal - normal.mean()) / (normal.std() or 1.0), (tail - share) / spread):
            stat, first, last = _windows(scores, moments, starts, hint.since)
            if best is None or stat > best[0]:
                best = (stat, first, last, sign)
    if best is None or best[0] < SCAN_Z:
        return None
    stat, first, last, sign = best
    inside = z[first:last + 1] * sign
    return stat, Episode(first=first, last=last, start=times.iloc[first].to_pydatetime(),
                         end=times.iloc[last].to_pydatetime(), sign=sign,
                         z=float(inside.mean() * math.sqrt(inside.size)), penalty=None,
                         breakpoints=[], others=[], found_by="scan")
