"""The REST API and web UI. Responses use the same shapes as the CLI's ``--json``."""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field

from server.api_rca import router_for as rca_router
from server.api_spc import router as spc_router
from server.api_standards import router_for as standards_router
from server.api_vision import router_for as vision_router
from server.config import Settings
from server.context import (
    history_policy,
    load_catalog,
    load_mapping,
    open_database,
    sql_policy,
)
from tools.catalog import Catalog
from tools.database import redact_url
from tools.errors import AndonError


class SqlRequest(BaseModel):
    query: str = Field(description="One SELECT over the reference schema.")
    role: str = "engineer"
    max_rows: int | None = Field(default=None, ge=1)


class MonitorRequest(BaseModel):
    request: str = Field(min_length=1, max_length=2000,
                         description="A monitoring request in English or Chinese.")


def create_app(settings: Settings) -> FastAPI:
    """The FastAPI application for one plant database."""
    app = FastAPI(title="Andon", version="0.1.0",
                  description="Quality assistant for manufacturing: plant data, monitors, SPC.")
    mapping = load_mapping(settings)

    @functools.cache
    def catalog_model() -> Catalog:
        with open_database(settings, quiet=True) as db:
            return load_catalog(db, mapping)

    def catalog_json() -> dict[str, Any]:
        return catalog_model().model_dump(mode="json")

    @app.exception_handler(AndonError)
    async def andon_error(_: Request, exc: AndonError) -> JSONResponse:
        return JSONResponse(status_code=exc.http_status, content=exc.to_dict())

    app.include_router(spc_router)
    app.include_router(rca_router(settings))
    app.include_router(standards_router(settings))
    app.include_router(vision_router(settings))

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

    @app.post("/api/monitors/backtest")
    def monitor_backtest(body: MonitorRequest) -> dict[str, Any]:
        from tools.monitors.backtest import backtest
        from tools.monitors.reader import read_monitor

        with open_database(settings, quiet=True) as db:
            reading = read_monitor(body.request, catalog_model())
            result = backtest(reading.spec, db=db, policy=history_policy(settings, mapping),
                              request=body.request, understood=reading.understood)
        return result.model_dump(mode="json")

    @app.post("/api/monitors/explain")
    def monitor_explain(body: MonitorRequest) -> dict[str, Any]:
        from tools.monitors.compiler import compile_monitor
        from tools.monitors.reader import read_monitor

        catalog = catalog_model()
        reading = read_monitor(body.request, catalog)
        compiled = compile_monitor(reading.spec, dialect=catalog.dialect)
        return {"request": body.request, "understood": reading.understood,
                "spec": reading.spec.model_dump(mode="json"), "dialect": catalog.dialect,
                "sql": compiled.sql}

    return app
