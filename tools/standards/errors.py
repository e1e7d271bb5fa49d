"""Refusals specific to the standards knowledge (``AndonError`` subclasses)."""

from __future__ import annotations

from tools.errors import AndonError


class UnknownClause(AndonError):
    """A clause reference that is not in the corpus; ``details['suggestions']`` lists the
    nearest clauses that are."""

    code = "unknown_clause"
    http_status = 404


class AmbiguousClause(AndonError):
    """A bare clause number that exists in several standards; ``details['candidates']``."""

    code = "ambiguous_clause"
    http_status = 409


class UnknownTopic(AndonError):
    """A topic name with no clause mapping; ``details['topics']`` lists the known ones."""

    code = "unknown_topic"
    http_status = 404


class UnknownStandard(AndonError):
    """A standard name that Andon does not carry; ``details['standards']`` lists them."""

    code = "unknown_standard"
    http_status = 400


class StandardsStoreUnavailable(AndonError):
    """The clause store (a Chroma folder or server) cannot be opened or reached."""

    code = "standards_store_unavailable"
    http_status = 503
