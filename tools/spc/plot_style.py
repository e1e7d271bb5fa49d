"""Look of the SPC charts drawn by ``tools.spc.plot``: colours, fonts, titles, labels,
the legend key and the short rule tags.

Kept apart from the drawing code so the style can be tuned without touching it. The
matplotlib settings are applied only inside ``rc_context`` while one chart is drawn.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from tools.spc.models import ChartResult

# Colours (colour-blind safe where it matters: flagged red vs. data dark blue).
INK = "#1d2430"
MUTED = "#5b6575"
DATA = "#2f4b7c"
RAW = "#9aa5b5"
CENTER = "#2e7d32"
LIMIT = "#c0392b"
FLAG = "#d62728"
PHASE = "#6c7a89"
ZONE_A = "#fbe3df"  # between 2σ and the limits
ZONE_B = "#fdf3dc"  # between 1σ and 2σ
ZONE_C = "#e9f5ec"  # within 1σ of the centre

# Figure geometry (inches) and resolution; 10 in at 110 dpi = 1100 px, legible in a chat.
WIDTH = 10.0
PANEL_HEIGHT = 2.7
HEADER_HEIGHT = 0.9
DPI = 110
SVG_HASHSALT = "andon-spc"

RC: dict[Any, Any] = {  # matplotlib types its keys as a Literal
    "font.family": "DejaVu Sans",  # shipped with matplotlib: same glyphs everywhere
    "font.size": 9.5,
    "axes.titlesize": 10.5,
    "axes.labelsize": 9.5,
    "axes.edgecolor": "#b8c0cc",
    "axes.labelcolor": INK,
    "axes.linewidth": 0.8,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "legend.fontsize": 8.5,
    "legend.frameon": False,
    "svg.hashsalt": SVG_HASHSALT,
    "svg.fonttype": "path",
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
}

# Fixed metadata: no date, no version-dependent creator string -> same input, same bytes.
SVG_METADATA: dict[str, Any] = {"Date": None, "Creator": "Andon SPC"}
PNG_METADATA: dict[str, Any] = {"Software": "Andon SPC"}

KIND_TITLES = {
    "xbar-r": r"$\bar{X}$-R chart", "xbar-s": r"$\bar{X}$-S chart",
    "imr": "Individuals and moving range (I-MR) chart", "p": "p chart", "np": "np chart",
    "c": "c chart", "u": "u chart", "ewma": "EWMA chart", "cusum": "CUSUM chart",
    "t2": r"Hotelling $T^2$ chart",
}

PANEL_LABELS = {
    "xbar": r"subgroup mean $\bar{X}$", "r": "range R", "s": "std. deviation S",
    "i": "individual value", "mr": "moving range", "p": "proportion nonconforming",
    "np": "number nonconforming", "c": "nonconformities", "u": "nonconformities per unit",
    "ewma": "EWMA", "cusum": "cumulative sum (std. errors)", "t2": r"$T^2$",
}


def legend_key(*, ewma_data: str | None, center: bool, zones: bool,
               excluded: bool) -> list[Any]:
    """The key above the chart: what each line, band and marker means."""
    handles: list[Any] = [
        Line2D([], [], color=DATA, marker="o", ms=3.5, lw=1.1, label="statistic")]
    if ewma_data:
        handles.append(Line2D([], [], color=RAW, marker=".", ls="", ms=5, label=ewma_data))
    if center:
        handles.append(Line2D([], [], color=CENTER, lw=1.2, label="centre line"))
    handles.append(Line2D([], [], color=LIMIT, lw=1.1, ls="--", label="control limits"))
    if zones:
        handles += [Patch(color=ZONE_C, label="within 1σ"), Patch(color=ZONE_B, label="1σ–2σ"),
                    Patch(color=ZONE_A, label="2σ–3σ")]
    handles.append(Line2D([], [], color=FLAG, marker="o", ls="", ms=5, label="flagged"))
    if excluded:
        handles.append(Line2D([], [], color=DATA, marker="o", ls="", ms=5, mfc="white",
                              label="excluded from limits"))
    return handles


def default_title(result: ChartResult, individuals: bool) -> str:
    """``X̄-R chart · 40 subgroups of 5 · limits from subgroups 1–25 (phase I)``."""
    what = "observations" if individuals else "subgroups"
    parts = [KIND_TITLES.get(result.kind, result.kind), f"{result.subgroups} {what}"]
    sizes = np.atleast_1d(np.asarray(result.sizes if result.sizes is not None else 1.0))
    if result.kind in ("xbar-r", "xbar-s") and sizes.size and sizes.min() == sizes.max():
        parts[-1] += f" of {int(sizes[0])}"
    if 0 < result.baseline < result.subgroups:
        parts.append(f"limits from {what} 1–{result.baseline} (phase I)")
    return " · ".join(parts)


_RULE_PREFIX = {"we": "W", "nelson": "N"}
_SPECIAL_RULES = {"ewma-limits": "E", "cusum-upper": "C+", "cusum-lower": "C−",
                  "t2-limit": "T"}


def rule_tag(rule: str) -> str:
    """Short tag drawn beside a flagged point: ``nelson-2`` -> ``N2``, ``we-1`` -> ``W1``."""
    if rule in _SPECIAL_RULES:
        return _SPECIAL_RULES[rule]
    family, _, number = rule.partition("-")
    return f"{_RULE_PREFIX.get(family, family[:1].upper())}{number}"


def number(value: float) -> str:
    """A limit or centre as people read it: 6 significant digits, no trailing zeros."""
    if value != value:
        return "–"
    text = f"{value:.6g}"
    return "0" if text in ("-0", "0") else text.replace("-", "−")


def tag_order(tag: str) -> tuple[str, int]:
    """Sort key of rule tags: family letter, then rule number (W2 before W10)."""
    digits = "".join(ch for ch in tag if ch.isdigit())
    return tag[0], int(digits) if digits else 0


def points_text(points: list[int], limit: int = 14) -> str:
    """1, 3, 5–8 (runs compressed), cut after ``limit`` items."""
    runs: list[str] = []
    start = prev = points[0]
    for p in [*points[1:], None]:
        if p is not None and p == prev + 1:
            prev = p
            continue
        runs.append(str(start) if start == prev else f"{start}–{prev}")
        if p is not None:
            start = prev = p
    shown = ", ".join(runs[:limit])
    return shown + (f" … (+{len(runs) - limit} more)" if len(runs) > limit else "")
