"""The plant's calendar: a fixed history end, three 8-hour shifts, production days, and the
seeded random streams every part of the generator draws from (no wall clock anywhere)."""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass
from functools import cached_property

import numpy as np

HISTORY_END = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
SHIFT_START_HOURS: dict[str, int] = {"A": 6, "B": 14, "C": 22}
SHIFT_HOURS = 8
REFERENCE_DAYS = 184.0  # incident windows are planned for a 6-month history, shorter below
CAMPAIGN_DAYS = 3  # how long a part stays on one machine before the plan is redone
TOOL_ROTATION_CAMPAIGNS = 2  # parts with two tools swap them every this many campaigns
# Plant holidays (month, day): no production on these days.
HOLIDAYS: frozenset[tuple[int, int]] = frozenset(
    {(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3), (10, 4), (10, 5), (12, 25)})


def rng_for(seed: int, *names: str) -> np.random.Generator:
    """An independent, reproducible random stream for one named part of the generator."""
    return np.random.default_rng([seed, *(zlib.crc32(n.encode()) for n in names)])


def months_before(end: dt.datetime, months: int) -> dt.datetime:
    """The same day-of-month and time ``months`` calendar months earlier (day clamped to 28)."""
    index = end.year * 12 + (end.month - 1) - months
    return end.replace(year=index // 12, month=index % 12 + 1, day=min(end.day, 28))


@dataclass(frozen=True)
class Slot:
    """One shift of one production day."""

    index: int
    day: dt.date
    shift: str
    start: dt.datetime

    @property
    def end(self) -> dt.datetime:
        return self.start + dt.timedelta(hours=SHIFT_HOURS)


@dataclass(frozen=True)
class Timeline:
    """History from ``start`` (inclusive) to ``end`` (exclusive), both UTC."""

    start: dt.datetime
    end: dt.datetime

    @classmethod
    def for_months(cls, months: int, end: dt.datetime = HISTORY_END) -> Timeline:
        return cls(months_before(end, months), end)

    @property
    def days(self) -> float:
        return (self.end - self.start).total_seconds() / 86400.0

    @cached_property
    def slots(self) -> tuple[Slot, ...]:
        slots: list[Slot] = []
        day = self.start.date()
        while True:
            for shift, hour in SHIFT_START_HOURS.items():
                start = dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)
                if start < self.start or start + dt.timedelta(hours=SHIFT_HOURS) > self.end:
                    continue
                if day.weekday() < 6 and (day.month, day.day) not in HOLIDAYS:
                    slots.append(Slot(len(slots), day, shift, start))
            day += dt.timedelta(days=1)
            if dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) >= self.end:
                return tuple(slots)

    def campaign_of(self, moment: dt.datetime) -> int:
        return int((moment - self.start).total_seconds() // (CAMPAIGN_DAYS * 86400))

    def crew_week(self, moment: dt.datetime) -> int:
        """Week number for the crew rotation (crews move to the next shift every Monday)."""
        return (moment.date().toordinal() - 1) // 7

    def day_start(self, share: float) -> dt.datetime:
        """06:00 UTC of the day at ``share`` of the history (the start of shift A)."""
        moment = self.start + dt.timedelta(days=share * self.days)
        return dt.datetime(moment.year, moment.month, moment.day, SHIFT_START_HOURS["A"],
                           tzinfo=dt.UTC)

    def window(self, share: float, days: float, until_end: bool = False,
               ) -> tuple[dt.datetime, dt.datetime]:
        """An incident window at ``share`` of the history, shortened in proportion for histories
        shorter than six months."""
        start = self.day_start(share)
        if until_end:
            return start, self.end
        length = max(2.0, days * min(1.0, self.days / REFERENCE_DAYS))
        return start, min(start + dt.timedelta(days=length), self.end)

    def clamp(self, moment: dt.datetime) -> dt.datetime:
        return min(max(moment, self.start), self.end - dt.timedelta(seconds=1))


def minutes(value: float) -> dt.timedelta:
    return dt.timedelta(minutes=float(value))
