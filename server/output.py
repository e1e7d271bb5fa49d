"""How the CLI speaks: JSON for scripts, rich tables for people, one sentence for errors."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from tools.errors import AndonError
from tools.run_sql import json_value

stdout = Console(soft_wrap=True)
stderr = Console(stderr=True, soft_wrap=True)

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_REFUSED = 2


def _default(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return json_value(value)


def to_json(payload: Any) -> str:
    return json.dumps(payload, default=_default, ensure_ascii=False, indent=2)


def print_json(payload: Any) -> None:
    sys.stdout.write(to_json(payload) + "\n")


def print_error(error: AndonError, *, as_json: bool) -> None:
    """One clear sentence on stderr; the contract's error body on stdout under --json."""
    stderr.print(f"[bold red]error:[/] {error.message}", highlight=False)
    if as_json:
        print_json(error.to_dict())


def print_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]], *, title: str = "") -> None:
    table = Table(title=title or None, show_lines=False)
    for col in columns:
        table.add_column(str(col))
    for row in rows:
        table.add_row(*(_cell(v) for v in row))
    stdout.print(table)


def _cell(value: Any) -> str:
    if value is None:
        return "[dim]NULL[/]"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, dt.datetime):
        return str(json_value(value))
    return str(value)
