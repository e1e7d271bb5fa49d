"""``check_numbers``: the numbers of a narrative that no evidence item holds.

An LLM may write the narrative, but every number in it must come from the evidence (a
claim, its query or its rows). Numbers inside identifiers (P-100, ME-0027, [E2], 30MnB5)
are not numbers. A written number matches an evidence number when that number rounds to
it (0.38 matches 0.3807; 15 matches 15), or its hundredfold does (a share written as a
percentage); dates match dates (2026-05-23, 2026年5月23日, 5月23日), clock times match times.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel

_IDENTIFIER = re.compile(
    r"\[[A-Za-z]+\d+\]"                                   # evidence markers [E2]
    r"|\b[A-Za-z][A-Za-z0-9]*(?:[-_/][A-Za-z0-9]+)+"      # P-100, ME-0027, CH-100-01
    r"|\b[A-Za-z]+\d+[A-Za-z0-9]*"                        # E2, OP106, M4x12
    r"|\b\d+[A-Za-z]+\d+[A-Za-z0-9]*")                    # 30MnB5
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})"
                       r"(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?Z?)?")
_ZH_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_TIME = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?![\d:])")
_NUMBER = re.compile(r"(?<![\w.])[-+−]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?")


class Found(BaseModel):
    """What a text holds: numbers (as written), days ('YYYY-MM-DD' or 'MM-DD') and times."""

    numbers: list[str] = []
    days: list[str] = []
    times: list[str] = []


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            chars[i] = " "
    return "".join(chars)


def scan_text(text: str) -> Found:
    """The numbers, dates and times written in ``text`` (identifiers skipped)."""
    found = Found()
    spans: list[tuple[int, int]] = []
    for match in _ISO_DATE.finditer(text):
        found.days.append(f"{match[1]}-{match[2]}-{match[3]}")
        if match[4]:
            found.times.append(f"{int(match[4]):02d}:{match[5]}")
        spans.append(match.span())
    for match in _ZH_DATE.finditer(text):
        day = f"{int(match[2]):02d}-{int(match[3]):02d}"
        found.days.append(f"{match[1]}-{day}" if match[1] else day)
        spans.append(match.span())
    text = _blank(text, spans)
    spans = []
    for match in _TIME.finditer(text):
        found.times.append(f"{int(match[1]):02d}:{match[2]}")
        spans.append(match.span())
    text = _blank(text, spans)
    text = _blank(text, (m.span() for m in _IDENTIFIER.finditer(text)))
    found.numbers = [m.group(0).replace("−", "-") for m in _NUMBER.finditer(text)]
    return found


def _values(cells: Iterable[Any], out: Found, floats: list[float]) -> None:
    for cell in cells:
        if isinstance(cell, bool) or cell is None:
            continue
        if isinstance(cell, int | float):
            if math.isfinite(float(cell)):
                floats.append(float(cell))
            continue
        if isinstance(cell, dt.datetime | dt.date):
            cell = cell.isoformat()
        if isinstance(cell, list | tuple):
            _values(cell, out, floats)
            continue
        found = scan_text(str(cell))
        out.days += found.days
        out.times += found.times
        floats += [float(n) for n in found.numbers if _parses(n)]


def _parses(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _decimals(written: str) -> int:
    mantissa = written.lower().split("e")[0]
    return len(mantissa.split(".")[1]) if "." in mantissa else 0


def _supported(written: str, values: Sequence[float]) -> bool:
    x = float(written)
    if "e" in written.lower():
        return any(math.isclose(v, x, rel_tol=0.05) for v in values)
    tolerance = 0.5 * 10.0 ** -_decimals(written) + 1e-9 * abs(x)
    return any(abs(v - x) <= tolerance or abs(100.0 * v - x) <= tolerance
               or abs(abs(v) - abs(x)) <= tolerance for v in values)


def check_numbers(narrative: str, evidence: Sequence[Any]) -> list[str]:
    """Numbers (and dates, times) written in ``narrative`` that appear nowhere in
    ``evidence`` (items with ``claim``, ``query`` and ``rows``, as models or dicts), in
    the order written, each once."""
    pool = Found()
    floats: list[float] = []
    for item in evidence:
        data = item if isinstance(item, dict) else item.model_dump()
        _values([data.get("claim", ""), data.get("query", "")], pool, floats)
        _values(data.get("rows", []), pool, floats)
    days = set(pool.days) | {d[5:] for d in pool.days if len(d) == 10}
    written = scan_text(narrative)
    missing: list[str] = []
    for day in written.days:
        if day not in days and day not in missing:
            missing.append(day)
    for time in written.times:
        if time not in pool.times and time not in missing:
            missing.append(time)
    for number in written.numbers:
        if _parses(number) and not _supported(number, floats) and number not in missing:
            missing.append(number)
    return missing
