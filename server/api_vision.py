"""``/api/vision``: inspect an image from the web UI or the REST API with the vision
service (in-process with the configured or shipped model, or a running service by URL),
and synthetic sample images so a fresh install has something to inspect."""

from __future__ import annotations

import base64
import functools
from pathlib import Path
from typing import Any

import cv2
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from server.config import Settings
from tools.errors import InvalidInput
from tools.vision_client import VisionClient

MAX_IMAGE_BYTES = 10 * 1024 * 1024


def router_for(settings: Settings) -> APIRouter:
    """The vision routes, bound to the settings' vision service or model."""
    router = APIRouter(prefix="/api/vision", tags=["vision"])

    @functools.cache
    def client() -> VisionClient:
        return VisionClient(settings.vision_url, model_dir=settings.vision_model,
                            state_dir=settings.home / "vision")

    @router.post("/inspect")
    async def inspect(request: Request, name: str = Query("upload")) -> dict[str, Any]:
        data = await request.body()
        if not data:
            raise InvalidInput("send the image's bytes as the request body (PNG, JPEG or BMP)")
        if len(data) > MAX_IMAGE_BYTES:
            raise InvalidInput(f"the image is {len(data)} bytes; the limit is {MAX_IMAGE_BYTES}")
        result = client().inspect(data, name=name)
        body: dict[str, Any] = result.model_dump(mode="json")
        if result.heatmap and Path(result.heatmap).is_file():
            encoded = base64.b64encode(Path(result.heatmap).read_bytes()).decode("ascii")
            body["heatmap_png"] = f"data:image/png;base64,{encoded}"
        return body

    @router.get("/sample.png")
    def sample(kind: str = Query("scratch"), seed: int = Query(1, ge=0, le=10**6)) -> Response:
        from vision.synth import CLASSES, generate

        if kind not in CLASSES:
            raise InvalidInput(f"unknown sample kind {kind!r}; use one of {', '.join(CLASSES)}")
        ok, png = cv2.imencode(".png", generate(kind, seed).image)
        if not ok:  # pragma: no cover - OpenCV always encodes a uint8 image
            raise InvalidInput("the sample could not be encoded")
        return Response(content=png.tobytes(), media_type="image/png")

    return router
