"""``andon plant build`` and ``andon catalog``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

import typer

from server.cli import DbOption, JsonOption, MappingOption, app, plant_app, refusals, settings_for
from server.context import build_demo_plant, load_catalog, load_mapping, open_database
from server.output import print_json, print_rows, stdout
from tools.database import redact_url


def _slug(url: str) -> str:
    """A file-name-safe name for a server database URL (no credentials)."""
    parts = urlsplit(url)
    return re.sub(r"[^A-Za-z0-9_.-]+", "_",
                  f"{parts.scheme}_{parts.hostname}_{parts.port or ''}_{parts.path.strip('/')}")


@plant_app.command("build")
def plant_build(
    db: DbOption = None,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same plant.")] = 7,
    months: Annotated[int, typer.Option(min=1, max=36, help="Months of history.")] = 6,
    replace: Annotated[bool, typer.Option(
        "--replace", help="Drop and rebuild reference tables that already hold data.")] = False,
    manifest: Annotated[Path | None, typer.Option(
        help="Where to write the incident manifest (ground truth for evals).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Write the demo plant (lines, parts, 6 months of batches, planted incidents) to a database."""
    with refusals(as_json):
        settings = settings_for(db)
        url = settings.effective_db_url
        if manifest is None and url.split(":", 1)[0] not in ("duckdb", "sqlite"):
            manifest = settings.home / "manifests" / f"{_slug(url)}.manifest.json"
        report = build_demo_plant(url, seed=seed, months=months, replace=replace,
                                  manifest_path=manifest, quiet=as_json)
        if as_json:
            print_json(report.model_dump(mode="json") | {"db": redact_url(url)})
            return
        rows = sorted(report.row_counts.items())
        print_rows(["table", "rows"], rows, title=f"Demo plant written to {redact_url(url)}")
        stdout.print(f"Built in {report.seconds:.1f} s; incident manifest: {report.manifest_path}")


@app.command("catalog")
def catalog_show(db: DbOption = None, mapping: MappingOption = None,
                 as_json: JsonOption = False) -> None:
    """Show what Andon knows about the plant: parts, characteristics, parameters, suppliers."""
    with refusals(as_json):
        settings = settings_for(db, mapping)
        with open_database(settings, quiet=as_json) as database:
            catalog = load_catalog(database, load_mapping(settings))
        if as_json:
            print_json(catalog.model_dump(mode="json"))
            return
        print_rows(["part", "name", "family", "characteristics"],
                   [(p.part_id, p.name, p.family,
                     ", ".join(c.name for c in catalog.characteristics if c.part_id == p.part_id))
                    for p in catalog.parts], title="Parts")
        print_rows(["characteristic", "part", "unit", "lsl", "nominal", "usl"],
                   [(c.name, c.part_id, c.unit, c.lsl, c.nominal, c.usl)
                    for c in catalog.characteristics], title="Characteristics")
