"""Turns settings into the objects the tools take: a database, a catalog, an SQL policy.

The CLI and the REST API both go through here, so they read the same plant the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from server.config import BACKTEST_ROW_CAP, Settings
from server.output import stderr
from tools.database import Database, connect

if TYPE_CHECKING:
    from tools.catalog import Catalog, TableMapping
    from tools.demo_plant import BuildReport
    from tools.sql_guard import GuardPolicy


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[str, int, int], None]]:
    """A rich progress bar on stderr fed by ``progress(stage, done, total)`` callbacks."""
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                  console=stderr, transient=False) as bar:
        tasks: dict[str, TaskID] = {}

        def update(stage: str, done: int, total: int) -> None:
            # One bar per phase ("writing: batches" and "writing: defects" share one).
            phase = stage.split(":", 1)[0]
            label = f"{description}: {stage}"
            if phase not in tasks:
                tasks[phase] = bar.add_task(label, total=total)
            bar.update(tasks[phase], completed=done, total=total, description=label)

        yield update


def build_demo_plant(url: str, *, seed: int, months: int, replace: bool,
                     manifest_path: Path | None = None, quiet: bool = False) -> BuildReport:
    from tools.demo_plant import build_plant

    with nullcontext(None) if quiet else progress_bar("building plant") as progress:
        return build_plant(url, seed=seed, months=months, replace=replace,
                           manifest_path=manifest_path, progress=progress)


def ensure_demo_plant(settings: Settings, *, quiet: bool = False) -> None:
    """Build the embedded demo plant on first use (only when no --db was given)."""
    if not settings.uses_demo_plant or settings.demo_db_path.exists():
        return
    if not quiet:
        stderr.print(f"First run: building the demo plant at {settings.demo_db_path} ...")
    build_demo_plant(settings.demo_db_url, seed=settings.demo_seed, months=settings.demo_months,
                     replace=False, quiet=quiet)


def open_database(settings: Settings, *, quiet: bool = False) -> Database:
    """The plant database, read-only; the demo plant is built first if needed."""
    ensure_demo_plant(settings, quiet=quiet)
    return connect(settings.effective_db_url)


def load_mapping(settings: Settings) -> TableMapping | None:
    if settings.mapping_path is None:
        return None
    from tools.catalog import TableMapping

    return TableMapping.from_yaml(settings.mapping_path)


def sql_policy(settings: Settings, mapping: TableMapping | None) -> GuardPolicy:
    from tools.sql_guard import GuardPolicy

    return GuardPolicy.for_role(settings.role, row_cap=settings.row_cap,
                                timeout_s=settings.query_timeout_s,
                                expand=mapping.expand if mapping else None)


def history_policy(settings: Settings, mapping: TableMapping | None) -> GuardPolicy:
    """The guard policy of work over the whole history (backtests, investigations): the
    settings' role with the largest row cap, not the interactive default."""
    return sql_policy(settings.model_copy(update={"row_cap": BACKTEST_ROW_CAP}), mapping)


def load_catalog(db: Database, mapping: TableMapping | None) -> Catalog:
    from tools.catalog import build_catalog

    return build_catalog(db, mapping)
