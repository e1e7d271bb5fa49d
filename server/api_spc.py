"""SPC over the REST API: control charts (JSON, SVG, PNG) and process capability.

``POST /api/spc/chart`` returns the same JSON as ``andon spc chart --json``;
``/api/spc/chart.svg`` and ``/api/spc/chart.png`` the drawn chart; ``/api/spc/capability``
the same JSON as ``andon spc capability --json``. Refusals are ``AndonError``s, turned into
4xx ``{"error": {...}}`` bodies by the application's handler (server/api.py).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field

from server.spc_io import ATTRIBUTE_KINDS, capability_json, chart_json
from tools.errors import InvalidInput
from tools.spc import ChartResult, capability, control_chart, normalize_kind

Label = str | int | float


class RefusingRoute(APIRoute):
    """A malformed body is refused like any other input: ``{"error": {"code":
    "invalid_input", "message": one sentence}}`` (400), not FastAPI's ``detail`` list."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def refusing(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                error = InvalidInput(f"invalid request body: {_first_problem(exc.errors())}")
                return JSONResponse(status_code=error.http_status, content=error.to_dict())

        return refusing


def _first_problem(errors: Any) -> str:
    if not errors:
        return "it could not be read"
    first = errors[0]
    if first.get("type") == "json_invalid":
        return "it is not valid JSON"
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
    message = str(first.get("msg", "invalid")).rstrip(".")
    if not message[1:2].isupper():
        message = message[:1].lower() + message[1:]
    return f"{where}: {message}" if where else message


router = APIRouter(prefix="/api/spc", tags=["spc"], route_class=RefusingRoute)


class ChartBody(BaseModel):
    """One chart: ``values`` (individuals, counts, or measurements with ``labels`` naming
    each one's subgroup) or ``subgroups`` (one list of measurements per subgroup)."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(description="xbar-r, xbar-s, imr, p, np, c, u, ewma, cusum or t2.")
    values: list[Any] | None = Field(None, description="Numbers in time order (T²: rows of "
                                                       "two or more variables).")
    subgroups: list[Any] | None = Field(None, description="One list per subgroup.")
    labels: list[Label] | None = Field(
        None, description="With values: the subgroup of each value (variables charts) or "
                          "the name of each subgroup (attributes charts).")
    sizes: float | list[Any] | None = Field(
        None, description="Units inspected per subgroup (p, np, u; c optional).")
    baseline: int | None = Field(None, ge=1, description="Phase-I subgroups (default all).")
    exclude: list[int] = Field(default_factory=list,
                               description="Phase-I subgroups left out of the limits.")
    rules: str | list[str] = Field("we", description="we, nelson, none or rule ids.")
    title: str | None = Field(None, max_length=200, description="Image title.")


class CapabilityBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    values: list[Any] | None = None
    subgroups: list[Any] | None = None
    labels: list[Label] | None = None
    lsl: float | None = None
    usl: float | None = None
    target: float | None = None
    confidence_level: float = Field(0.95, gt=0, lt=1)


def _chart(body: ChartBody) -> tuple[ChartResult, list[str] | None]:
    kind = normalize_kind(body.kind)
    if body.values is None and body.subgroups is None:
        raise InvalidInput("give the data: values (a list of numbers) or subgroups (a list "
                           "of lists)")
    labels: list[Label] | None = body.labels
    names: list[str] | None = None
    if labels is not None:
        names = [str(v) for v in dict.fromkeys(labels)]
        if kind in ATTRIBUTE_KINDS:  # one count per subgroup: labels only name them
            if body.values is not None and len(labels) != len(body.values):
                raise InvalidInput(f"{len(labels)} labels for {len(body.values)} counts")
            names, labels = [str(v) for v in labels], None
    result = control_chart(kind, body.values, subgroups=body.subgroups, labels=labels,
                           sizes=body.sizes, baseline=body.baseline, exclude=body.exclude,
                           rules=body.rules)
    return result, names


@router.post("/chart")
def spc_chart(body: ChartBody) -> dict[str, Any]:
    """Limits, zones and run-rule violations: the ``andon spc chart --json`` shape."""
    result, names = _chart(body)
    return chart_json(result, names)


def _image(body: ChartBody, fmt: str, media_type: str) -> Response:
    from tools.spc.plot import render_chart

    result, _ = _chart(body)
    return Response(render_chart(result, fmt=fmt, title=body.title), media_type=media_type)


@router.post("/chart.svg", response_class=Response,
             responses={200: {"content": {"image/svg+xml": {}}}})
def spc_chart_svg(body: ChartBody) -> Response:
    """The chart drawn as SVG (flagged points carry the id ``spc-flagged-<chart>``)."""
    return _image(body, "svg", "image/svg+xml")


@router.post("/chart.png", response_class=Response,
             responses={200: {"content": {"image/png": {}}}})
def spc_chart_png(body: ChartBody) -> Response:
    """The chart drawn as PNG."""
    return _image(body, "png", "image/png")


@router.post("/capability")
def spc_capability(body: CapabilityBody) -> dict[str, Any]:
    """Cp, Cpk, Pp, Ppk, Cpm with confidence intervals and a normality check."""
    result = capability(body.values, subgroups=body.subgroups, labels=body.labels,
                        lsl=body.lsl, usl=body.usl, target=body.target,
                        confidence_level=body.confidence_level)
    return capability_json(result)
