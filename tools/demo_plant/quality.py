"""What each batch measured, ran at and rejected: SPC samples (5 per characteristic), process
parameters and defects, from the normal process model plus the planted effects.

A batch mean moves with a slow drift, machine, tool, shift and operator offsets (small),
tool wear since the last service, the material lot's latent quality, the parameters'
normal noise and batch-to-batch noise; samples scatter around it with the within-batch
standard deviation. Defect counts are Poisson with batch-to-batch overdispersion.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from knowledge_graph.defect_codes import defect_codes_by_code
from tools.demo_plant.config import CharacteristicConfig, PartConfig, PlantConfig
from tools.demo_plant.effects import WITHIN_SHARE, BatchEffects
from tools.demo_plant.records import BatchRecord
from tools.demo_plant.timeline import rng_for

SAMPLES_PER_BATCH = 5
DRIFT_AMPLITUDE = 0.25  # slow drift of the mean, total sigmas
OFFSET_SD = {"machine": 0.15, "tool": 0.15, "shift": 0.06, "operator": 0.04}
BATCH_NOISE_SD = 0.25
PARAMETER_PULL = 0.15  # total sigmas a one-sd parameter deviation moves its characteristic
BATCH_DISPERSION, CODE_DISPERSION = 4.0, 8.0  # gamma shapes of defect overdispersion


def characteristic_id(part: PartConfig, index: int) -> str:
    """``CH-100-01`` for the first characteristic of P-100."""
    return f"CH-{part.part_id.removeprefix('P-')}-{index + 1:02d}"


@dataclass
class QualityRows:
    measurements: list[tuple[Any, ...]] = field(default_factory=list)
    parameters: list[tuple[Any, ...]] = field(default_factory=list)
    defects: list[tuple[Any, ...]] = field(default_factory=list)


class _Offsets:
    """Fixed small offsets of machines, tools, shifts and operators, and each drift's shape."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.cache: dict[tuple[str, ...], float] = {}
        self.shapes: dict[tuple[str, str], tuple[float, float]] = {}

    def get(self, kind: str, key: str, part: str, char: str) -> float:
        ident = (kind, key, part, char)
        if ident not in self.cache:
            rng = rng_for(self.seed, "offset", *ident)
            self.cache[ident] = float(rng.normal(0.0, OFFSET_SD[kind]))
        return self.cache[ident]

    def drift(self, part: str, char: str, days: float) -> float:
        ident = (part, char)
        if ident not in self.shapes:
            rng = rng_for(self.seed, "drift", *ident)
            self.shapes[ident] = (float(rng.uniform(60.0, 120.0)),
                                  float(rng.uniform(0.0, 2.0 * math.pi)))
        period, phase = self.shapes[ident]
        return DRIFT_AMPLITUDE * math.sin(2.0 * math.pi * days / period + phase)


class _QualityModel:
    def __init__(self, config: PlantConfig, origin: dt.datetime, seed: int) -> None:
        self.config = config
        self.origin = origin
        self.rng = rng_for(seed, "quality")
        self.offsets = _Offsets(seed)
        self.codes = defect_codes_by_code()

    def _mean(self, part: PartConfig, char: CharacteristicConfig, batch: BatchRecord,
              pulls: dict[str, float]) -> float:
        o, p, c = self.offsets, part.part_id, char.name
        days = (batch.started_at - self.origin).total_seconds() / 86400.0
        sigmas = (o.drift(p, c, days) + o.get("machine", batch.machine_id, p, c)
                  + o.get("shift", f"{batch.line_id}/{batch.shift}", p, c)
                  + o.get("operator", batch.operator_id, p, c)
                  + char.wear * batch.wear + pulls.get(c, 0.0)
                  + float(self.rng.normal(0.0, BATCH_NOISE_SD)))
        if batch.tool_id:
            sigmas += o.get("tool", batch.tool_id, p, c)
        if batch.lot is not None:
            sigmas += char.lot * batch.lot.z
        return char.process_mean + sigmas * char.sigma_total

    def parameters(self, part: PartConfig, batch: BatchRecord, deltas: dict[str, float],
                   rows: QualityRows) -> dict[str, float]:
        pulls: dict[str, float] = {}
        for param in part.parameters:
            z = float(self.rng.normal())
            value = param.setpoint + param.sd * z + deltas.get(param.name, 0.0)
            rows.parameters.append((batch.batch_id, param.name, round(value, param.decimals),
                                    param.unit))
            if param.drives:
                pulls[param.drives] = pulls.get(param.drives, 0.0) + PARAMETER_PULL * z
        return pulls

    def measurements(self, part: PartConfig, batch: BatchRecord, index: int,
                     effects: BatchEffects, pulls: dict[str, float], rows: QualityRows) -> None:
        duration = (batch.ended_at - batch.started_at).total_seconds()
        for k, char in enumerate(part.characteristics):
            mean = self._mean(part, char, batch, pulls)
            mean += effects.mean_shift.get(index, {}).get(char.name, 0.0)
            sd = WITHIN_SHARE * char.sigma_total * effects.sd_ratio.get(index, {}).get(
                char.name, 1.0)
            values = mean + sd * self.rng.normal(size=SAMPLES_PER_BATCH)
            jitter = self.rng.uniform(-0.08, 0.08, size=SAMPLES_PER_BATCH)
            cid = characteristic_id(part, k)
            for n in range(SAMPLES_PER_BATCH):
                value = float(values[n])
                if char.lsl is None:  # one-sided characteristics (roughness) stay positive
                    value = max(value, 10.0 ** -char.decimals)
                offset = duration * (n + 0.5 + float(jitter[n])) / SAMPLES_PER_BATCH
                at = batch.started_at + dt.timedelta(seconds=int(offset))
                rows.measurements.append((batch.batch_id, cid, n + 1,
                                          round(value, char.decimals), at))

    def defects(self, part: PartConfig, batch: BatchRecord, index: int, effects: BatchEffects,
                rows: QualityRows) -> None:
        batch_mult = float(self.rng.gamma(BATCH_DISPERSION, 1.0 / BATCH_DISPERSION))
        ratios = effects.code_ratio.get(index, {})
        extra = effects.extra_rate.get(index, {})
        counts: dict[str, int] = {}
        for d in part.defects:
            rate = d.rate * (1.0 + d.wear * batch.wear) * ratios.get(d.code, 1.0)
            mult = batch_mult * float(self.rng.gamma(CODE_DISPERSION, 1.0 / CODE_DISPERSION))
            counts[d.code] = int(self.rng.poisson(batch.qty_produced * rate * mult))
        for code, rate in extra.items():
            counts[code] = counts.get(code, 0) + int(
                self.rng.poisson(batch.qty_produced * rate * batch_mult))
        duration = (batch.ended_at - batch.started_at).total_seconds()
        for code, count in counts.items():
            if count <= 0:
                continue
            method = self.codes[code].detection_method
            if method == "functional_test":
                at = batch.ended_at + dt.timedelta(minutes=int(self.rng.integers(5, 91)))
            else:
                at = batch.started_at + dt.timedelta(
                    seconds=int(duration * float(self.rng.uniform(0.1, 1.0))))
            rows.defects.append((batch.batch_id, code, count, at, method))
        batch.qty_defective = sum(counts.values())


def build_quality(config: PlantConfig, batches: list[BatchRecord], effects: BatchEffects,
                  origin: dt.datetime, seed: int) -> QualityRows:
    """Measurements, process parameters and defects (defect rows still without ids) of every
    batch, in batch order; sets each batch's ``qty_defective``."""
    model = _QualityModel(config, origin, seed)
    rows = QualityRows()
    parts = {p.part_id: p for p in config.parts}
    for index, batch in enumerate(batches):
        part = parts[batch.part_id]
        pulls = model.parameters(part, batch, effects.param_delta.get(index, {}), rows)
        model.measurements(part, batch, index, effects, pulls, rows)
        model.defects(part, batch, index, effects, rows)
    return rows


def defect_rows_with_ids(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Defect rows numbered D-000001... in detection order."""
    ordered = sorted(rows, key=lambda r: (r[3], r[0], r[1]))
    return [(f"D-{n:06d}", *row) for n, row in enumerate(ordered, 1)]

