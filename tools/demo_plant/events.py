"""Maintenance events (routine, random and planted) and engineering changes."""

from __future__ import annotations

import datetime as dt

from tools.demo_plant.config import PlantConfig
from tools.demo_plant.plan import ScheduleRules
from tools.demo_plant.plan_config import IncidentPlanConfig
from tools.demo_plant.records import ChangeRecord, EventRecord, assign_ids
from tools.demo_plant.timeline import Timeline, rng_for

PM_EVERY_DAYS = 28
CALIBRATION_EVERY_DAYS = 42
CORRECTIVE_EVERY_DAYS = 60.0
CLEAR_OF_INCIDENTS = dt.timedelta(days=7)  # random repairs stay this far from incident starts

PM_TEXT = {
    "injection_press": "Preventive maintenance: hydraulic oil and filters checked, heater bands "
                       "and thermocouples tested",
    "press": "Preventive maintenance: lubrication system, clutch and brake, slide gibs checked",
    "cnc_lathe": "Preventive maintenance: way lube, coolant concentration and spindle runout "
                 "checked",
    "assembly_cell": "Preventive maintenance: nutrunner spindles, pneumatics and sensors checked",
}
CORRECTIVE_TEXT = {
    "injection_press": ["Hydraulic hose leak repaired", "Thermocouple of barrel zone 3 replaced",
                        "Robot gripper vacuum cup replaced"],
    "press": ["Light curtain realigned", "Coil feeder roller replaced",
              "Air leak on the clutch valve repaired"],
    "cnc_lathe": ["Coolant pump replaced", "Chip conveyor jam cleared",
                  "Tailstock proximity switch replaced"],
    "assembly_cell": ["Nutrunner cable replaced", "Conveyor belt tension adjusted",
                      "Part-present sensor cleaned"],
}


def _sundays(timeline: Timeline, offset_days: int, every: int) -> list[dt.date]:
    first = timeline.start.date()
    first += dt.timedelta(days=(6 - first.weekday()) % 7 + offset_days)
    days = []
    while dt.datetime(first.year, first.month, first.day, tzinfo=dt.UTC) < timeline.end:
        days.append(first)
        first += dt.timedelta(days=every)
    return days


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.UTC)


def _near_incident(rules: ScheduleRules, config: PlantConfig, line_id: str,
                   moment: dt.datetime) -> bool:
    return any(config.part(w.config.part).line_id == line_id
               and abs(w.start - moment) < CLEAR_OF_INCIDENTS for w in rules.windows)


def build_maintenance(config: PlantConfig, timeline: Timeline, rules: ScheduleRules,
                      tool_events: list[EventRecord], seed: int) -> list[EventRecord]:
    """Every maintenance event, numbered ME-0001... in time order."""
    rng = rng_for(seed, "maintenance")
    events = list(tool_events)
    events += [EventRecord(p.asset_id, p.asset_type, p.kind, p.at, p.description, key=p.key)
               for p in rules.events if timeline.start <= p.at < timeline.end]
    machines = [(line.line_id, m) for line in config.lines for m in line.machines]
    for i, (line_id, machine) in enumerate(machines):
        for day in _sundays(timeline, (i * 7) % PM_EVERY_DAYS, PM_EVERY_DAYS):
            at = _at(day, 8, (i * 20) % 60)
            if timeline.start <= at < timeline.end and not rules.is_quiet(machine.machine_id, at):
                events.append(EventRecord(machine.machine_id, "machine", "preventive", at,
                                          PM_TEXT[machine.machine_type]))
        count = int(rng.poisson(timeline.days / CORRECTIVE_EVERY_DAYS))
        for _ in range(count):
            at = timeline.start + dt.timedelta(minutes=int(rng.integers(0, int(
                timeline.days * 1440))))
            text = str(rng.choice(CORRECTIVE_TEXT[machine.machine_type]))
            if not rules.is_quiet(machine.machine_id, at) and not _near_incident(
                    rules, config, line_id, at):
                events.append(EventRecord(machine.machine_id, "machine", "corrective", at, text))
    for i, gauge_id in enumerate(config.gauge_ids()):
        name = next(g.name for g in config.gauges if g.gauge_id == gauge_id)
        for day in _sundays(timeline, (i * 7) % CALIBRATION_EVERY_DAYS, CALIBRATION_EVERY_DAYS):
            at = _at(day, 13, (i * 15) % 60)
            if timeline.start <= at < timeline.end and not rules.is_quiet(gauge_id, at):
                events.append(EventRecord(gauge_id, "gauge", "calibration", at,
                                          f"Gauge {gauge_id} ({name}) calibrated: within "
                                          f"tolerance as found"))
    events = [e for e in events if timeline.start <= e.performed_at < timeline.end]
    assign_ids(events)
    return sorted(events, key=lambda e: e.event_id)


def build_changes(plan: IncidentPlanConfig, rules: ScheduleRules, timeline: Timeline,
                  ) -> list[ChangeRecord]:
    """Engineering changes of the incidents and decoys, numbered EC-001... by date."""
    changes: list[ChangeRecord] = []
    for win in rules.windows:
        change = win.config.change
        if change is not None:
            changes.append(ChangeRecord(win.config.part, win.start, change.kind,
                                        change.description, win.config.id))
    for decoy in plan.decoys:
        if decoy.change is not None and decoy.part and decoy.at is not None:
            changes.append(ChangeRecord(decoy.part, timeline.day_start(decoy.at),
                                        decoy.change.kind, decoy.change.description, decoy.id))
    changes = [c for c in changes if timeline.start <= c.effective_at < timeline.end]
    changes.sort(key=lambda c: (c.effective_at, c.part_id))
    for n, record in enumerate(changes, 1):
        record.change_id = f"EC-{n:03d}"
    return changes
