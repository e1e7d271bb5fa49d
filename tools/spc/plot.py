"""Control charts drawn as PNG or SVG: ``render_chart(result, fmt="png" | "svg") -> bytes``.

One panel per chart of a ``ChartResult`` (X̄ and R, I and MR, p, EWMA with its widening
limits, CUSUM C⁺ / -C⁻ with ±h, T²): the centre line, the control limits (drawn as stair
steps where they vary), the 1σ / 2σ zones shaded, the phase-I / phase-II boundary, points
flagged by a run rule in red with the rule tags (``N2``, ``W1``...) above them, excluded
phase-I points hollow, and a legend of the rules that fired.

matplotlib is used without pyplot (a bare ``Figure`` on the Agg canvas), so no global
backend is switched and no window opens; style settings apply only inside
``rc_context`` under a lock (rcParams are process-wide). Output is deterministic: SVG ids
come from a fixed hash salt and no date is written, so the same result gives the same SVG
bytes. Flagged markers carry the SVG group id ``spc-flagged-<chart>`` (one ``<use>`` per
point), excluded ones ``spc-excluded-<chart>``.
"""

from __future__ import annotations

import io
import threading
from typing import Any

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator
from numpy.typing import NDArray

from tools.errors import InvalidInput
from tools.spc import plot_style as st
from tools.spc.models import ChartResult, ChartSeries

FloatArray = NDArray[np.float64]
MAX_PLOT_SUBGROUPS = 100_000
MAX_TAGGED_POINTS = 80  # beyond this many flagged points per panel, the legend alone names rules
_LOCK = threading.Lock()


def render_chart(result: ChartResult, *, fmt: str = "png", title: str | None = None,
                 width: float | None = None, height: float | None = None,
                 dpi: float | None = None) -> bytes:
    """The chart as PNG or SVG bytes. ``width`` / ``height`` in inches (default 10 wide,
    2.7 per panel), ``dpi`` for PNG (default 110)."""
    if fmt not in ("png", "svg"):
        raise InvalidInput(f"unknown image format {fmt!r}: use png or svg")
    if result.subgroups > MAX_PLOT_SUBGROUPS:
        raise InvalidInput(f"{result.subgroups} subgroups are too many to draw (at most "
                           f"{MAX_PLOT_SUBGROUPS}); chart a window of the data")
    for name, value in (("width", width), ("height", height), ("dpi", dpi)):
        if value is not None and not 0 < value <= (1200 if name == "dpi" else 60):
            raise InvalidInput(f"{name} {value!r} is out of range")
    size = (width or st.WIDTH,
            height or st.HEADER_HEIGHT + st.PANEL_HEIGHT * len(result.charts) + 0.5)
    with _LOCK, matplotlib.rc_context(st.RC):
        fig = Figure(figsize=size, dpi=dpi or st.DPI, layout="constrained")
        FigureCanvasAgg(fig)
        _draw(fig, result, title)
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, dpi=dpi or st.DPI,
                    metadata=st.SVG_METADATA if fmt == "svg" else st.PNG_METADATA)
    return buffer.getvalue()


def _individuals(result: ChartResult) -> bool:
    """One observation per point (I-MR, EWMA/CUSUM of individual values)."""
    if result.kind in ("p", "np", "c", "u", "t2"):
        return False
    return result.kind == "imr" or bool(np.all(np.asarray(result.sizes) == 1))


def _draw(fig: Figure, result: ChartResult, title: str | None) -> None:
    axes: list[Axes] = list(fig.subplots(len(result.charts), 1, sharex=True,
                                         squeeze=False)[:, 0])
    m = result.subgroups
    fired: dict[str, tuple[str, set[int]]] = {}
    for ax, series in zip(axes, result.charts, strict=True):
        _panel(ax, series, result, m)
        for v in series.violations:
            fired.setdefault(st.rule_tag(v.rule), (v.description, set()))[1].update(v.points)
    axes[-1].set_xlabel("observation" if _individuals(result) else "subgroup")
    axes[-1].xaxis.set_major_locator(MaxNLocator(integer=True, nbins=20 if m < 1000 else 10,
                                                 steps=[1, 2, 5, 10]))
    axes[-1].set_xlim(0.5, m + 0.5)
    if 0 < result.baseline < m:
        _phase_labels(axes[0], result.baseline)
    # The title heads the key legend: a suptitle would collide with an outside legend.
    key = st.legend_key(
        ewma_data=None if result.kind != "ewma" else
        "data" if _individuals(result) else "subgroup mean",
        center=any(c.center is not None for c in result.charts),
        zones=any(c.zones is not None for c in result.charts), excluded=bool(result.excluded))
    fig.legend(handles=key, loc="outside upper center", ncols=min(len(key), 9),
               handlelength=1.8, columnspacing=1.4,
               title=title if title is not None else st.default_title(result, _individuals(result)),
               title_fontproperties={"size": 11.5, "weight": "bold"})
    if fired:
        labels = [f"{tag}  {desc or tag}: {st.points_text(sorted(pts), limit=6)}"
                  for tag, (desc, pts) in sorted(fired.items(), key=lambda t: st.tag_order(t[0]))]
        wide = len(labels) > 2 and max(map(len, labels)) < 75
        blank = [Patch(alpha=0.0) for _ in labels]
        fig.legend(blank, labels, loc="outside lower center", ncols=2 if wide else 1,
                   handlelength=0, handletextpad=0, columnspacing=2.5,
                   title="flagged points (red) by rule", title_fontsize=8.5,
                   labelcolor=st.INK)


def _steps(ax: Axes, value: Any, m: int, **style: Any) -> None:
    if value is None:
        return
    values, edges = _runs(_full(value, m))
    ax.stairs(values, edges, baseline=None, **style)


def _runs(*series: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Stair steps with one step per run of equal values (a constant limit is one
    segment, not one per subgroup): (values of the first series, edges); the other
    series share the edges (their values via the same positions)."""
    m = series[0].size
    change = np.zeros(m, dtype=bool)
    change[0] = True
    for s in series:
        change[1:] |= s[1:] != s[:-1]
    starts = np.flatnonzero(change)
    return series[0][starts], np.append(starts + 0.5, m + 0.5)


def _full(value: Any, m: int) -> FloatArray:
    return np.broadcast_to(np.asarray(value, dtype=float), (m,)).astype(float)


def _zones(ax: Axes, series: ChartSeries, m: int) -> None:
    z = series.zones
    if z is None or series.lcl is None or series.ucl is None or z.upper_1 is None:
        return
    bands = ((z.upper_1, z.lower_1, st.ZONE_C), (z.upper_2, z.upper_1, st.ZONE_B),
             (z.lower_1, z.lower_2, st.ZONE_B), (series.ucl, z.upper_2, st.ZONE_A),
             (z.lower_2, series.lcl, st.ZONE_A))
    for top, bottom, colour in bands:
        upper, lower = _full(top, m), _full(bottom, m)
        values, edges = _runs(upper, lower)
        starts = (edges[:-1] - 0.5).astype(int)
        ax.stairs(values, edges, baseline=lower[starts], fill=True, color=colour, lw=0,
                  zorder=0)


def _traces(series: ChartSeries, m: int) -> list[tuple[FloatArray, set[str] | None]]:
    """(plotted values, the rules whose points lie on them; None = every rule)."""
    values = _full(series.values if series.values is not None else np.nan, m)
    if series.name == "cusum" and series.lower_values is not None:
        return [(values, {"cusum-upper"}),
                (_full(series.lower_values, m), {"cusum-lower"})]
    return [(values, None)]


def _panel(ax: Axes, series: ChartSeries, result: ChartResult, m: int) -> None:
    x = np.arange(1, m + 1, dtype=float)
    _zones(ax, series, m)
    _steps(ax, series.center, m, color=st.CENTER, lw=1.2, zorder=2,
           gid=f"spc-center-{series.name}")
    for label, bound in (("lcl", series.lcl), ("ucl", series.ucl)):
        _steps(ax, bound, m, color=st.LIMIT, lw=1.1, ls="--", zorder=2,
               gid=f"spc-{label}-{series.name}")
    if 0 < result.baseline < m:
        ax.axvline(result.baseline + 0.5, color=st.PHASE, lw=1.0, ls=":", zorder=1,
                   gid=f"spc-phase-{series.name}")
    dense = m > 400
    span = [np.asarray(v, dtype=float) for v in (series.lcl, series.ucl, series.center)
            if v is not None]
    if series.name == "ewma" and series.subgroup_values is not None:
        raw = _full(series.subgroup_values, m)
        ax.plot(x, raw, ls="", marker="." if not dense else ",", color=st.RAW, ms=4, zorder=2)
        span.append(raw)
    excluded = np.asarray(result.excluded, dtype=int) - 1
    traces = _traces(series, m)
    for values, rules in traces:
        ax.plot(x, values, color=st.DATA, lw=0.8 if dense else 1.1, zorder=3,
                marker="" if dense else "o", ms=3.6)
        span.append(values)
        if excluded.size:  # hollow; a flagged one is redrawn hollow red by _flags
            ax.plot(x[excluded], values[excluded], ls="", marker="o", ms=5.5, mfc="white",
                    mec=st.DATA, mew=1.1, zorder=4, gid=f"spc-excluded-{series.name}")
        _flags(ax, series, values, rules, x, set(result.excluded))
    lo, hi = _range(span)
    if hi == lo:
        lo, hi = lo - (abs(lo) * 0.05 or 1.0), hi + (abs(hi) * 0.05 or 1.0)
    up, down = _headroom(series, traces)
    top, bottom = 0.05 + 0.06 * up, 0.05 + 0.06 * down  # fractions of the panel height
    full = (hi - lo) / (1.0 - top - bottom)
    ax.set_ylim(lo - bottom * full, hi + top * full)
    ax.set_ylabel(st.PANEL_LABELS.get(series.name, series.name))
    ax.grid(axis="y", color="#eceff3", lw=0.6, zorder=0)
    ax.set_axisbelow(True)
    _limit_labels(ax, series, m)


def _range(span: list[FloatArray]) -> tuple[float, float]:
    every = np.concatenate([np.atleast_1d(v).ravel() for v in span])
    every = every[np.isfinite(every)]
    return (float(every.min()), float(every.max())) if every.size else (0.0, 1.0)


def _tags(series: ChartSeries, rules: set[str] | None) -> dict[int, list[str]]:
    """Rule tags per flagged point (1-based). A rule is written only where a stretch of
    points it flags starts (a 9-in-a-row run flagged at 9..20 is tagged at 9); the legend
    lists every point."""
    tags: dict[int, list[str]] = {}
    for v in series.violations:
        if rules is None or v.rule in rules:
            flagged = set(v.points)
            for p in v.points:
                entry = tags.setdefault(p, [])
                if p - 1 not in flagged:
                    entry.append(st.rule_tag(v.rule))
    return tags


def _flags(ax: Axes, series: ChartSeries, values: FloatArray, rules: set[str] | None,
           x: FloatArray, excluded: set[int]) -> None:
    tags = _tags(series, rules)
    if not tags:
        return
    suffix = "" if rules is None else "".join("-" + r.rsplit("-", 1)[-1] for r in sorted(rules))
    points = np.asarray(sorted(tags), dtype=int) - 1
    hollow = np.asarray([p + 1 in excluded for p in points], dtype=bool)
    for mask, face, gid in ((~hollow, st.FLAG, ""), (hollow, "white", "-excluded")):
        if mask.any():
            ax.plot(x[points[mask]], values[points[mask]], ls="", marker="o",
                    ms=5.5 if values.size <= 400 else 2.5, mfc=face,
                    mec=st.FLAG, mew=1.3, zorder=5,
                    gid=f"spc-flagged-{series.name}{suffix}{gid}")
    if len(points) > MAX_TAGGED_POINTS:
        return
    center = _center(series, values.size)
    for i in points:
        if not tags[int(i) + 1]:
            continue
        below = bool(np.isfinite(center[i]) and values[i] < center[i])
        text = "\n".join(sorted(set(tags[int(i) + 1]), key=st.tag_order))
        ax.annotate(text, (x[i], values[i]), xytext=(0, -7 if below else 7),
                    textcoords="offset points", ha="center", va="top" if below else "bottom",
                    fontsize=6.5, color=st.FLAG, linespacing=0.95, zorder=6,
                    annotation_clip=False, gid=f"spc-tag-{series.name}{suffix}-{i + 1}")


def _center(series: ChartSeries, m: int) -> FloatArray:
    return _full(series.center if series.center is not None else np.nan, m)


def _headroom(series: ChartSeries, traces: list[tuple[FloatArray, set[str] | None]],
              ) -> tuple[int, int]:
    """Lines of tag text above and below the points (to leave room for them)."""
    up = down = 0
    for values, rules in traces:
        center = _center(series, values.size)
        for p, tags in _tags(series, rules).items():
            if values[p - 1] < center[p - 1]:
                down = max(down, len(tags))
            else:
                up = max(up, len(tags))
    return up, down


def _limit_labels(ax: Axes, series: ChartSeries, m: int) -> None:
    """UCL / CL / LCL values at the right edge, nudged apart so they never overlap."""
    items = [(name, float(_full(v, m)[-1])) for name, v in
             (("UCL", series.ucl), ("CL", series.center), ("LCL", series.lcl))
             if v is not None]
    if series.name == "cusum":
        items = [(n.replace("UCL", "+h").replace("LCL", "−h"), v) for n, v in items]
    lo, hi = ax.get_ylim()
    placed: list[float] = []
    for name, value in sorted(items, key=lambda t: -t[1]):
        frac = (value - lo) / (hi - lo)
        if placed and placed[-1] - frac < 0.11:
            frac = placed[-1] - 0.11
        placed.append(frac)
        colour = st.CENTER if name == "CL" else st.LIMIT
        ax.annotate(f"{name} = {st.number(value)}", (1.0, frac), xycoords="axes fraction",
                    xytext=(5, 0), textcoords="offset points", va="center", ha="left",
                    fontsize=8, color=colour, annotation_clip=False)


def _phase_labels(ax: Axes, baseline: int) -> None:
    at = baseline + 0.5
    style: dict[str, Any] = {"xycoords": ("data", "axes fraction"), "textcoords":
                             "offset points", "va": "bottom", "fontsize": 8.5,
                             "color": st.PHASE, "fontstyle": "italic"}
    ax.annotate("◂ phase I", (at, 1.0), xytext=(-4, 2), ha="right", gid="spc-phase-I", **style)
    ax.annotate("phase II ▸", (at, 1.0), xytext=(4, 2), ha="left", gid="spc-phase-II", **style)
