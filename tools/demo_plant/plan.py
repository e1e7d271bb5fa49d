"""The incident plan placed on a concrete history: absolute windows, and what the schedule
must respect so that each incident's cause is really present in the data (machine pins,
operator duties, maintenance events at fixed times, no routine service inside a window)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tools.demo_plant.config import PlantConfig
from tools.demo_plant.plan_config import IncidentConfig, IncidentPlanConfig
from tools.demo_plant.timeline import Timeline

QUIET_LEAD = dt.timedelta(days=5)  # no routine service of a cause asset this long before


@dataclass(frozen=True)
class MachinePin:
    """While active, the part runs on the machine (only with ``tool_id`` if one is named,
    and then never on that machine with another tool)."""

    part_id: str
    machine_id: str
    start: dt.datetime
    end: dt.datetime
    tool_id: str | None = None


@dataclass(frozen=True)
class OperatorDuty:
    """While the operator's crew is on shift, the operator runs the part's machine."""

    operator_id: str
    part_id: str
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class PlannedEvent:
    """A maintenance event at a fixed time: an incident's cause or fix, or a decoy."""

    key: str
    asset_id: str
    asset_type: str
    kind: str
    at: dt.datetime
    description: str


@dataclass(frozen=True)
class Quiet:
    asset_id: str
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class IncidentWindow:
    config: IncidentConfig
    start: dt.datetime
    end: dt.datetime


@dataclass
class ScheduleRules:
    """Everything the scheduler and the event generator must honour."""

    windows: list[IncidentWindow] = field(default_factory=list)
    pins: list[MachinePin] = field(default_factory=list)
    duties: list[OperatorDuty] = field(default_factory=list)
    events: list[PlannedEvent] = field(default_factory=list)
    quiet: list[Quiet] = field(default_factory=list)

    def is_quiet(self, asset_id: str, moment: dt.datetime) -> bool:
        return any(q.asset_id == asset_id and q.start <= moment < q.end for q in self.quiet)

    def window(self, incident_id: str) -> IncidentWindow:
        return next(w for w in self.windows if w.config.id == incident_id)


def _fix_kind(config: PlantConfig, asset_type: str, asset_id: str) -> str:
    if asset_type == "tool":
        return next(t for t in config.tools if t.tool_id == asset_id).service_kind
    return "calibration" if asset_type == "gauge" else "corrective"


def _add_cause_and_fix(rules: ScheduleRules, config: PlantConfig, win: IncidentWindow,
                       history_end: dt.datetime) -> None:
    inc = win.config
    if inc.kind == "maintenance_event" and inc.event is not None:
        ev = inc.event
        rules.events.append(PlannedEvent(f"{inc.id}:cause", ev.asset, ev.asset_type, ev.kind,
                                         win.start, ev.description))
        asset, asset_type = ev.asset, ev.asset_type
    elif inc.kind == "tool" and inc.tool:
        asset, asset_type = inc.tool, "tool"
    elif inc.kind == "machine" and inc.machine:
        asset, asset_type = inc.machine, "machine"
    else:
        return
    rules.quiet.append(Quiet(asset, win.start - QUIET_LEAD, win.end))
    if inc.fix and win.end < history_end:
        rules.events.append(PlannedEvent(f"{inc.id}:fix", asset, asset_type,
                                         _fix_kind(config, asset_type, asset), win.end,
                                         inc.fix))


def _pin_end(win: IncidentWindow, share: float) -> dt.datetime:
    return win.start + (win.end - win.start) * share


def build_rules(config: PlantConfig, plan: IncidentPlanConfig, timeline: Timeline,
                ) -> ScheduleRules:
    """Place every incident and decoy of the plan on the timeline."""
    rules = ScheduleRules()
    for inc in plan.incidents:
        start, end = timeline.window(inc.at, inc.days, inc.until_end)
        win = IncidentWindow(inc, start, end)
        rules.windows.append(win)
        _add_cause_and_fix(rules, config, win, timeline.end)
        if inc.kind == "machine" and inc.machine:
            rules.pins.append(MachinePin(inc.part, inc.machine, start,
                                         _pin_end(win, inc.pin_share)))
        if inc.kind == "maintenance_event" and inc.event and inc.event.asset_type == "machine":
            rules.pins.append(MachinePin(inc.part, inc.event.asset, start,
                                         _pin_end(win, inc.pin_share)))
        if inc.kind == "tool" and inc.tool and inc.confound_machine:
            rules.pins.append(MachinePin(inc.part, inc.confound_machine, start, end, inc.tool))
        if inc.kind == "operator" and inc.operator:
            rules.duties.append(OperatorDuty(inc.operator, inc.part, start, end))
    for decoy in plan.decoys:
        if decoy.kind != "maintenance_event" or decoy.event is None or decoy.near is None:
            continue
        at = rules.window(decoy.near).start + dt.timedelta(days=decoy.offset_days)
        if timeline.start <= at < timeline.end:
            ev = decoy.event
            rules.events.append(PlannedEvent(f"{decoy.id}:decoy", ev.asset, ev.asset_type,
                                             ev.kind, at, ev.description))
    rules.events.sort(key=lambda e: (e.at, e.asset_id))
    return rules
