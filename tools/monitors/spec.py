"""The typed monitor: what a monitoring request means (shared/spec/monitor-semantics.md).

A reader (deterministic or LLM) turns words into a ``MonitorSpec``; the compiler turns a
spec into SQL; the evaluation suites compare specs and the alerts they produce. Thresholds
are stored in the measure's own unit (rates as fractions: 2 % is 0.02), so two specs that
mean the same thing compare equal.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tools.errors import InvalidInput

SPEC_VERSION: Literal[1] = 1

Comparator = Literal[">", ">=", "<", "<=", "==", "!="]
Language = Literal["en", "zh"]
Measure = Literal["characteristic", "batch", "defect_code", "incoming", "parameter",
                  "complaints"]
Statistic = Literal[
    # characteristic (one batch's samples, or pooled samples under a rolling/time window)
    "mean", "stdev", "range", "min", "max", "median", "count", "out_of_spec_rate", "cpk",
    # batch quantities
    "defect_rate", "yield", "qty_defective",
    # defect code: sum of quantity for the code in the batch
    "quantity",
    # incoming inspection (one lot) and process parameter (one batch)
    "value", "pass_rate", "relative_change",
]
Unit = Literal["batch", "lot", "week"]

STATISTICS_BY_MEASURE: dict[str, frozenset[str]] = {
    "characteristic": frozenset({"mean", "stdev", "range", "min", "max", "median", "count",
                                 "out_of_spec_rate", "cpk"}),
    "batch": frozenset({"defect_rate", "yield", "qty_defective"}),
    "defect_code": frozenset({"quantity"}),
    "incoming": frozenset({"value", "pass_rate", "relative_change"}),
    "parameter": frozenset({"value"}),
    "complaints": frozenset({"count"}),
}
UNIT_OF_MEASURE: dict[str, Unit] = {
    "characteristic": "batch", "batch": "batch", "defect_code": "batch", "parameter": "batch",
    "incoming": "lot", "complaints": "week",
}
# Which scope filters apply to which evaluation unit.
SCOPE_FIELDS_BY_UNIT: dict[str, frozenset[str]] = {
    "batch": frozenset({"part_ids", "families", "processes", "line_ids", "machine_ids",
                        "tool_ids", "supplier_ids", "materials", "shifts"}),
    "lot": frozenset({"supplier_ids", "materials"}),
    "week": frozenset({"part_ids", "families", "processes"}),
}
# Statistics that are fractions (thresholds written as % are divided by 100).
FRACTION_STATISTICS = frozenset({"out_of_spec_rate", "defect_rate", "yield", "pass_rate",
                                 "relative_change"})
# Statistics without a physical unit (counts, indices, fractions).
UNITLESS_STATISTICS = FRACTION_STATISTICS | {"count", "cpk", "qty_defective", "quantity"}
# Statistics that can be pooled over a rolling or time window.
POOLABLE_STATISTICS = frozenset({"mean", "stdev", "range", "min", "max", "count",
                                 "out_of_spec_rate", "cpk", "defect_rate", "yield",
                                 "qty_defective", "quantity", "pass_rate"})


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Scope(_Frozen):
    """Filters on the units evaluated. Empty lists mean no filter. Names are the database's
    ids/values: part ids, family words, process words, line/machine/tool/supplier ids,
    material names, shift letters."""

    part_ids: tuple[str, ...] = ()
    families: tuple[str, ...] = ()
    processes: tuple[str, ...] = Field(default=(), description="the batch's line process, "
                                       "e.g. injection_molding ('注塑件')")
    line_ids: tuple[str, ...] = ()
    machine_ids: tuple[str, ...] = ()
    tool_ids: tuple[str, ...] = ()
    supplier_ids: tuple[str, ...] = Field(default=(), description="supplier of the batch's "
                                          "material lot, or of the inspected lot")
    materials: tuple[str, ...] = ()
    shifts: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in type(self).model_fields)


class Signal(_Frozen):
    """One statistic of one measure, computed per evaluation unit."""

    measure: Measure
    statistic: Statistic
    name: str | None = Field(default=None, description="characteristic name, defect code, "
                             "incoming-inspection characteristic or parameter name; None for "
                             "batch quantities and complaints")
    unit: str | None = Field(default=None, description="unit of the measure (g, mm, C...); "
                             "None for unitless statistics")

    @model_validator(mode="after")
    def _fits_measure(self) -> Signal:
        if self.statistic not in STATISTICS_BY_MEASURE[self.measure]:
            raise ValueError(f"statistic {self.statistic!r} does not apply to {self.measure}")
        needs_name = self.measure in ("characteristic", "defect_code", "incoming", "parameter")
        optional = self.measure == "incoming" and self.statistic == "pass_rate"
        if needs_name and not self.name and not optional:
            raise ValueError(f"a {self.measure} signal needs a name")
        if not needs_name and self.name:
            raise ValueError(f"a {self.measure} signal takes no name")
        return self

    @property
    def evaluation_unit(self) -> Unit:
        return UNIT_OF_MEASURE[self.measure]


class Condition(_Frozen):
    """``signal comparator threshold``; the threshold is in the signal's unit (fractions for
    rates)."""

    signal: Signal
    comparator: Comparator
    threshold: float
    threshold_text: str | None = Field(default=None, description="the threshold as written, "
                                       "e.g. '150 mg' or '2%'")


class Window(_Frozen):
    """How units combine before the rule fires.

    - ``single``: the condition on each unit.
    - ``consecutive``: the condition holds on ``n`` consecutive units of the group.
    - ``k_of_n``: at least ``k`` of the last ``n`` units satisfy it (once ``n`` units exist).
    - ``rolling``: statistics pooled over the samples of the last ``n`` units (once ``n``
      units exist), compared on every unit.
    - ``time``: statistics pooled over the units that started in the ``hours`` before and
      including the unit.
    """

    kind: Literal["single", "consecutive", "k_of_n", "rolling", "time"] = "single"
    n: int | None = Field(default=None, ge=1, le=10_000)
    k: int | None = Field(default=None, ge=1, le=10_000)
    hours: float | None = Field(default=None, gt=0, le=24 * 366)

    @model_validator(mode="after")
    def _complete(self) -> Window:
        needs = {"single": (), "consecutive": ("n",), "k_of_n": ("k", "n"),
                 "rolling": ("n",), "time": ("hours",)}[self.kind]
        for field in ("n", "k", "hours"):
            if field in needs and getattr(self, field) is None:
                raise ValueError(f"a {self.kind} window needs {field}")
            if field not in needs and getattr(self, field) is not None:
                raise ValueError(f"a {self.kind} window takes no {field}")
        if self.kind == "k_of_n" and self.k is not None and self.n is not None \
                and self.k > self.n:
            raise ValueError("k cannot exceed n")
        return self

    @property
    def pooled(self) -> bool:
        return self.kind in ("rolling", "time")


class Evidence(_Frozen):
    """Records attached to an alert, e.g. the last 3 maintenance records of the batch's tool."""

    records: Literal["maintenance_events", "measurements", "process_parameters", "defects",
                     "incoming_inspections", "engineering_changes"]
    of: Literal["tool", "machine", "material_lot", "supplier", "batch", "part"] = "batch"
    last: int = Field(default=3, ge=1, le=100)


class Action(_Frozen):
    """What happens when the monitor fires."""

    kind: Literal["notify", "create_task", "attach_evidence"]
    role: str | None = Field(default=None, description="a role such as process_engineer, "
                             "quality_engineer, supplier_quality_engineer, quality_manager")
    channel: str | None = Field(default=None, description="a channel such as #quality, "
                                "email:x@y, slack, teams")
    evidence: Evidence | None = None
    title: str | None = None

    @model_validator(mode="after")
    def _complete(self) -> Action:
        if self.kind == "notify" and not (self.role or self.channel):
            raise ValueError("notify needs a role or a channel")
        if self.kind == "attach_evidence" and self.evidence is None:
            raise ValueError("attach_evidence needs evidence")
        return self


class MonitorSpec(_Frozen):
    """A complete, typed monitor."""

    version: Literal[1] = SPEC_VERSION
    language: Language = "en"
    scope: Scope = Scope()
    conditions: tuple[Condition, ...] = Field(min_length=1, max_length=8)
    join: Literal["and", "or"] = "and"
    window: Window = Window()
    actions: tuple[Action, ...] = ()

    @model_validator(mode="after")
    def _coherent(self) -> MonitorSpec:
        units = {c.signal.evaluation_unit for c in self.conditions}
        if len(units) > 1:
            raise ValueError("all conditions must be evaluated on the same unit "
                             f"(found {', '.join(sorted(units))})")
        unit = units.pop()
        for name in type(self.scope).model_fields:
            if getattr(self.scope, name) and name not in SCOPE_FIELDS_BY_UNIT[unit]:
                raise ValueError(f"a {name} filter does not apply to {unit} signals")
        if self.window.pooled:
            for c in self.conditions:
                if c.signal.statistic not in POOLABLE_STATISTICS:
                    raise ValueError(f"{c.signal.statistic} cannot be pooled over a window")
        return self

    @property
    def evaluation_unit(self) -> Unit:
        return self.conditions[0].signal.evaluation_unit

    @property
    def group_characteristic(self) -> str | None:
        """The characteristic (or parameter, code, inspection item) alerts are grouped by:
        the signal's name when every condition names the same one."""
        names = {c.signal.name for c in self.conditions}
        return names.pop() if len(names) == 1 else None


def parse_spec(data: object) -> MonitorSpec:
    """Validate a spec from JSON-like data (an LLM's output, a stored monitor, a test case),
    refusing bad input with one sentence."""
    from pydantic import ValidationError

    try:
        return MonitorSpec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise InvalidInput(f"invalid monitor spec at {where or 'top level'}: "
                           f"{first.get('msg', 'invalid')}") from exc
