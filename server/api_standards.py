"""Standards over the REST API, the same shapes as ``andon standards ... --json``.

``GET /api/standards/search?q=...&k=5&standard=IATF%2016949`` and ``POST /api/standards/search``
(``{"query", "k", "standards"}``) search; ``GET /api/standards/{clause}`` shows one clause
(``/api/standards/IATF%2016949%2010.2.3``); ``GET /api/standards/topics/{topic}`` lists the
clauses another part of Andon cites for a topic. Refusals are 4xx ``{"error": {...}}``.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Query

from server.api_spc import RefusingRoute
from server.config import Settings
from tools.standards.models import SearchArgs

if TYPE_CHECKING:
    from tools.standards import StandardsIndex


def router_for(settings: Settings, chroma_url: str | None = None) -> APIRouter:
    """Routes over the clause store of ``settings`` (``$ANDON_HOME/standards``) or the Chroma
    server at ``chroma_url``; the store is opened and synced on first use."""
    router = APIRouter(prefix="/api/standards", tags=["standards"], route_class=RefusingRoute)
    lock = threading.Lock()
    opened: list[StandardsIndex] = []

    def index() -> StandardsIndex:
        with lock:
            if not opened:
                from tools.standards import StandardsIndex

                path = None if chroma_url else settings.home / "standards"
                opened.append(StandardsIndex.open(path=path, url=chroma_url)[0])
            return opened[0]

    def run(args: SearchArgs) -> dict[str, Any]:
        from tools.standards import SearchResult, search_standards

        hits = search_standards(args, index=index())
        return SearchResult(query=args.query, results=hits).model_dump(mode="json")

    @router.get("/search")
    def search_get(q: Annotated[str, Query(min_length=1, max_length=500)],
                   k: Annotated[int, Query(ge=1, le=50)] = 5,
                   standard: Annotated[list[str] | None, Query()] = None) -> dict[str, Any]:
        return run(SearchArgs(query=q, k=k, standards=standard or None))

    @router.post("/search")
    def search_post(body: SearchArgs) -> dict[str, Any]:
        return run(body)

    @router.get("/topics/{topic}")
    def topic(topic: str) -> dict[str, Any]:
        from tools.standards import clauses_for_topic, default_corpus

        corpus = default_corpus()
        refs = clauses_for_topic(topic, corpus=corpus)
        return {"topic": topic, "clauses": [
            {"standard": r.standard, "clause": r.clause,
             "title": record.title if (record := corpus.get(r.standard, r.clause)) else ""}
            for r in refs]}

    @router.get("/{clause:path}")
    def show(clause: str) -> dict[str, Any]:
        from tools.standards import show_clause

        return show_clause(clause).model_dump(mode="json")

    return router
