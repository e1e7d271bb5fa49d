"""Windows: how many units the rule looks at ("for 5 consecutive batches", "in 3 of the
last 10", "rolling over the last 5 batches", "过去7天", "最近10批中有3批"...).

Per shared/spec/monitor-semantics.md, "over N batches" and "for N batches" are N
consecutive batches; "over the last N batches" (with or without "rolling" / "pooled")
pools the samples of the last N batches; a time span pools the units of that span.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from tools.errors import AmbiguousRequest, InvalidInput
from tools.monitors.reader.vocabulary import load_vocabulary
from tools.monitors.spec import Window

_KIND_ORDER = ("k_of_n", "time", "rolling_explicit", "consecutive", "rolling", "single")
MASK = "\x00"


class WindowReading(BaseModel):
    """The window found and the stretches of the request that said it."""

    model_config = ConfigDict(frozen=True)

    window: Window
    spans: tuple[tuple[int, int], ...] = ()
    said: str | None = None


def mask(text: str, spans: list[tuple[int, int]] | tuple[tuple[int, int], ...]) -> str:
    """``text`` with the spans blanked out (same length, so offsets still hold)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = MASK * (end - start)
    return "".join(chars)


def read_window(text: str) -> WindowReading:
    """The window of a request (``single`` when none is written). Raises
    ``AmbiguousRequest`` when two different windows are written, or a window word comes
    without its size ("rolling cpk below 1.33"), and ``InvalidInput`` for "5 of the last 3"."""
    vocabulary = load_vocabulary()
    found: list[tuple[Window, tuple[int, int], str]] = []
    working = text
    for kind in _KIND_ORDER:
        for pattern in vocabulary.windows[kind]:
            for match in pattern.finditer(working):
                window = _window_of(kind, match, vocabulary.span_hours)
                found.append((window, match.span(), match.group(0).strip()))
                working = mask(working, [match.span()])
    spans = tuple(span for _, span, _ in found)
    sized = [(w, said) for w, _, said in found if w.kind != "single"]
    distinct = list(dict.fromkeys(w for w, _ in sized))
    if len(distinct) > 1:
        readings = [said for _, said in sized]
        raise AmbiguousRequest(
            f"the request gives {len(distinct)} different windows ({'; '.join(readings)}); "
            "say which one the rule should use", readings=readings)
    if distinct:
        return WindowReading(window=distinct[0], spans=spans, said=sized[0][1])
    unsized = vocabulary.unsized_window.search(working)
    if unsized is not None:
        raise AmbiguousRequest(
            f"'{unsized.group(0)}' needs a size: say over how many batches (e.g. 'for 5 "
            "consecutive batches' or 'rolling over the last 5 batches')",
            readings=["consecutive N batches", "rolling over the last N batches"])
    return WindowReading(window=Window(), spans=spans, said=found[0][2] if found else None)


def _window_of(kind: str, match: re.Match[str], span_hours: dict[str, float]) -> Window:
    groups = match.groupdict()
    if kind == "single":
        return Window()
    if kind == "time":
        amount = float(groups.get("n") or 1)
        span = (groups.get("span") or "").casefold()
        hours = amount * span_hours.get(span, span_hours.get(span.rstrip("s"), 24.0))
        return Window(kind="time", hours=hours)
    n = int(groups["n"])
    if n < 1:
        raise InvalidInput(f"'{match.group(0).strip()}' needs at least one unit")
    if kind == "rolling_explicit":
        return Window(kind="rolling", n=n)
    if kind == "k_of_n":
        k = int(groups["k"])
        if k > n:
            raise InvalidInput(f"'{match.group(0).strip()}' asks for {k} of {n} units; "
                               "the first number cannot exceed the second")
        if k < 1:
            raise InvalidInput(f"'{match.group(0).strip()}' needs at least one unit")
        return Window(kind="k_of_n", k=k, n=n)
    return Window(kind=kind, n=n)  # type: ignore[arg-type]
