"""When a question says the problem began: "last week", "in late May", "since June 3",
"上周", "5月下旬", "自9月16日起", "in the last 2 weeks", "2026-06-03".

Times are resolved against ``anchor``, the last moment with data (the data's "today"), never
the wall clock. A month or day without a year is the latest one not after the anchor.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from pathlib import Path
from typing import Any

import yaml

from tools.rca.models import TimeHint

WORDS_FILE = Path(__file__).with_name("words.yaml")


@functools.cache
def load_words() -> dict[str, Any]:
    """The question words of words.yaml (directions, months, periods, 'since')."""
    data: dict[str, Any] = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))
    return data


def _day(year: int, month: int, day: int) -> dt.datetime:
    last = calendar.monthrange(year, month)[1]
    return dt.datetime(year, month, min(day, last), tzinfo=dt.UTC)


def _latest_year(anchor: dt.datetime, month: int, day: int = 1) -> int:
    year = anchor.year
    return year if _day(year, month, day) <= anchor else year - 1


def _month_span(year: int, month: int, first: int, last: int) -> tuple[dt.datetime, dt.datetime]:
    end_day = min(last, calendar.monthrange(year, month)[1])
    return _day(year, month, first), _day(year, month, end_day) + dt.timedelta(days=1)


@functools.cache
def _patterns() -> dict[str, re.Pattern[str]]:
    words = load_words()
    months = "|".join(sorted(words["months"]["en"], key=len, reverse=True))
    parts_en = "|".join(sorted(words["month_parts"]["en"], key=len, reverse=True))
    parts_zh = "|".join(sorted(words["month_parts"]["zh"], key=len, reverse=True))
    relative_en = "|".join(re.escape(w) for w in sorted(words["relative"]["en"], key=len,
                                                        reverse=True))
    relative_zh = "|".join(re.escape(w) for w in sorted(words["relative"]["zh"], key=len,
                                                        reverse=True))
    return {
        "iso": re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"),
        "zh_date": re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"),
        "zh_month": re.compile(rf"(?:(\d{{4}})\s*年\s*)?(\d{{1,2}})\s*月\s*份?\s*({parts_zh})?"),
        "en_month_day": re.compile(
            rf"\b({months})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s*(\d{{4}}))?",
            re.IGNORECASE),
        "en_day_month": re.compile(
            rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({months})\b(?:,?\s*(\d{{4}}))?",
            re.IGNORECASE),
        "en_month": re.compile(
            rf"\b(?:(?:the\s+)?({parts_en})(?:\s+of\s+|\s*-\s*|\s+))?({months})\b(?:\s+(\d{{4}}))?",
            re.IGNORECASE),
        "en_last_n": re.compile(r"\b(?:last|past|previous)\s+(\d+)\s+(day|week|month)s?\b",
                                re.IGNORECASE),
        "zh_last_n": re.compile(r"(?:过去|最近|近|前)\s*(\d+)\s*(?:个)?\s*(天|日|周|星期|月)"),
        "en_week": re.compile(r"\b(?:calendar\s+|iso\s+)?week\s+(\d{1,2})\b", re.IGNORECASE),
        "zh_week": re.compile(r"第\s*(\d{1,2})\s*周"),
        "en_relative": re.compile(rf"\b(?:{relative_en})\b", re.IGNORECASE),
        "zh_relative": re.compile(rf"(?:{relative_zh})"),
    }


def _since_before(text: str, start: int) -> bool:
    before = text[max(0, start - 16):start].casefold()
    words = load_words()["since"]
    if any(re.search(rf"\b{re.escape(w)}\s*(?:the\s+)?(?:on\s+)?$", before)
           for w in words["en"]):
        return True
    return any(before.rstrip().endswith(w) for w in ("自", "从"))


def _since_after(text: str, end: int) -> bool:
    after = text[end:end + 6]
    return any(after.lstrip().startswith(w) for w in ("起", "以来", "开始", "之后", "以后", "后"))


def _relative(kind: str, amount: int, anchor: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    today = dt.datetime(anchor.year, anchor.month, anchor.day, tzinfo=dt.UTC)
    end_of_today = today + dt.timedelta(days=1)
    if kind == "days":
        return end_of_today - dt.timedelta(days=amount), end_of_today
    if kind == "week":
        monday = today - dt.timedelta(days=today.weekday())
        start = monday + dt.timedelta(weeks=amount)
        return start, min(start + dt.timedelta(weeks=1), end_of_today)
    month_index = anchor.year * 12 + anchor.month - 1 + amount
    year, month = divmod(month_index, 12)
    start, end = _month_span(year, month + 1, 1, 31)
    return start, min(end, end_of_today)


def read_time(text: str, anchor: dt.datetime) -> TimeHint | None:
    """The time a (normalised) question names, or None. ``anchor`` is the data's last
    moment; the earliest phrase in the text wins."""
    found: list[tuple[int, TimeHint]] = []
    p = _patterns()
    words = load_words()

    def add(match: re.Match[str], start: dt.datetime, end: dt.datetime,
            since: bool | None = None) -> None:
        is_since = (_since_before(text, match.start()) or _since_after(text, match.end())
                    if since is None else since)
        if is_since:
            end = max(end, anchor + dt.timedelta(seconds=1))
        found.append((match.start(), TimeHint(text=match.group(0).strip(), start=start,
                                              end=end, since=is_since)))

    taken: list[tuple[int, int]] = []

    def free(match: re.Match[str]) -> bool:
        if any(s < match.end() and match.start() < e for s, e in taken):
            return False
        taken.append(match.span())
        return True

    for match in p["iso"].finditer(text):
        if free(match):
            day = _day(int(match[1]), int(match[2]), int(match[3]))
            add(match, day, day + dt.timedelta(days=1))
    for match in p["zh_date"].finditer(text):
        if free(match):
            month, day_no = int(match[2]), int(match[3])
            year = int(match[1]) if match[1] else _latest_year(anchor, month, day_no)
            day = _day(year, month, day_no)
            add(match, day, day + dt.timedelta(days=1))
    for match in p["zh_month"].finditer(text):
        month = int(match[2])
        if 1 <= month <= 12 and free(match):
            year = int(match[1]) if match[1] else _latest_year(anchor, month)
            first, last = words["month_parts"]["zh"].get(match[3] or "", [1, 31])
            add(match, *_month_span(year, month, first, last))
    month_numbers = {k.casefold(): v for k, v in words["months"]["en"].items()}
    for key in ("en_month_day", "en_day_month"):
        for match in p[key].finditer(text):
            name, number = ((match[1], match[2]) if key == "en_month_day"
                            else (match[2], match[1]))
            month, day_no = month_numbers[name.casefold()], int(number)
            if not 1 <= day_no <= 31 or not free(match):
                continue
            year = int(match[3]) if match[3] else _latest_year(anchor, month, day_no)
            day = _day(year, month, day_no)
            add(match, day, day + dt.timedelta(days=1))
    parts = {k.casefold(): v for k, v in words["month_parts"]["en"].items()}
    for match in p["en_month"].finditer(text):
        if match[2].casefold() == "may" and not match[1] and not _month_context(text, match):
            continue  # "may" as a verb
        if free(match):
            month = month_numbers[match[2].casefold()]
            year = int(match[3]) if match[3] else _latest_year(anchor, month)
            first, last = parts.get((match[1] or "").casefold(), [1, 31])
            add(match, *_month_span(year, month, first, last))
    for key in ("en_last_n", "zh_last_n"):
        for match in p[key].finditer(text):
            if free(match):
                unit = {"day": "days", "天": "days", "日": "days", "week": "weeks",
                        "周": "weeks", "星期": "weeks"}.get(match[2].casefold(), "months")
                days = int(match[1]) * {"days": 1, "weeks": 7, "months": 30}[unit]
                add(match, *_relative("days", days, anchor), since=False)
    for key in ("en_week", "zh_week"):
        for match in p[key].finditer(text):
            number = int(match[1])
            if 1 <= number <= 53 and free(match):
                year = anchor.year
                monday = dt.datetime.fromisocalendar(year, number, 1).replace(tzinfo=dt.UTC)
                if monday > anchor:
                    monday = dt.datetime.fromisocalendar(year - 1, number, 1).replace(
                        tzinfo=dt.UTC)
                add(match, monday, monday + dt.timedelta(weeks=1))
    for key, language in (("en_relative", "en"), ("zh_relative", "zh")):
        table = {k.casefold(): v for k, v in words["relative"][language].items()}
        for match in p[key].finditer(text):
            if free(match):
                kind, amount = table[match.group(0).casefold()]
                add(match, *_relative(str(kind), int(amount), anchor), since=False)
    if not found:
        return None
    return min(found, key=lambda item: item[0])[1]


def _month_context(text: str, match: re.Match[str]) -> bool:
    """'May' as a month: capitalised, or after in/since/from/of/early... or before a year."""
    word = text[match.start(2):match.end(2)]
    before = text[max(0, match.start() - 8):match.start()].casefold()
    return word == "May" or bool(re.search(r"\b(in|since|from|of|until|during)\s*$", before)) \
        or match[3] is not None
