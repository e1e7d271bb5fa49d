"""Image bytes in, a validated 8-bit image out: format, size and channels checked first.

Every refusal is one sentence naming the image and what to send instead. Accepted: PNG,
JPEG, BMP and TIFF files of 8 or 16 bits per channel with 1 (grayscale) or 3 (colour)
channels, each side between ``min_side`` and ``max_side`` pixels.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from pydantic import BaseModel, Field

from vision.errors import ImageTooLarge, InvalidImage, UnsupportedImageFormat

MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"BM", "bmp"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)
OTHER_FORMATS: tuple[tuple[bytes, str], ...] = (
    (b"GIF8", "GIF"), (b"RIFF", "WebP/RIFF"), (b"%PDF", "PDF"),
    (b"\x00\x00\x00\x0cjP", "JPEG 2000"),
)
ACCEPTED = "PNG, JPEG, BMP or TIFF"


class ImageLimits(BaseModel):
    """What the service accepts."""

    max_bytes: int = Field(default=20 * 1024 * 1024, description="Largest file accepted.")
    min_side: int = Field(default=32, description="Smallest width or height, in pixels.")
    max_side: int = Field(default=4096, description="Largest width or height, in pixels.")
    max_aspect: float = Field(default=4.0, description="Longest side over shortest side.")


@dataclass(frozen=True)
class DecodedImage:
    """A validated image as 8-bit grayscale plus what it was."""

    gray: np.ndarray        # (H, W) uint8
    format: str
    width: int
    height: int
    channels: int
    name: str


def file_size(n: int) -> str:
    """A byte count for people: 512 bytes, 3.4 KiB, 20.0 MiB."""
    if n < 1024:
        return f"{n} bytes"
    if n < 2**20:
        return f"{n / 1024:.1f} KiB"
    return f"{n / 2**20:.1f} MiB"


def sniff_format(data: bytes) -> str | None:
    """The container format named by the file's first bytes (None if not one we read)."""
    for magic, name in MAGIC:
        if data.startswith(magic):
            return name
    return None


def _other_format(data: bytes) -> str:
    for magic, name in OTHER_FORMATS:
        if data.startswith(magic):
            return f"a {name} file"
    if data[:64].lstrip().startswith((b"{", b"[", b"<")) or data[:64].isascii():
        return "text, not an image"
    return "not in a format we read"


def decode_image(data: bytes, name: str = "image", limits: ImageLimits | None = None
                 ) -> DecodedImage:
    """Check and decode one image file's bytes; refusals raise vision.errors classes."""
    limits = limits or ImageLimits()
    if not data:
        raise InvalidImage(f"{name} is empty (0 bytes): send a {ACCEPTED} file.")
    if len(data) > limits.max_bytes:
        raise ImageTooLarge(f"{name} is {file_size(len(data))}, above the "
                            f"{file_size(limits.max_bytes)} limit.",
                            bytes=len(data), max_bytes=limits.max_bytes)
    fmt = sniff_format(data)
    if fmt is None:
        raise UnsupportedImageFormat(f"{name} is {_other_format(data)}: send a {ACCEPTED} "
                                     f"file.")
    raw = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    if raw is None or raw.size == 0:
        raise InvalidImage(f"{name} looks like {fmt.upper()} but could not be decoded "
                           f"(corrupt or truncated file).")
    return validate_array(raw, name=name, fmt=fmt, limits=limits)


def validate_array(raw: np.ndarray, *, name: str = "image", fmt: str = "array",
                   limits: ImageLimits | None = None) -> DecodedImage:
    """Check a decoded array (H×W, H×W×1 or H×W×3, BGR) and turn it into 8-bit grayscale."""
    limits = limits or ImageLimits()
    channels = 1 if raw.ndim == 2 else int(raw.shape[2]) if raw.ndim == 3 else -1
    if channels not in (1, 3):
        what = {2: "2 channels (grayscale with alpha)", 4: "4 channels (colour with alpha)"}
        raise InvalidImage(f"{name} has {what.get(channels, f'{raw.ndim} dimensions')}: "
                           f"send grayscale or RGB without transparency.")
    if raw.dtype == np.uint16:
        raw = (raw >> 8).astype(np.uint8)
    elif raw.dtype != np.uint8:
        raise InvalidImage(f"{name} has {raw.dtype} pixels: send 8- or 16-bit integer "
                           f"pixels.")
    height, width = int(raw.shape[0]), int(raw.shape[1])
    short, long = min(height, width), max(height, width)
    if short < limits.min_side:
        raise InvalidImage(f"{name} is {width}×{height} pixels, below the "
                           f"{limits.min_side}-pixel minimum side.")
    if long > limits.max_side:
        raise ImageTooLarge(f"{name} is {width}×{height} pixels, above the "
                            f"{limits.max_side}-pixel maximum side.")
    if long / short > limits.max_aspect:
        raise InvalidImage(f"{name} is {width}×{height} pixels, more elongated than "
                           f"{limits.max_aspect:g}:1: crop it to the inspected area.")
    gray = cv2.cvtColor(raw, cv2.COLOR_BGR2GRAY) if channels == 3 else raw.reshape(height, width)
    return DecodedImage(gray=np.ascontiguousarray(gray), format=fmt, width=width,
                        height=height, channels=channels, name=name)


def read_bytes(path: Path) -> bytes:
    """An image file's bytes; a missing or unreadable file is an ``InvalidImage``."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InvalidImage(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise InvalidImage(f"{path} is a folder, not an image file.") from None
    except OSError as exc:
        raise InvalidImage(f"{path} could not be read ({exc.strerror}).") from None


def read_image_file(path: Path, limits: ImageLimits | None = None) -> DecodedImage:
    """Read and validate an image file."""
    return decode_image(read_bytes(path), name=path.name, limits=limits)
