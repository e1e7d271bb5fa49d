"""``andon serve`` (REST API and web UI) and ``andon demo`` (a guided tour in the terminal)."""

from __future__ import annotations

from typing import Annotated

import typer

from server.cli import DbOption, MappingOption, app, refusals, settings_for
from server.context import ensure_demo_plant, load_catalog, load_mapping, open_database, sql_policy
from server.output import print_rows, stdout

DEMO_QUERIES: tuple[tuple[str, str], ...] = (
    ("Defect rate by line",
     "SELECT l.name AS line, l.process, SUM(b.qty_defective) * 1.0 / SUM(b.qty_produced) "
     "AS defect_rate FROM batches b JOIN lines l ON l.line_id = b.line_id "
     "GROUP BY l.name, l.process ORDER BY defect_rate DESC"),
    ("Incoming inspection failures by supplier",
     "SELECT s.name AS supplier, i.characteristic, COUNT(*) AS fails "
     "FROM incoming_inspections i JOIN material_lots m ON m.lot_id = i.lot_id "
     "JOIN suppliers s ON s.supplier_id = m.supplier_id WHERE i.result = 'fail' "
     "GROUP BY s.name, i.characteristic ORDER BY fails DESC"),
    ("A write, refused by the SQL guard", "DELETE FROM batches WHERE 1 = 1"),
)


@app.command("serve")
def serve(
    db: DbOption = None,
    mapping: MappingOption = None,
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Start the REST API and web UI (building the demo plant first if needed)."""
    import uvicorn

    from server.api import create_app

    with refusals(False):
        settings = settings_for(db, mapping, host=host, port=port)
        ensure_demo_plant(settings)
        application = create_app(settings)
    stdout.print(f"\n[bold]Andon is up:[/] http://{settings.host}:{settings.port}/  "
                 f"(API docs at /docs; Ctrl-C stops)\n")
    uvicorn.run(application, host=settings.host, port=settings.port, log_level="warning")


@app.command("demo")
def demo(db: DbOption = None) -> None:
    """A guided tour in the terminal: the plant, its catalog, and guarded queries."""
    from tools.errors import AndonError
    from tools.run_sql import RunSqlArgs, run_sql

    with refusals(False):
        settings = settings_for(db)
        with open_database(settings) as database:
            catalog = load_catalog(database, None)
            stdout.rule("1. What Andon knows about this plant")
            stdout.print(f"{len(catalog.parts)} parts, {len(catalog.characteristics)} "
                         f"characteristics, {len(catalog.suppliers)} suppliers")
            policy = sql_policy(settings, load_mapping(settings))
            for step, (title, query) in enumerate(DEMO_QUERIES, start=2):
                stdout.rule(f"{step}. {title}")
                stdout.print(f"[dim]{query}[/]", highlight=False)
                try:
                    result = run_sql(RunSqlArgs(query=query), db=database, policy=policy)
                    print_rows(result.columns, result.rows[:12])
                except AndonError as refused:
                    stdout.print(f"[bold red]refused:[/] {refused.message}")
