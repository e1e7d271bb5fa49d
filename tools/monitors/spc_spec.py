"""The typed SPC monitor: run rules on a control chart, per part, over the plant's batches.

"alert on any Nelson rule violation on the X-bar chart of bore diameter" or
"当直径的X-bar图出现连续7点上升时报警" is not a threshold on one batch: it asks whether the
batches' statistics, plotted on a control chart whose limits come from the group's own
history, break a run rule. An ``SpcMonitorSpec`` says which chart, of what, which rules
(with Minitab's K), how many batches set the limits, and what to do.

Meaning (docs/monitors.md, "SPC monitors"): per group (a part, and the characteristic or
defect code), the batches in the scope are numbered in time order (``started_at``, then
``batch_id``). A subgroup is one batch: its samples of the characteristic (X̄-R, X̄-S), its
mean (I-MR), its defectives and quantity produced (p, np) or its defect count and
quantity (c, u). The first ``baseline`` subgroups are phase I: they set the limits, with
subgroups beyond the limits left out of the estimate until none is (qcc/Montgomery trial
limits). Later subgroups are judged against those limits; the selected rules run over the
whole series, as qcc runs them. Every phase-II subgroup that a rule flags holds; an
alert is raised where a run of held subgroups starts (one alert per episode).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from tools.errors import AndonError
from tools.monitors.spec import SPEC_VERSION, Action, Language, Scope, _Frozen
from tools.spc import RULE_SETS, RuleSpec, resolve_rules
from tools.spc.models import RuleId

SpcChart = Literal["xbar-r", "xbar-s", "imr", "p", "np", "c", "u"]
VARIABLES_CHARTS = frozenset({"xbar-r", "xbar-s", "imr"})
NELSON = RULE_SETS["nelson"]
WESTERN_ELECTRIC = RULE_SETS["we"]
DEFAULT_BASELINE = 25
# Rules a dispersion chart (R, S, MR) can signal on are not part of an SPC monitor: the
# monitor watches the location (or attribute) chart, as requests name it.


class ChartRule(_Frozen):
    """One run rule, with Minitab's K where the request gives one ("7 points rising")."""

    rule: RuleId
    k: int | None = Field(default=None, ge=1, le=50, description="the rule's K, e.g. 7 for "
                          "'7 points in a row increasing'; None: the rule's default")


class SpcMonitorSpec(_Frozen):
    """A complete SPC monitor (see the module docstring)."""

    version: Literal[1] = SPEC_VERSION
    kind: Literal["spc"] = "spc"
    language: Language = "en"
    scope: Scope = Scope()
    chart: SpcChart = Field(description="xbar-r, xbar-s, imr (variables: one characteristic) "
                            "or p, np (a batch's defectives), c, u (a batch's defects)")
    name: str | None = Field(default=None, description="the characteristic (variables "
                             "charts) or defect code (c, u; None counts every defect)")
    unit: str | None = Field(default=None, description="unit of the characteristic")
    rules: tuple[ChartRule, ...] = Field(min_length=1, max_length=12)
    baseline: int = Field(default=DEFAULT_BASELINE, ge=2, le=10_000,
                          description="subgroups (batches) per group that set the limits")
    actions: tuple[Action, ...] = ()

    @model_validator(mode="after")
    def _coherent(self) -> SpcMonitorSpec:
        if self.chart in VARIABLES_CHARTS and not self.name:
            raise ValueError(f"an {self.chart} chart needs a characteristic")
        if self.chart in ("p", "np") and self.name:
            raise ValueError(f"a {self.chart} chart counts a batch's defectives and takes "
                             "no name")
        if len({r.rule for r in self.rules}) != len(self.rules):
            raise ValueError("a rule appears twice")
        try:  # K within Minitab's range for each rule
            resolve_rules([RuleSpec(rule=r.rule, k=r.k) for r in self.rules])
        except AndonError as exc:
            raise ValueError(exc.message) from exc
        return self

    @property
    def evaluation_unit(self) -> Literal["batch"]:
        return "batch"

    @property
    def group_characteristic(self) -> str | None:
        return self.name

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(r.rule for r in self.rules)
