"""The production schedule: which part runs on which machine with which tool and operator, one
batch per machine and shift, plus the routine tool services that reset tool wear.

Parts move between the machines of their line every campaign (3 days); parts with two tools
swap them every two campaigns; crews rotate through shifts A, B and C weekly. The incident
rules pin parts to machines, put operators on stations and fix service times where an
incident needs its cause to be present.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import numpy as np

from tools.demo_plant.config import LineConfig, PlantConfig, ToolConfig
from tools.demo_plant.plan import ScheduleRules
from tools.demo_plant.records import BatchRecord, EventRecord
from tools.demo_plant.timeline import TOOL_ROTATION_CAMPAIGNS, Slot, Timeline, minutes, rng_for

SHIFT_INDEX = {"A": 0, "B": 1, "C": 2}
NO_ORDER_SHARE = 0.03  # share of machine shifts without production (no order, changeover)
MAX_WEAR = 1.2  # wear saturates: an overdue tool is not worse than 1.2 service intervals


def operator_crews(config: PlantConfig) -> dict[str, list[list[str]]]:
    """Three rotating crews per line, each one operator larger than the line's machine count;
    operator ids are ``OP-<line number><member>`` (line 1's are OP-101, OP-102, ...)."""
    crews: dict[str, list[list[str]]] = {}
    for number, line in enumerate(config.lines, 1):
        size = len(line.machines) + 1
        ids = [f"OP-{number}{n:02d}" for n in range(1, 3 * size + 1)]
        crews[line.line_id] = [ids[k * size:(k + 1) * size] for k in range(3)]
    return crews


@dataclass
class Schedule:
    batches: list[BatchRecord]
    tool_events: list[EventRecord]


class _ToolState:
    """Uses since the last service and the use count at which the next one is due."""

    def __init__(self, tool: ToolConfig, rng: np.random.Generator) -> None:
        self.tool = tool
        self.rng = rng
        lo, hi = tool.service_every
        self.uses = int(rng.integers(0, lo))
        self.limit = int(rng.integers(lo, hi + 1))

    @property
    def wear(self) -> float:
        return min(MAX_WEAR, self.uses / (sum(self.tool.service_every) / 2.0))

    def reset(self) -> None:
        lo, hi = self.tool.service_every
        self.uses = 0
        self.limit = int(self.rng.integers(lo, hi + 1))


def _valid_assignments(line: LineConfig, parts: list[str], allowed: dict[str, tuple[str, ...]],
                       ) -> list[tuple[str | None, ...]]:
    machines: list[str | None] = [m.machine_id for m in line.machines]
    machines += [None] * max(0, len(parts) - len(machines))
    seen: dict[tuple[str | None, ...], None] = {}
    for perm in itertools.permutations(machines, len(parts)):
        if all(m is None or m in allowed[p] for p, m in zip(parts, perm, strict=True)):
            seen.setdefault(perm)
    return list(seen)


class _LineScheduler:
    def __init__(self, config: PlantConfig, line: LineConfig, timeline: Timeline,
                 rules: ScheduleRules, crews: list[list[str]], seed: int) -> None:
        self.config, self.line, self.timeline, self.rules = config, line, timeline, rules
        self.crews = crews
        self.rng = rng_for(seed, "schedule", line.line_id)
        self.parts = [p.part_id for p in config.parts if p.line_id == line.line_id]
        self.allowed = {p: config.machines_of(config.part(p)) for p in self.parts}
        self.assignments = _valid_assignments(line, self.parts, self.allowed)
        self.tools = {p: config.tools_of(p) for p in self.parts}
        self.tool_offset = {p: int(self.rng.integers(0, 2)) for p in self.parts}
        self.state = {t.tool_id: _ToolState(t, self.rng)
                      for p in self.parts for t in self.tools[p]}
        self.planned = [e for e in rules.events if e.asset_id in self.state]
        self.events: list[EventRecord] = []

    def _tool_for(self, part_id: str, campaign: int) -> str | None:
        tools = self.tools[part_id]
        if not tools:
            return None
        return tools[(campaign // TOOL_ROTATION_CAMPAIGNS + self.tool_offset[part_id])
                     % len(tools)].tool_id

    def _assign(self, start: dt.datetime, end: dt.datetime, tools: dict[str, str | None],
                ) -> dict[str, str]:
        pins = [p for p in self.rules.pins if p.part_id in self.allowed
                and p.start < end and p.end > start]

        def ok(perm: tuple[str | None, ...]) -> bool:
            where = dict(zip(self.parts, perm, strict=True))
            for pin in pins:
                wanted = pin.tool_id is None or tools[pin.part_id] == pin.tool_id
                if wanted != (where[pin.part_id] == pin.machine_id):
                    return False
            return True

        valid = [perm for perm in self.assignments if ok(perm)]
        if not valid:
            raise RuntimeError(f"incident pins on {self.line.line_id} cannot all be honoured "
                               f"at {start:%Y-%m-%d}")
        chosen = valid[int(self.rng.integers(0, len(valid)))]
        return {m: p for p, m in zip(self.parts, chosen, strict=True) if m is not None}

    def _operators(self, slot: Slot, by_machine: dict[str, str]) -> dict[str, str]:
        week = self.timeline.crew_week(slot.start)
        crew = self.crews[(SHIFT_INDEX[slot.shift] + week) % 3]
        order = self.rng.permutation(len(crew))
        machines = [m.machine_id for m in self.line.machines]
        working = dict(zip(machines, (crew[int(i)] for i in order), strict=False))
        for duty in self.rules.duties:
            if duty.operator_id not in crew or not duty.start <= slot.start < duty.end:
                continue
            target = next((m for m, p in by_machine.items() if p == duty.part_id), None)
            if target is None:
                continue
            current = next((m for m, o in working.items() if o == duty.operator_id), None)
            if current is not None:
                working[current] = working[target]
            working[target] = duty.operator_id
        return working

    def _use_tool(self, tool_id: str, at: dt.datetime) -> float:
        state = self.state[tool_id]
        while self.planned and self.planned[0].at <= at:  # planned services reset wear too
            event = self.planned.pop(0)
            self.state[event.asset_id].reset()
        if state.uses >= state.limit and not self.rules.is_quiet(tool_id, at):
            service_at = at - minutes(int(self.rng.integers(40, 121)))
            self.events.append(EventRecord(tool_id, "tool", state.tool.service_kind, service_at,
                                           _service_text(state.tool)))
            state.reset()
        wear = state.wear
        state.uses += 1
        return wear

    def run(self) -> list[BatchRecord]:
        batches: list[BatchRecord] = []
        campaign, by_machine, tools = -1, {}, {}
        for slot in self.timeline.slots:
            current = self.timeline.campaign_of(slot.start)
            if current != campaign:
                campaign = current
                c_start = self.timeline.start + dt.timedelta(days=3 * campaign)
                tools = {p: self._tool_for(p, campaign) for p in self.parts}
                by_machine = self._assign(c_start, c_start + dt.timedelta(days=3), tools)
            operators = self._operators(slot, by_machine)
            for machine in (m.machine_id for m in self.line.machines):
                skip = self.rng.random() < NO_ORDER_SHARE
                part_id = by_machine.get(machine)
                if part_id is None or skip:
                    continue
                part = self.config.part(part_id)
                started = slot.start + minutes(int(self.rng.integers(15, 46)))
                ended = slot.end - minutes(int(self.rng.integers(5, 21)))
                tool_id = tools[part_id]
                wear = self._use_tool(tool_id, started) if tool_id else 0.0
                qty = int(self.rng.integers(part.qty[0], part.qty[1] + 1))
                batches.append(BatchRecord(part_id, self.line.line_id, machine, tool_id,
                                           slot.shift, operators[machine], started, ended,
                                           qty, wear))
        return batches


def _service_text(tool: ToolConfig) -> str:
    if tool.tool_type == "mold":
        return f"Mold {tool.tool_id} serviced: cavities cleaned, vents checked, ejectors greased"
    if tool.tool_type == "die":
        return f"Die {tool.tool_id} sharpened: punches and cutting edges reground"
    return f"Fixture {tool.tool_id} checked: locating pins and clamps inspected"


def build_schedule(config: PlantConfig, timeline: Timeline, rules: ScheduleRules,
                   seed: int) -> Schedule:
    """Every batch of the history, line by line, with the routine tool services."""
    crews = operator_crews(config)
    batches: list[BatchRecord] = []
    events: list[EventRecord] = []
    for line in config.lines:
        scheduler = _LineScheduler(config, line, timeline, rules, crews[line.line_id], seed)
        batches.extend(scheduler.run())
        events.extend(scheduler.events)
    return Schedule(batches, events)
