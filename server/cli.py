"""The ``andon`` command. Shapes of ``--json`` output follow shared/spec/cli-contract.md."""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from server.config import Settings, load_settings
from server.output import EXIT_INTERNAL, EXIT_REFUSED, print_error, stderr
from tools.errors import AndonError

app = typer.Typer(name="andon", no_args_is_help=True, add_completion=False,
                  help="Andon: a quality assistant for manufacturing.",
                  context_settings={"help_option_names": ["-h", "--help"]},
                  pretty_exceptions_enable=False, rich_markup_mode=None)
plant_app = typer.Typer(no_args_is_help=True, help="Build and inspect the demo plant.",
                        rich_markup_mode=None)
app.add_typer(plant_app, name="plant")

DbOption = Annotated[str | None, typer.Option(
    "--db", help="Plant database URL (duckdb:///, postgresql://, mysql://, sqlite:///); "
                 "default: the embedded demo plant.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the machine-readable shape.")]
MappingOption = Annotated[Path | None, typer.Option(
    "--mapping", help="YAML table mapping for a database with other names.")]


@contextmanager
def refusals(as_json: bool) -> Iterator[None]:
    """Map errors once: AndonError -> exit 2 with one sentence; anything else -> exit 1."""
    try:
        yield
    except AndonError as error:
        print_error(error, as_json=as_json)
        raise typer.Exit(EXIT_REFUSED) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as exc:
        stderr.print(f"[bold red]internal error:[/] {type(exc).__name__}: {exc}")
        if os.environ.get("ANDON_DEBUG"):
            traceback.print_exc()
        if as_json:
            from server.output import print_json

            print_json({"error": {"code": "internal", "message": str(exc)}})
        raise typer.Exit(EXIT_INTERNAL) from None


def settings_for(db: str | None = None, mapping: Path | None = None, **extra: object) -> Settings:
    return load_settings(None, db_url=db, mapping_path=mapping, **extra)


# Import the command modules so they register themselves on the apps above.
from server import (  # noqa: E402,F401
    cli_monitor,
    cli_plant,
    cli_rca,
    cli_serve,
    cli_spc,
    cli_sql,
    cli_standards,
    cli_vision,
)


def main() -> None:
    """Console entry point."""
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    app(prog_name="andon")


if __name__ == "__main__":
    main()
