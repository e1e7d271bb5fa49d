"""Which clauses other parts of Andon cite: a monitor cites the SPC clauses, an RCA the
problem-solving and corrective-action clauses, a supplier monitor the supplier-monitoring
clauses. The mapping is data (``data/topics.yaml``), checked against the corpus."""

from __future__ import annotations

import functools
from typing import Any

import yaml

from tools.standards.corpus import Corpus, data_dir, default_corpus
from tools.standards.errors import UnknownTopic
from tools.standards.models import ClauseRef


@functools.cache
def _topics() -> dict[str, dict[str, Any]]:
    raw = yaml.safe_load((data_dir() / "topics.yaml").read_text(encoding="utf-8"))
    return dict(raw["topics"])


def topics() -> dict[str, str]:
    """Topic name -> what it is for."""
    return {name: str(body.get("description", "")) for name, body in _topics().items()}


def clauses_for_topic(topic: str, *, corpus: Corpus | None = None) -> list[ClauseRef]:
    """The clauses to cite for ``topic`` (``spc_monitor``, ``rca``, ``supplier_monitor``,
    ``measurement``, ``audit_trail``, ``vision_inspection``, ``nonconforming``,
    ``change_control``), most specific first. Every reference is checked to exist."""
    body = _topics().get(topic.strip())
    if body is None:
        known = sorted(_topics())
        raise UnknownTopic(f"no clause mapping for topic '{topic}'; known topics: "
                           f"{', '.join(known)}.", topics=known)
    return (corpus or default_corpus()).refs(body["clauses"])
