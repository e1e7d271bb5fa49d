"""Export the trained network to ONNX (outputs ``logits`` and ``cam``, dynamic batch) and
check that onnxruntime reproduces PyTorch on a batch of real inputs."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch

from vision.train.net import SurfaceNet

OPSET = 17


def export_onnx(net: SurfaceNet, path: Path, height: int, width: int,
                check: np.ndarray | None = None) -> Path:
    """Write ``path``; with ``check`` (float32 (N, 1, H, W)), fail unless onnxruntime's
    logits and CAMs match PyTorch's within 1e-3."""
    net = net.eval()
    dummy = torch.zeros(1, 1, height, width)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(net, (dummy,), str(path), input_names=["image"],
                          output_names=["logits", "cam"], opset_version=OPSET,
                          dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"},
                                        "cam": {0: "batch"}},
                          do_constant_folding=True, dynamo=False)
    if check is not None:
        session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        logits, cams = session.run(["logits", "cam"], {"image": check})
        with torch.no_grad():
            ref_logits, ref_cams = net(torch.from_numpy(check))
        worst = max(float(np.abs(logits - ref_logits.numpy()).max()),
                    float(np.abs(cams - ref_cams.numpy()).max()))
        if worst > 1e-3:
            raise RuntimeError(f"ONNX export differs from PyTorch by {worst:.2e}")
    return path
