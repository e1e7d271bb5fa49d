"""What a monitor produces: one alert per episode (shared/spec/cli-contract.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tools.errors import SqlExecutionError
from tools.monitors.spc_spec import SpcMonitorSpec
from tools.monitors.spec import MonitorSpec

AnyMonitorSpec = MonitorSpec | SpcMonitorSpec


def timestamp(value: Any) -> dt.datetime:
    """A database time as an aware UTC datetime (SQLite returns ISO text)."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if isinstance(value, str):
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    raise SqlExecutionError(f"the monitor query returned {value!r} where a time belongs")


class Alert(BaseModel):
    """The first unit of an episode: its group, the unit (batch, lot or week) and the value."""

    model_config = ConfigDict(frozen=True)

    group: dict[str, str] = Field(description="part_id (+ characteristic / parameter / "
                                  "defect_code) or supplier_id (+ characteristic)")
    unit_id: str
    at: dt.datetime
    value: float | None
    rules: tuple[str, ...] = Field(default=(), description="SPC monitors: the run rules "
                                   "that flagged the unit (e.g. nelson-2)")

    @field_validator("at")
    @classmethod
    def _utc(cls, value: dt.datetime) -> dt.datetime:
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)

    def key(self) -> tuple[tuple[tuple[str, str], ...], str]:
        """Identity of an alert for comparing alert sets (group and unit)."""
        return tuple(sorted(self.group.items())), self.unit_id


class Reading(BaseModel):
    """A request read into a monitor: the spec and the plain-language echo."""

    request: str
    understood: str = Field(description="the reading taken, in the request's language")
    spec: AnyMonitorSpec


class BacktestResult(BaseModel):
    """``andon monitor backtest --json``."""

    request: str
    understood: str
    spec: AnyMonitorSpec
    sql: str
    alerts: list[Alert]
