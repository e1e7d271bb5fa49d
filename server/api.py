"""The REST API and web UI. Responses use the same shapes as the CLI's ``--json``."""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field

from server.config import Settings
from server.context import load_catalog, load_mapping, open_database, sql_policy
from tools.database import redact_url
from tools.errors import AndonError


class SqlRequest(BaseModel):
    query: str = Field(description="One SELECT over the reference schema.")
    role: str = "engineer"
    max_rows: int | None = Field(default=None, ge=1)


def create_app(settings: Settings) -> FastAPI:
    """The FastAPI application for one plant database."""
    app = FastAPI(title="Andon", version="0.1.0",
                  description="Quality assistant for manufacturing: plant data, monitors, SPC.")
    mapping = load_mapping(settings)

    @functools.cache
    def catalog_json() -> dict[str, Any]:
        with open_database(settings, quiet=True) as db:
            return load_catalog(db, mapping).model_dump(mode="json")

    @app.exception_handler(AndonError)
    async def andon_error(_: Request, exc: AndonError) -> JSONResponse:
        return JSONResponse(status_code=exc.http_status, content=exc.to_dict())

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> str:
        return resources.files("server").joinpath("web/index.html").read_text(encoding="utf-8")

    @app.get("/api/health")
    def health() -> dict[str, Any]:
        return {"status": "ok", "db": redact_url(settings.effective_db_url)}

    @app.get("/api/catalog")
    def catalog() -> dict[str, Any]:
        return catalog_json()

    @app.post("/api/sql")
    def sql(body: SqlRequest) -> dict[str, Any]:
        from tools.run_sql import RunSqlArgs, run_sql

        role_settings = settings.model_copy(update={"role": body.role})
        with open_database(settings, quiet=True) as db:
            result = run_sql(RunSqlArgs(query=body.query, role=body.role,
                                        max_rows=body.max_rows),
                             db=db, policy=sql_policy(role_settings, mapping))
        return result.model_dump(mode="json")

    return app
