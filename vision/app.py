"""The vision service's own FastAPI app (``andon vision serve``).

    GET  /v1/health                 model name, sha256, status
    GET  /v1/model                  the manifest (classes, codes, thresholds, input size)
    POST /v1/inspect                one image: the raw file as the body (?name=&heatmap=)
    POST /v1/inspect/batch          {"images": [{"name": ..., "data": base64}], "heatmap": b}
    GET  /v1/heatmaps/{file}        a heat-map overlay PNG written by an inspection
    GET  /v1/drift[?day=YYYY-MM-DD] inputs and scores of a day against the training data

Refusals are ``{"error": {"code", "message"}}`` with a 4xx status (503 for a refused model).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from tools.errors import AndonError, InvalidInput
from vision.errors import HeatmapNotFound, ImageTooLarge
from vision.images import file_size
from vision.service import MAX_BATCH, Inspector


class BatchImage(BaseModel):
    name: str = Field(default="image", max_length=200)
    data: str = Field(description="The image file, base64-encoded.")


class BatchRequest(BaseModel):
    images: list[BatchImage] = Field(min_length=1)
    heatmap: bool = True


def _decode_b64(item: BatchImage) -> bytes:
    try:
        return base64.b64decode(item.data, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(f"{item.name}: data is not valid base64.") from None


def create_app(inspector: Inspector) -> FastAPI:
    """The service around one verified model."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        inspector.close()

    app = FastAPI(title="Andon vision", version="0.1.0", lifespan=lifespan,
                  description="Surface-defect verdicts with heat maps, regions and "
                              "root-cause paths.")
    max_body = inspector.limits.max_bytes

    @app.exception_handler(AndonError)
    async def refused(_: Request, exc: AndonError) -> JSONResponse:
        return JSONResponse(status_code=exc.http_status, content=exc.to_dict())

    @app.exception_handler(RequestValidationError)
    async def malformed(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        error = InvalidInput(f"invalid request: {where or 'body'}: "
                             f"{str(first.get('msg', 'could not be read')).rstrip('.')}.")
        return JSONResponse(status_code=error.http_status, content=error.to_dict())

    @app.get("/v1/health")
    def health() -> dict[str, Any]:
        return {"status": "ok", "model": inspector.model_ref.model_dump()}

    @app.get("/v1/model")
    def model() -> dict[str, Any]:
        return inspector.manifest.model_dump(mode="json", exclude={"reference"})

    @app.post("/v1/inspect")
    async def inspect(request: Request, name: str = Query("image", max_length=200),
                      heatmap: bool = True) -> dict[str, Any]:
        declared = int(request.headers.get("content-length") or 0)
        if declared > max_body:
            raise ImageTooLarge(f"{name} is {file_size(declared)}, above the "
                                f"{file_size(max_body)} limit.")
        data = await request.body()
        result = await run_in_threadpool(inspector.inspect_bytes, data, name=name,
                                         heatmap=heatmap)
        body = result.model_dump(mode="json")
        body["heatmap_url"] = _heatmap_url(result.heatmap)
        return body

    @app.post("/v1/inspect/batch")
    def inspect_batch(body: BatchRequest) -> dict[str, Any]:
        if len(body.images) > MAX_BATCH:
            raise ImageTooLarge(f"a batch holds at most {MAX_BATCH} images, not "
                                f"{len(body.images)}.")
        items = [(item.name, _decode_b64(item)) for item in body.images]
        results = []
        for item in inspector.inspect_batch(items, heatmap=body.heatmap):
            entry = item.model_dump(mode="json")
            if "verdict" in entry:
                entry["heatmap_url"] = _heatmap_url(entry["heatmap"])
            results.append(entry)
        return {"results": results}

    @app.get("/v1/heatmaps/{file}")
    def heatmap(file: str) -> FileResponse:
        if inspector.heatmap_dir is None or not re.fullmatch(r"[A-Za-z0-9_.-]+\.png", file):
            raise InvalidInput(f"{file} is not a heat-map file name.")
        path = inspector.heatmap_dir / file
        if not path.is_file():
            raise HeatmapNotFound(f"no heat map named {file}.")
        return FileResponse(path, media_type="image/png")

    @app.get("/v1/drift")
    def drift(day: str | None = Query(None, pattern=r"^\d{4}-\d{2}-\d{2}$")
              ) -> dict[str, Any]:
        return inspector.drift_report(day).model_dump(mode="json")

    return app


def _heatmap_url(path: str | None) -> str | None:
    if path is None:
        return None
    return "/v1/heatmaps/" + path.rsplit("/", 1)[-1]
