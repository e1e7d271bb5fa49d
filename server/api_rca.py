"""Root-cause analysis over the REST API: ``POST /api/rca {"question": ...}`` returns the
``andon rca --json`` shape; refusals are 4xx ``{"error": {...}}`` bodies."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from server.api_spc import RefusingRoute
from server.config import Settings
from server.context import (
    history_policy,
    load_catalog,
    load_mapping,
    open_database,
)

if TYPE_CHECKING:
    from tools.catalog import Catalog


class RcaBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=2000,
                          description="The question in English or Chinese.")


def router_for(settings: Settings) -> APIRouter:
    """``POST /api/rca`` over the plant database of ``settings`` (catalog read once)."""
    router = APIRouter(prefix="/api", tags=["rca"], route_class=RefusingRoute)
    mapping = load_mapping(settings)
    policy = history_policy(settings, mapping)
    lock = threading.Lock()
    cached: list[Catalog] = []

    @router.post("/rca")
    def rca(body: RcaBody) -> dict[str, Any]:
        """Why a quality measure changed: problem, ranked causes with evidence, narrative,
        actions and clauses."""
        from tools.rca import investigate

        with open_database(settings, quiet=True) as db:
            with lock:
                if not cached:
                    cached.append(load_catalog(db, mapping))
            result = investigate(body.question, db=db, catalog=cached[0], policy=policy)
        return result.contract()

    return router
