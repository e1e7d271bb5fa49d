"""``generate_plant``: the whole demo plant in memory, deterministic for a seed."""

from __future__ import annotations

from collections.abc import Callable

from tools.demo_plant.complaints import build_complaints
from tools.demo_plant.config import load_plant_config
from tools.demo_plant.effects import CauseLookup, resolve_incidents
from tools.demo_plant.events import build_changes, build_maintenance
from tools.demo_plant.lots import build_lots
from tools.demo_plant.manifest import build_manifest, inspection_incidents, planted_decoys
from tools.demo_plant.models import PlantData
from tools.demo_plant.plan import build_rules
from tools.demo_plant.plan_config import load_incident_plan
from tools.demo_plant.quality import build_quality
from tools.demo_plant.records import assign_ids
from tools.demo_plant.scheduler import build_schedule
from tools.demo_plant.tables import all_rows
from tools.demo_plant.timeline import Timeline
from tools.errors import InvalidInput

Progress = Callable[[str, int, int], None]
MAX_MONTHS = 36
_STAGES = ("schedule", "materials", "maintenance", "incidents", "quality", "complaints",
           "tables")


def _check(seed: int, months: int) -> None:
    if not isinstance(seed, int) or seed < 0:
        raise InvalidInput(f"the plant seed must be a whole number of 0 or more, not {seed!r}")
    if not isinstance(months, int) or not 1 <= months <= MAX_MONTHS:
        raise InvalidInput(f"the plant history must be 1 to {MAX_MONTHS} months long, "
                           f"not {months!r}")


def generate_plant(seed: int = 7, months: int = 6, *,
                   progress: Progress | None = None) -> PlantData:
    """Generate the demo plant: master data, ``months`` months of production ending on
    2026-11-01T00:00Z, and the planted incidents with their manifest.

    The same seed gives identical tables; nothing depends on the clock. ``progress(stage,
    done, total)`` is called after each generation stage.
    """
    _check(seed, months)

    def step(stage: str) -> None:
        if progress is not None:
            progress(f"generating: {stage}", _STAGES.index(stage) + 1, len(_STAGES))

    config, plan = load_plant_config(), load_incident_plan()
    timeline = Timeline.for_months(months)
    rules = build_rules(config, plan, timeline)
    schedule = build_schedule(config, timeline, rules, seed)
    batches = schedule.batches
    assign_ids(batches)
    batches.sort(key=lambda b: b.batch_id)
    step("schedule")
    lots = build_lots(config, plan, rules, timeline, batches, seed)
    assign_ids(lots)
    step("materials")
    events = build_maintenance(config, timeline, rules, schedule.tool_events, seed)
    changes = build_changes(plan, rules, timeline)
    step("maintenance")
    lookup = CauseLookup(event_ids={e.key: e.event_id for e in events if e.key},
                         change_ids={c.key: c.change_id for c in changes})
    effects, incidents = resolve_incidents(config, rules, batches, lookup, seed)
    step("incidents")
    quality = build_quality(config, batches, effects, timeline.start, seed)
    step("quality")
    complaints, spikes = build_complaints(config, plan, timeline, batches, incidents, seed)
    incidents += spikes + inspection_incidents(config, plan, timeline, lots)
    step("complaints")
    decoys = planted_decoys(plan, events, changes, incidents)
    manifest = build_manifest(seed, months, timeline, incidents, decoys)
    tables = all_rows(config, batches, lots, quality, events, changes, complaints)
    step("tables")
    return PlantData.model_construct(tables=tables, manifest=manifest)
