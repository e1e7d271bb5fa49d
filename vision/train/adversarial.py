"""Adversarial robustness: accuracy under the fast gradient sign method (FGSM) on the raw
8-bit pixels (per-image standardisation inside the attacked function), ε in gray levels."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from vision.train.net import SurfaceNet

EPSILONS = (1.0, 2.0, 4.0)


def _standardize(x: torch.Tensor) -> torch.Tensor:
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    std = x.std(dim=(1, 2, 3), keepdim=True, unbiased=False).clamp_min(1e-3)
    return (x - mean) / std


def fgsm_accuracy(net: SurfaceNet, images: np.ndarray, labels: np.ndarray,
                  epsilons: tuple[float, ...] = EPSILONS, batch: int = 64
                  ) -> list[tuple[float, float]]:
    """(ε, accuracy) for each ε: every image pushed ε gray levels along the sign of the
    loss gradient, then rounded back to 8 bits."""
    net = net.eval()
    correct = dict.fromkeys(epsilons, 0)
    for start in range(0, len(images), batch):
        x = torch.from_numpy(images[start:start + batch].astype(np.float32) / 255.0)[:, None]
        y = torch.from_numpy(labels[start:start + batch])
        x.requires_grad_(True)
        loss = nn.functional.cross_entropy(net(_standardize(x))[0], y)
        (grad,) = torch.autograd.grad(loss, x)
        with torch.no_grad():
            for eps in epsilons:
                adv = torch.round((x + eps / 255.0 * grad.sign()).clamp(0, 1) * 255) / 255
                correct[eps] += int((net(_standardize(adv))[0].argmax(1) == y).sum())
    return [(eps, correct[eps] / len(images)) for eps in epsilons]
