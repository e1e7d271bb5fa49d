"""What the evaluation measures, reached lazily: the reader backends that turn a request into
a monitor, and the compiled backtest. Both are imported on first use, so the suite still
runs (and says what is missing) while either is absent."""

from __future__ import annotations

import importlib
import inspect
import time
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from tools.catalog import Catalog
from tools.database import Database
from tools.errors import AndonError
from tools.monitors.alerts import Alert
from tools.monitors.spec import MonitorSpec, parse_spec

ReaderFn = Callable[[str, Catalog], Any]


class BackendUnavailable(Exception):
    """A reader backend or the compiler cannot be imported (yet)."""


def _deterministic() -> ReaderFn:
    module = importlib.import_module("tools.monitors.reader")
    reader = getattr(module, "read_monitor", None)
    if reader is None:
        raise BackendUnavailable("tools.monitors.reader has no read_monitor yet")
    return reader


READER_BACKENDS: dict[str, Callable[[], ReaderFn]] = {"deterministic": _deterministic}


def reader_backend(name: str) -> ReaderFn:
    """The ``read_monitor(text, catalog)`` function of a reader backend."""
    if name not in READER_BACKENDS:
        raise BackendUnavailable(f"unknown reader backend {name!r}; known: "
                                 f"{', '.join(sorted(READER_BACKENDS))}")
    try:
        return READER_BACKENDS[name]()
    except ImportError as exc:
        raise BackendUnavailable(f"reader backend {name!r} cannot be imported: {exc}") from exc


class ReadOutcome(BaseModel):
    """What a reader made of one request: a spec, a refusal, or a crash."""

    spec: MonitorSpec | None = None
    understood: str | None = None
    refusal_code: str | None = None
    refusal_message: str | None = None
    error: str | None = None
    latency_ms: float = 0.0


def read_request(reader: ReaderFn, text: str, catalog: Catalog) -> ReadOutcome:
    """Run a reader on one request and time it; refusals (``AndonError``) and crashes are
    recorded, never raised. A spec is re-validated with ``parse_spec``."""
    started = time.perf_counter()
    try:
        result = reader(text, catalog)
    except AndonError as exc:
        return ReadOutcome(refusal_code=exc.code, refusal_message=exc.message,
                           latency_ms=_ms(started))
    except Exception as exc:  # a crash is a result to report, not a reason to stop
        return ReadOutcome(error=f"{type(exc).__name__}: {exc}", latency_ms=_ms(started))
    latency = _ms(started)
    raw_spec = getattr(result, "spec", result)
    try:
        spec = raw_spec if isinstance(raw_spec, MonitorSpec) else parse_spec(raw_spec)
    except AndonError as exc:
        return ReadOutcome(error=f"the reader returned an invalid spec: {exc.message}",
                           latency_ms=latency)
    return ReadOutcome(spec=spec, understood=getattr(result, "understood", None),
                       latency_ms=latency)


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0


def compiled_backtest() -> Callable[..., Any]:
    """``tools.monitors.backtest.backtest`` (the compiled SQL path)."""
    try:
        module = importlib.import_module("tools.monitors.backtest")
    except ImportError as exc:
        raise BackendUnavailable(f"tools.monitors.backtest cannot be imported: {exc}") from exc
    backtest = getattr(module, "backtest", None)
    if backtest is None:
        raise BackendUnavailable("tools.monitors.backtest has no backtest function yet")
    return backtest


def _wants_url(backtest: Callable[..., Any]) -> bool:
    try:
        parameter = inspect.signature(backtest).parameters.get("db")
    except (TypeError, ValueError):
        return False
    if parameter is None:
        return False
    annotation = str(parameter.annotation)
    return "str" in annotation and "Database" not in annotation


def compiled_alerts(spec: MonitorSpec, db: Database) -> list[Alert]:
    """The alerts of the compiled monitor on an open database."""
    backtest = compiled_backtest()
    result = backtest(spec, db=db.url if _wants_url(backtest) else db)
    raw = getattr(result, "alerts", result)
    return [a if isinstance(a, Alert) else Alert.model_validate(a) for a in raw]
