"""``andon monitor backtest`` and ``andon monitor explain``: a request read, compiled, run."""

from __future__ import annotations

from typing import Annotated

import typer

from server.cli import DbOption, JsonOption, MappingOption, app, refusals, settings_for
from server.context import (
    history_policy,
    load_catalog,
    load_mapping,
    open_database,
)
from server.output import print_json, print_rows, stdout

monitor_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                          help="Turn a monitoring request into a monitor and try it.")
app.add_typer(monitor_app, name="monitor")

RequestArg = Annotated[str, typer.Argument(
    help="The request in English or Chinese, e.g. 'alert when weight stdev > 0.15 g over "
         "5 batches'.")]


@monitor_app.command("backtest")
def backtest_command(request: RequestArg, db: DbOption = None, mapping: MappingOption = None,
                     as_json: JsonOption = False) -> None:
    """Read a request, compile it and run it over the whole history: one alert per episode."""
    from tools.monitors.backtest import backtest
    from tools.monitors.reader import read_monitor

    with refusals(as_json):
        settings = settings_for(db, mapping)
        table_mapping = load_mapping(settings)
        with open_database(settings, quiet=as_json) as database:
            catalog = load_catalog(database, table_mapping)
            reading = read_monitor(request, catalog)
            result = backtest(reading.spec, db=database,
                              policy=history_policy(settings, table_mapping),
                              request=request, understood=reading.understood)
        if as_json:
            print_json(result.model_dump(mode="json"))
            return
        stdout.print(f"[bold]Understood:[/] {result.understood}", highlight=False)
        for note in result.notes:
            stdout.print(f"Note: {note}", highlight=False)
        if not result.alerts:
            stdout.print("No alerts over the history in the database.")
            return
        spc = any(a.rules for a in result.alerts)
        print_rows(["#", "group", "unit", "at", "value", *(["rules"] if spc else [])],
                   [(i, ", ".join(f"{k}={v}" for k, v in a.group.items()), a.unit_id, a.at,
                     a.value, *([", ".join(a.rules)] if spc else []))
                    for i, a in enumerate(result.alerts, start=1)],
                   title=f"{len(result.alerts)} alerts (one per episode)")
        if result.truncated:
            stdout.print(f"Only the first {result.row_cap} are shown (the row cap).")


@monitor_app.command("explain")
def explain_command(request: RequestArg, db: DbOption = None, mapping: MappingOption = None,
                    dialect: Annotated[str | None, typer.Option(
                        help="Show the SQL in another dialect: duckdb, postgres, mysql, "
                             "sqlite, trino, spark, snowflake, tsql.")] = None,
                    as_json: JsonOption = False) -> None:
    """Show how a request is read: the plain-language reading, the typed spec and the SQL."""
    from tools.monitors.compiler import compile_monitor
    from tools.monitors.reader import read_monitor

    with refusals(as_json):
        settings = settings_for(db, mapping)
        with open_database(settings, quiet=as_json) as database:
            catalog = load_catalog(database, load_mapping(settings))
            target = dialect or database.dialect
        reading = read_monitor(request, catalog)
        compiled = compile_monitor(reading.spec, dialect=target)
        if as_json:
            print_json({"request": request, "understood": reading.understood,
                        "spec": reading.spec.model_dump(mode="json"), "dialect": target,
                        "sql": compiled.sql})
            return
        stdout.print(f"[bold]Understood:[/] {reading.understood}\n", highlight=False)
        stdout.print("[bold]Spec:[/]")
        stdout.print_json(reading.spec.model_dump_json(exclude_defaults=True))
        stdout.print(f"\n[bold]SQL ({target}):[/]")
        stdout.print(compiled.expression.sql(dialect=target, pretty=True), highlight=False,
                     markup=False)
