"""The one error root of Andon and its structured subclasses.

Every refusal a person can cause (bad input, unknown names, unreachable database) is an
`AndonError` subclass with a stable ``code``; interfaces map them once: exit status 2 in
the CLI and a 4xx status on the REST API. Anything else is an internal fault (exit 1, 500).
"""

from __future__ import annotations

from typing import Any


class AndonError(Exception):
    """Base of every error Andon reports to a person as a refusal of their input."""

    code: str = "andon_error"
    http_status: int = 400

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        """The ``{"error": {...}}`` body shared by the CLI's ``--json`` and the REST API."""
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            body["details"] = self.details
        return {"error": body}


class SqlRejected(AndonError):
    """A query the SQL guard refused (writes, denied functions, unknown tables...)."""

    code = "sql_rejected"
    http_status = 422


class SqlExecutionError(AndonError):
    """A guarded query that the database itself refused or that timed out."""

    code = "sql_failed"
    http_status = 422


class DatabaseUnavailable(AndonError):
    """The database URL is malformed, unsupported or the server cannot be reached."""

    code = "database_unavailable"
    http_status = 503


class UnknownCharacteristic(AndonError):
    """A characteristic named in a request does not exist in the catalog."""

    code = "unknown_characteristic"
    http_status = 404


class UnknownPart(AndonError):
    """A part, family or process named in a request does not exist in the catalog."""

    code = "unknown_part"
    http_status = 404


class AmbiguousRequest(AndonError):
    """A request with several competing readings; ``details['readings']`` lists them."""

    code = "ambiguous_request"
    http_status = 409


class NotAMonitorRequest(AndonError):
    """Text that does not describe a monitoring rule."""

    code = "not_a_monitor"
    http_status = 422


class InvalidInput(AndonError):
    """Any other malformed input: bad option values, unreadable files, bad mappings."""

    code = "invalid_input"
    http_status = 400


class UnitMismatch(AndonError):
    """A quantity whose unit cannot be converted to the measure's unit."""

    code = "unit_mismatch"
    http_status = 422


class InsufficientData(AndonError):
    """Data that cannot support the statistic asked for: too few points, no spread, a
    one-sided specification for a two-sided capability index (``details`` names it)."""

    code = "insufficient_data"
    http_status = 422
