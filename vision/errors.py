"""The vision service's refusals, all ``AndonError``s (exit 2 in the CLI, 4xx/503 over HTTP)."""

from __future__ import annotations

from tools.errors import AndonError


class InvalidImage(AndonError):
    """Bytes that are not a usable image: empty, corrupt, wrong depth, channels or size."""

    code = "invalid_image"
    http_status = 422


class UnsupportedImageFormat(AndonError):
    """An image in a format the service does not read (only PNG, JPEG, BMP and TIFF)."""

    code = "unsupported_image_format"
    http_status = 415


class ImageTooLarge(AndonError):
    """An image file or batch above the service's size limits."""

    code = "image_too_large"
    http_status = 413


class ModelRefused(AndonError):
    """A model that is missing, malformed or whose file does not match its pinned sha256."""

    code = "model_refused"
    http_status = 503


class HeatmapNotFound(AndonError):
    """A heat-map overlay name the service never wrote (or has since removed)."""

    code = "heatmap_not_found"
    http_status = 404


ERRORS_BY_CODE: dict[str, type[AndonError]] = {
    cls.code: cls for cls in (InvalidImage, UnsupportedImageFormat, ImageTooLarge, ModelRefused,
                HeatmapNotFound)
}
