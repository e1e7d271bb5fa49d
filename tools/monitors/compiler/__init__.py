"""The monitor compiler: a ``MonitorSpec`` as one sqlglot expression, rendered as SQL in
every supported dialect (docs/monitors.md gives the semantics it implements)."""

from tools.monitors.compiler.compile import CompiledMonitor, compile_monitor
from tools.monitors.compiler.dialects import (
    SERVER_DIALECTS,
    SUPPORTED_DIALECTS,
    TRANSPILE_DIALECTS,
)

__all__ = ["SERVER_DIALECTS", "SUPPORTED_DIALECTS", "TRANSPILE_DIALECTS", "CompiledMonitor",
           "compile_monitor"]
