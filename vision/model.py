"""A verified ONNX model: manifest read, sha256 checked, onnxruntime session opened.

One ``run`` gives, for a batch, the logits and the class activation maps: the CAM head
(1×1 convolution of the last feature maps with the classifier weights) is part of the
exported graph, and the logits are its spatial mean plus a bias.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnxruntime as ort

from vision.errors import ModelRefused
from vision.manifest import Manifest, load_manifest, verify_model


@dataclass(frozen=True)
class RawOutput:
    logits: np.ndarray   # (N, K) float32
    cams: np.ndarray     # (N, K, h, w) float32


class OnnxModel:
    """The model in ``model_dir``, refused unless its file matches its pinned sha256."""

    def __init__(self, model_dir: Path, *, pin: str | None = None, threads: int = 2) -> None:
        self.model_dir = model_dir
        self.manifest: Manifest = load_manifest(model_dir)
        onnx_path = verify_model(model_dir, self.manifest, pin)
        self.sha256 = self.manifest.onnx_sha256
        if hasattr(ort, "disable_telemetry_events"):
            ort.disable_telemetry_events()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        # Idle worker threads would spin after each call and starve the OpenCV work in
        # between (measured: p50 11 ms with spinning, 3 ms without, 200×200 images).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            self.session = ort.InferenceSession(str(onnx_path), sess_options=options,
                                                providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own untyped errors
            raise ModelRefused(f"{onnx_path.name} could not be opened by onnxruntime "
                               f"({type(exc).__name__}).") from None
        outputs = [o.name for o in self.session.get_outputs()]
        if outputs[:2] != ["logits", "cam"]:
            raise ModelRefused(f"{onnx_path.name} gives outputs {outputs}, not "
                               f"['logits', 'cam'].")
        self.input_name = self.session.get_inputs()[0].name

    @property
    def input_size(self) -> tuple[int, int]:
        return self.manifest.input.height, self.manifest.input.width

    def run(self, batch: np.ndarray) -> RawOutput:
        """Logits and CAMs for a float32 (N, 1, H, W) batch."""
        logits, cams = self.session.run(["logits", "cam"], {self.input_name: batch})
        return RawOutput(logits=np.asarray(logits, np.float32), cams=np.asarray(cams, np.float32))


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    z = logits / temperature
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=-1, keepdims=True))
