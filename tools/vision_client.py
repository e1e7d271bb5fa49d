"""What agents call to inspect images: a typed client for the vision service.

With a ``base_url`` it speaks HTTP to ``andon vision serve``; without one it runs the
same inspector in-process on a local model (the shipped demo model by default). Both
return ``InspectionResult`` and raise the service's refusals as ``AndonError``s with the
service's codes, so callers handle one set of errors either way.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
from pydantic import BaseModel, Field

from tools.errors import AndonError
from vision.drift import DriftReport
from vision.images import read_bytes
from vision.results import BatchError, BatchItem, InspectionResult

ImageInput = bytes | Path


class InspectArgs(BaseModel):
    """Arguments of the ``inspect_image`` tool."""

    image: Path = Field(description="Path of the image file to inspect (PNG, JPEG, BMP, TIFF).")
    heatmap: bool = Field(default=True, description="Write the heat-map overlay PNG.")


class ServiceUnavailable(AndonError):
    """The vision service URL cannot be reached or answered with something unreadable."""

    code = "vision_unavailable"
    http_status = 503


def _as_bytes(image: ImageInput) -> tuple[str, bytes]:
    if isinstance(image, Path):
        return image.name, read_bytes(image)
    return "image", image


def _raise_for(body: Any, status: int) -> None:
    from vision.errors import ERRORS_BY_CODE

    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        raise ServiceUnavailable(f"the vision service answered {status} without an error "
                                 f"body.")
    cls = ERRORS_BY_CODE.get(error.get("code", ""), AndonError)
    exc = cls(str(error.get("message", "refused")), **error.get("details", {}))
    if cls is AndonError:
        exc.code, exc.http_status = str(error.get("code", "andon_error")), status
    raise exc


class VisionClient:
    """Inspect images over HTTP (``base_url``) or in-process (``model_dir``, default the
    demo model). ``http`` lets a caller pass its own ``httpx.Client`` (tests pass a
    TestClient)."""

    def __init__(self, base_url: str | None = None, *, model_dir: Path | None = None,
                 state_dir: Path | None = None, timeout: float = 30.0,
                 http: Any = None, threads: int = 2) -> None:
        self.base_url = base_url.rstrip("/") if base_url else None
        self._http: Any = http   # an httpx.Client, or any client with its request()
        self._timeout = timeout
        self._inspector: Any = None
        if self.base_url is None and http is None:
            from vision.loader import open_inspector

            self._inspector = open_inspector(model_dir, state_dir=state_dir, threads=threads)

    # --- transport ----------------------------------------------------------------------
    def _client(self) -> Any:
        if self._http is None:
            self._http = httpx.Client(base_url=self.base_url or "", timeout=self._timeout)
        return self._http

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = self._client().request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(f"the vision service at {self.base_url} cannot be "
                                     f"reached ({type(exc).__name__}).") from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code >= 400:
            _raise_for(body, response.status_code)
        return body

    # --- the tool surface ---------------------------------------------------------------
    def inspect(self, image: ImageInput, *, name: str | None = None,
                heatmap: bool = True) -> InspectionResult:
        """One verdict with its heat map, region and root-cause path."""
        default_name, data = _as_bytes(image)
        name = name or default_name
        if self._inspector is not None:
            result: InspectionResult = self._inspector.inspect_bytes(data, name=name,
                                                                     heatmap=heatmap)
            return result
        body = self._call("POST", "/v1/inspect", content=data,
                          params={"name": name, "heatmap": str(heatmap).lower()},
                          headers={"content-type": "application/octet-stream"})
        return InspectionResult.model_validate(body)

    def inspect_batch(self, images: Sequence[ImageInput], *, heatmap: bool = True
                      ) -> list[BatchItem]:
        """Verdicts for several images in one model call; refused images are
        ``BatchError`` entries in their place."""
        pairs = [_as_bytes(image) for image in images]
        if self._inspector is not None:
            items: list[BatchItem] = self._inspector.inspect_batch(pairs, heatmap=heatmap)
            return items
        payload = {"heatmap": heatmap, "images": [
            {"name": name, "data": base64.b64encode(data).decode("ascii")}
            for name, data in pairs]}
        body = self._call("POST", "/v1/inspect/batch", json=payload)
        return [InspectionResult.model_validate(r) if "verdict" in r
                else BatchError.model_validate(r) for r in body["results"]]

    def inspect_tool(self, args: InspectArgs) -> InspectionResult:
        """The agent-facing tool: pydantic arguments in, a typed result out."""
        return self.inspect(args.image, heatmap=args.heatmap)

    def drift(self, day: str | None = None) -> DriftReport:
        """How a day's inputs and scores compare with the training distribution."""
        if self._inspector is not None:
            report: DriftReport = self._inspector.drift_report(day)
            return report
        params = {"day": day} if day else {}
        return DriftReport.model_validate(self._call("GET", "/v1/drift", params=params))

    def health(self) -> dict[str, Any]:
        if self._inspector is not None:
            return {"status": "ok", "model": self._inspector.model_ref.model_dump()}
        body: dict[str, Any] = self._call("GET", "/v1/health")
        return body

    def close(self) -> None:
        if self._inspector is not None:
            self._inspector.close()
        if self._http is not None and self.base_url is not None:
            self._http.close()

    def __enter__(self) -> VisionClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
