"""The CNN: six 3×3 conv-BN-ReLU layers (two strided, one max-pool: 1/8 resolution), then a
bias-free 1×1 convolution giving one class activation map per class; the logits are the
maps' spatial mean plus a bias (global average pooling), so the CAM is exact, not
approximated, and the exported graph yields both.
"""

from __future__ import annotations

import torch
from torch import nn

BASE_CHANNELS = (16, 32, 32, 64, 64, 96)


def _block(cin: int, cout: int, stride: int = 1) -> list[nn.Module]:
    return [nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout),
            nn.ReLU(inplace=True)]


class SurfaceNet(nn.Module):
    def __init__(self, classes: int, width: float = 1.0, dropout: float = 0.2) -> None:
        super().__init__()
        c = [max(8, round(ch * width)) for ch in BASE_CHANNELS]
        self.features = nn.Sequential(
            *_block(1, c[0], 2), *_block(c[0], c[1], 2), *_block(c[1], c[2]), nn.MaxPool2d(2),
            *_block(c[2], c[3]), *_block(c[3], c[4]), *_block(c[4], c[5]))
        self.dropout = nn.Dropout2d(dropout)
        self.cam_head = nn.Conv2d(c[5], classes, 1, bias=False)
        self.bias = nn.Parameter(torch.zeros(classes))

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        cam = self.cam_head(self.dropout(self.features(x)))
        logits = cam.mean(dim=(2, 3)) + self.bias
        return logits, cam
