"""What the request as a whole says about its subject: incoming lots or production batches,
complaints, a comparison with earlier lots. Used to settle words with two readings
(合格率: yield of batches or pass rate of lots; "hardness": of the part or of the
incoming bar stock)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from tools.monitors.reader.tokens import Token
from tools.monitors.reader.vocabulary import load_vocabulary

BATCH_SCOPE_KINDS = frozenset({"part", "family", "process", "line", "machine", "tool", "shift"})


class RequestContext(BaseModel):
    """Clues found anywhere in the request."""

    model_config = ConfigDict(frozen=True)

    incoming: bool = False
    lot: bool = False
    supplier: bool = False
    batch_scope: bool = False
    batch_word: bool = False  # "batches", "production", "生产"...
    complaint: bool = False
    relative: bool = False
    weekly: bool = False
    daily: bool = False
    defect_word: bool = False

    @property
    def lots_meant(self) -> bool:
        """Incoming lots rather than production batches, as far as the words tell."""
        return self.incoming or self.relative or (
            (self.lot or self.supplier) and not self.batch_scope)


def read_context(text: str, tokens: list[Token], *, relative: bool) -> RequestContext:
    cues = load_vocabulary().cues

    def said(name: str) -> bool:
        return cues[name].search(text) is not None

    kinds = {term.kind for token in tokens for term in token.terms}
    entities = {c for token in tokens for c in token.concepts("entity")}
    scoped = any(term.kind in BATCH_SCOPE_KINDS for token in tokens for term in token.terms)
    return RequestContext(
        incoming=said("incoming"),
        lot=said("lot") or "lot" in entities,
        supplier="supplier" in kinds or "supplier" in entities,
        batch_scope=scoped,
        batch_word=said("batch"),
        complaint=said("complaint") or "complaint" in entities,
        relative=relative,
        weekly=said("weekly"),
        daily=said("daily"),
        defect_word="defect" in entities,
    )
