"""Typed shapes of the standards knowledge: clause records, references, hits, arguments."""

from __future__ import annotations

import hashlib
import json

from pydantic import BaseModel, ConfigDict, Field


class ClauseRef(BaseModel):
    """A pointer to one clause: ``ClauseRef(standard="IATF 16949", clause="10.2.3")``."""

    model_config = ConfigDict(frozen=True)

    standard: str = Field(description="Canonical standard name, e.g. 'IATF 16949'.")
    clause: str = Field(description="Clause, section or question number, e.g. '10.2.3', 'P6.4'.")

    @property
    def key(self) -> str:
        return f"{self.standard} {self.clause}"

    def __str__(self) -> str:
        return self.key


class ClauseRecord(BaseModel):
    """One clause as the team wrote it: the number and title are facts, the summaries are
    Andon's own words about what the clause asks (never the standard's text)."""

    model_config = ConfigDict(extra="forbid")

    standard: str
    edition: str
    clause: str
    title: str = Field(description="The clause heading (a fact).")
    title_zh: str = Field(default="", description="Andon's Chinese rendering of the heading.")
    summary_en: str
    summary_zh: str
    keywords_en: list[str] = Field(default_factory=list)
    keywords_zh: list[str] = Field(default_factory=list)
    related: list[str] = Field(default_factory=list, description="'STANDARD CLAUSE' keys.")
    note: str | None = Field(default=None,
                             description="Where the team is unsure (numbering, edition).")

    @property
    def ref(self) -> ClauseRef:
        return ClauseRef(standard=self.standard, clause=self.clause)

    @property
    def key(self) -> str:
        return self.ref.key

    def content_hash(self) -> str:
        """Stable hash of everything the record says (used to re-embed only what changed)."""
        blob = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


class ClauseHit(BaseModel):
    """One search result; the first four fields are the CLI contract's."""

    standard: str
    clause: str
    title: str
    score: float = Field(description="1.0 for an exact clause-number match; otherwise the fused "
                                     "rank score scaled to 0..1.")
    edition: str
    title_zh: str = ""
    summary_en: str = ""
    summary_zh: str = ""
    matched: list[str] = Field(default_factory=list,
                               description="Which signals found it: exact, parent, keyword, "
                                           "vector.")
    note: str | None = None

    @property
    def key(self) -> str:
        return f"{self.standard} {self.clause}"


class SearchResult(BaseModel):
    """``andon standards search --json`` and the REST API: the contract's shape."""

    query: str
    results: list[ClauseHit]


class SearchArgs(BaseModel):
    """Arguments of ``search_standards``."""

    model_config = ConfigDict(extra="forbid")

    query: str = Field(min_length=1, max_length=500,
                       description="A question in English or Chinese, or a clause reference "
                                   "such as 'IATF 16949 10.2.3', 'P6.4' or '21 CFR 11.10(e)'.")
    k: int = Field(default=5, ge=1, le=50, description="How many clauses to return.")
    standards: list[str] | None = Field(
        default=None, description="Only search these standards, e.g. ['IATF 16949', 'VDA 6.3'].")
