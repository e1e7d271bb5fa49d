"""Open the inspector for a model folder (default: the shipped demo model, pinned)."""

from __future__ import annotations

from pathlib import Path

from vision.model import OnnxModel
from vision.models import DEMO_DIR, DEMO_ONNX_SHA256
from vision.service import Inspector


def open_inspector(model_dir: Path | None = None, *, state_dir: Path | None = None,
                   pin: str | None = None, threads: int = 2) -> Inspector:
    """A verified model plus where its heat maps (``state_dir/heatmaps``) and drift
    statistics (``state_dir``) go; without ``state_dir`` no overlay is written and drift
    statistics stay in memory. The demo model is always checked against its pin."""
    if model_dir is None or model_dir.resolve() == DEMO_DIR.resolve():
        model_dir, pin = DEMO_DIR, pin or DEMO_ONNX_SHA256
    model = OnnxModel(model_dir, pin=pin, threads=threads)
    return Inspector(model, heatmap_dir=state_dir / "heatmaps" if state_dir else None,
                     drift_dir=state_dir)
