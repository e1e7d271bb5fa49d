"""``andon sql``: one read-only query through the SQL guard, the same path every agent uses."""

from __future__ import annotations

from typing import Annotated

import typer

from server.cli import DbOption, JsonOption, MappingOption, app, refusals, settings_for
from server.context import load_mapping, open_database, sql_policy
from server.output import print_json, print_rows, stderr


@app.command("sql")
def sql_command(
    query: Annotated[str, typer.Argument(help="One SELECT over the reference schema.")],
    db: DbOption = None,
    role: Annotated[str, typer.Option(help="Access role: engineer, supplier_quality, viewer.")]
    = "engineer",
    max_rows: Annotated[int | None, typer.Option(
        "--max-rows", min=1, help="Row cap (clamped to the role's cap).")] = None,
    mapping: MappingOption = None,
    as_json: JsonOption = False,
) -> None:
    """Run one read-only query through the SQL guard."""
    from tools.run_sql import RunSqlArgs, run_sql

    with refusals(as_json):
        settings = settings_for(db, mapping, role=role)
        with open_database(settings, quiet=as_json) as database:
            policy = sql_policy(settings, load_mapping(settings))
            result = run_sql(RunSqlArgs(query=query, role=role, max_rows=max_rows),
                             db=database, policy=policy)
        if as_json:
            print_json(result.model_dump(mode="json"))
            return
        print_rows(result.columns, result.rows)
        if result.truncated:
            stderr.print(f"[yellow]truncated to {len(result.rows)} rows[/] (row cap)")
        stderr.print(f"[dim]{result.sql}[/]", highlight=False)
