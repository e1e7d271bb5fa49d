"""Public argument and result models of the SPC engine (docs/spc.md).

Per-point arrays (plotted values, stair-step limits) are kept as numpy arrays inside the
models and become JSON lists only when dumped (``model_dump(mode="json")``), so a chart
of a million subgroups is not validated point by point. NaN (e.g. the first moving range)
dumps as ``null``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    field_validator,
)

from tools.errors import InvalidInput
from tools.spc.constants import ConstantsMode

ChartKind = Literal["xbar-r", "xbar-s", "imr", "p", "np", "c", "u", "ewma", "cusum", "t2"]
CHART_KINDS: tuple[str, ...] = ("xbar-r", "xbar-s", "imr", "p", "np", "c", "u", "ewma",
                                "cusum", "t2")
Severity = Literal["warning", "violation"]
SigmaMethod = Literal["uwave-r", "uwave-sd", "mvlue-r", "mvlue-sd", "rmsdf", "mr", "sd"]
RuleId = Literal["we-1", "we-2", "we-3", "we-4", "nelson-1", "nelson-2", "nelson-3",
                 "nelson-4", "nelson-5", "nelson-6", "nelson-7", "nelson-8"]


def _to_numbers(value: Any) -> float | np.ndarray | None:
    if value is None:
        return None
    if isinstance(value, np.ndarray) and value.ndim == 1:
        return value.astype(float, copy=False)
    arr = np.asarray(value, dtype=float)
    return float(arr) if arr.ndim == 0 else arr


def _dump_numbers(value: float | np.ndarray | None) -> float | list[float | None] | None:
    if value is None:
        return None
    if isinstance(value, np.ndarray):
        items: list[float | None] = value.tolist()
        if np.isnan(value).any():
            items = [None if v != v else v for v in items]  # NaN -> null
        return items
    return None if value != value else float(value)


# A number, or one number per subgroup (numpy inside, a JSON list outside).
Numbers = Annotated[float | np.ndarray | None, PlainValidator(_to_numbers),
                    PlainSerializer(_dump_numbers)]


class RuleSpec(BaseModel):
    """One run rule, switched on, with Minitab's K and a severity.

    ``k`` defaults: nelson-1/we-1 the chart's nsigmas, nelson-2 9, nelson-3 6, nelson-4 14,
    nelson-5 2 (of 3), nelson-6 4 (of 5), nelson-7 15, nelson-8 8; we-2 2 (of 3),
    we-3 4 (of 5), we-4 8. Severity defaults: rule 1 ``violation``, others ``warning``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: RuleId
    k: float | None = None
    severity: Severity | None = None


class ChartOptions(BaseModel):
    """Every option of ``control_chart`` besides the data; see docs/spc.md."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    nsigmas: float = Field(3.0, gt=0, le=10)
    constants: ConstantsMode = "qcc"
    sigma_method: SigmaMethod | None = None
    rules: str | list[str | RuleSpec] = "we"
    dispersion_rules: str | list[str | RuleSpec] = "auto"
    zone_limits: Literal["point", "window_end"] = "point"
    ewma_lambda: float = Field(0.2, gt=0, le=1)
    cusum_decision_interval: float = Field(5.0, gt=0)
    cusum_shift: float = Field(1.0, ge=0)
    cusum_head_start: float = Field(0.0, ge=0)
    t2_confidence: float | None = Field(None, gt=0, lt=1)
    max_iterations: int = Field(50, ge=1)


class Violation(BaseModel):
    """The points (1-based subgroup numbers) one rule flagged, in qcc's convention: the
    point that completes a run is flagged, and every later point while the run lasts."""

    rule: str
    points: list[int]
    severity: Severity = "violation"
    description: str = ""


class Zones(BaseModel):
    """Zone boundaries at 1/3 and 2/3 of the control-limit distance (1σ and 2σ at 3σ
    limits), clipped like the limits; used by the zone rules and by plots."""

    lower_1: Numbers = None
    upper_1: Numbers = None
    lower_2: Numbers = None
    upper_2: Numbers = None


class ChartSeries(BaseModel):
    """One chart of a result (``xbar``, ``r``, ``s``, ``i``, ``mr``, ``p``, ``np``, ``c``,
    ``u``, ``ewma``, ``cusum``, ``t2``)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    name: str
    center: Numbers = None
    lcl: Numbers = None
    ucl: Numbers = None
    sigma: Numbers = None
    violations: list[Violation] = Field(default_factory=list)
    values: Numbers = None
    lower_values: Numbers = None
    subgroup_values: Numbers = None
    zones: Zones | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)

    def flagged(self) -> list[int]:
        """All flagged points (1-based), any rule."""
        return sorted({p for v in self.violations for p in v.points})

    def array(self, field: str) -> np.ndarray:
        """``values``, ``center``, ``lcl``, ``ucl``, ``sigma`` (or another per-point field)
        as one float per point: a single number is repeated, ``None`` becomes NaN."""
        size = np.asarray(self.values, dtype=float).size
        value = getattr(self, field)
        if value is None:
            return np.full(size, np.nan)
        return np.broadcast_to(np.asarray(value, dtype=float), (size,)).copy()


class FrozenLimits(BaseModel):
    """The parameters a phase-I study estimated; approve them and apply them to new data
    (``control_chart(kind, new_data, limits=frozen)``). Limits for new subgroups are
    rebuilt from these parameters and each new subgroup's size (stair steps)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: Literal[1] = 1
    kind: ChartKind
    constants: ConstantsMode = "qcc"
    nsigmas: float = 3.0
    center: float | None = None
    sigma: float | None = None
    dispersion_center: float | None = None
    sigma_method: str | None = None
    ewma_lambda: float | None = None
    cusum_decision_interval: float | None = None
    cusum_shift: float | None = None
    cusum_head_start: float | None = None
    t2_mean: list[float] | None = None
    t2_cov: list[list[float]] | None = None
    t2_groups: int | None = None
    t2_size: int | None = None
    t2_confidence: float | None = None
    baseline_subgroups: int = 0
    excluded: list[int] = Field(default_factory=list)
    approved_by: str | None = None
    approved_at: AwareDatetime | None = None
    note: str | None = None

    def approve(self, by: str, at: datetime | None = None,
                note: str | None = None) -> FrozenLimits:
        """A copy stamped as approved (``at`` defaults to now; stored in UTC)."""
        when = at or datetime.now(UTC)
        if when.tzinfo is None:
            raise InvalidInput("approval time must carry a time zone")
        return self.model_copy(update={"approved_by": by, "approved_at": when.astimezone(UTC),
                                       "note": note if note is not None else self.note})


class ChartResult(BaseModel):
    """``control_chart``'s answer; ``to_json()`` gives the cli-contract shape."""

    kind: ChartKind
    subgroups: int
    baseline: int
    charts: list[ChartSeries]
    sizes: Numbers = None
    excluded: list[int] = Field(default_factory=list)
    constants: ConstantsMode = "qcc"
    nsigmas: float = 3.0
    limits: FrozenLimits
    notes: list[str] = Field(default_factory=list)

    def chart(self, name: str) -> ChartSeries:
        for series in self.charts:
            if series.name == name:
                return series
        raise KeyError(name)

    def to_json(self, points: bool = True) -> dict[str, Any]:
        """The JSON body; ``points=False`` leaves out per-point arrays (values, sizes)."""
        drop: set[str] = set() if points else {"values", "lower_values", "subgroup_values"}
        body = self.model_dump(mode="json", exclude={"charts"} | (set() if points
                                                                  else {"sizes"}))
        body["charts"] = [c.model_dump(mode="json", exclude=drop) for c in self.charts]
        return body


class NormalityCheck(BaseModel):
    """Shapiro-Wilk (3 ≤ n ≤ 5000) and Anderson-Darling (statsmodels p-value) tests."""

    n: int
    alpha: float
    shapiro_w: float | None = None
    shapiro_p: float | None = None
    anderson_a2: float | None = None
    anderson_p: float | None = None
    normal: bool | None = None
    message: str = ""


class CapabilityResult(BaseModel):
    """``capability``'s answer: indices with ``_ci`` bounds ([lower, upper]) as qcc's
    processCapability computes them; ``None`` where an index does not apply (see
    ``unsupported``)."""

    n: int
    subgroups: int | None = None
    mean: float
    sigma_within: float
    sigma_overall: float
    sigma_method: str
    constants: ConstantsMode
    lsl: float | None = None
    usl: float | None = None
    target: float | None = None
    nsigmas: float = 3.0
    confidence_level: float = 0.95
    cp: float | None = None
    cp_ci: list[float] | None = None
    cpl: float | None = None
    cpl_ci: list[float] | None = None
    cpu: float | None = None
    cpu_ci: list[float] | None = None
    cpk: float | None = None
    cpk_ci: list[float] | None = None
    cpm: float | None = None
    cpm_ci: list[float] | None = None
    pp: float | None = None
    pp_ci: list[float] | None = None
    ppl: float | None = None
    ppl_ci: list[float] | None = None
    ppu: float | None = None
    ppu_ci: list[float] | None = None
    ppk: float | None = None
    ppk_ci: list[float] | None = None
    ppm: float | None = None
    ppm_ci: list[float] | None = None
    expected_below_lsl_pct: float | None = None
    expected_above_usl_pct: float | None = None
    observed_below_lsl_pct: float | None = None
    observed_above_usl_pct: float | None = None
    normality: NormalityCheck
    unsupported: dict[str, str] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)

    @field_validator("cp_ci", "cpl_ci", "cpu_ci", "cpk_ci", "cpm_ci", "pp_ci", "ppl_ci",
                     "ppu_ci", "ppk_ci", "ppm_ci")
    @classmethod
    def _pair(cls, value: list[float] | None) -> list[float] | None:
        if value is not None and len(value) != 2:
            raise ValueError("a confidence interval is [lower, upper]")
        return value

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")
