"""The training loop: seeded, CPU, AdamW with a one-cycle schedule, light augmentation
(flips, small shifts, sensor noise, slight blur), best epoch by validation loss, then
temperature scaling on the validation set."""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import cv2
import numpy as np
import torch
from scipy.optimize import minimize_scalar
from torch import nn

from vision.preprocess import standardize
from vision.train.net import SurfaceNet


@dataclass
class LoopConfig:
    epochs: int = 14
    batch_size: int = 32
    lr: float = 3e-3
    weight_decay: float = 1e-4
    width: float = 1.0
    seed: int = 7
    threads: int = 2
    augment: bool = True


@dataclass
class EpochLog:
    epoch: int
    train_loss: float
    val_loss: float
    val_accuracy: float
    seconds: float


@dataclass
class LoopResult:
    net: SurfaceNet
    temperature: float
    best_epoch: int
    history: list[EpochLog] = field(default_factory=list)


Progress = Callable[[str, int, int, dict[str, float]], None]


def seed_everything(seed: int, threads: int) -> None:
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)


def augment(images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A batch of uint8 images, each flipped, shifted, noised or blurred at random."""
    out = np.empty_like(images)
    h, w = images.shape[1:]
    pad = max(h // 16, 2)
    for i, img in enumerate(images):
        if rng.random() < 0.5:
            img = img[:, ::-1]
        if rng.random() < 0.5:
            img = img[::-1, :]
        dy, dx = rng.integers(0, 2 * pad + 1, 2)
        img = cv2.copyMakeBorder(np.ascontiguousarray(img), pad, pad, pad, pad,
                                 cv2.BORDER_REFLECT_101)[dy:dy + h, dx:dx + w]
        if rng.random() < 0.3:
            img = np.clip(img + rng.normal(0, rng.uniform(2, 10), img.shape), 0, 255
                          ).astype(np.uint8)
        if rng.random() < 0.2:
            img = cv2.GaussianBlur(np.ascontiguousarray(img), (0, 0), rng.uniform(0.5, 1.2))
        out[i] = img
    return out


def to_tensor(images: np.ndarray) -> torch.Tensor:
    batch = np.stack([standardize(np.ascontiguousarray(img)) for img in images])
    return torch.from_numpy(batch[:, None])


def _evaluate(net: SurfaceNet, images: np.ndarray, labels: np.ndarray, batch: int = 64
              ) -> tuple[np.ndarray, float, float]:
    net.eval()
    chunks = []
    with torch.no_grad():
        for start in range(0, len(images), batch):
            chunks.append(net(to_tensor(images[start:start + batch]))[0])
    logits = torch.cat(chunks)
    target = torch.from_numpy(labels)
    loss = float(nn.functional.cross_entropy(logits, target))
    accuracy = float((logits.argmax(1) == target).float().mean())
    return logits.numpy(), loss, accuracy


def fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    """The temperature minimising validation negative log-likelihood."""
    def nll(t: float) -> float:
        z = logits / t
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return float(-logp[np.arange(len(labels)), labels].mean())
    result = minimize_scalar(nll, bounds=(0.05, 10.0), method="bounded")
    return float(result.x)


def train_loop(classes: int, train: tuple[np.ndarray, np.ndarray],
               val: tuple[np.ndarray, np.ndarray], config: LoopConfig,
               progress: Progress | None = None) -> LoopResult:
    """Train from ``config.seed``; the same seed and data give the same weights."""
    import time

    seed_everything(config.seed, config.threads)
    rng = np.random.default_rng(config.seed)
    net = SurfaceNet(classes, width=config.width)
    images, labels = train
    steps = math.ceil(len(images) / config.batch_size)
    optimiser = torch.optim.AdamW(net.parameters(), lr=config.lr,
                                  weight_decay=config.weight_decay)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=config.lr,
                                                   total_steps=config.epochs * steps,
                                                   pct_start=0.25)
    best: tuple[float, int, dict[str, torch.Tensor]] = (math.inf, 0, {})
    history: list[EpochLog] = []
    for epoch in range(1, config.epochs + 1):
        started = time.perf_counter()
        net.train()
        order = rng.permutation(len(images))
        total = 0.0
        for step in range(steps):
            index = order[step * config.batch_size:(step + 1) * config.batch_size]
            batch = augment(images[index], rng) if config.augment else images[index]
            logits, _ = net(to_tensor(batch))
            loss = nn.functional.cross_entropy(logits, torch.from_numpy(labels[index]))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item() * len(index)
            if progress:
                progress("step", (epoch - 1) * steps + step + 1, config.epochs * steps,
                         {"epoch": epoch, "loss": loss.item()})
        _, val_loss, val_acc = _evaluate(net, *val)
        log = EpochLog(epoch, total / len(images), val_loss, val_acc,
                       time.perf_counter() - started)
        history.append(log)
        if progress:
            progress("epoch", epoch, config.epochs, {"val_loss": val_loss,
                                                     "val_accuracy": val_acc})
        if val_loss < best[0]:
            best = (val_loss, epoch, copy.deepcopy(net.state_dict()))
    net.load_state_dict(best[2])
    val_logits, _, _ = _evaluate(net, *val)
    return LoopResult(net=net.eval(), temperature=fit_temperature(val_logits, val[1]),
                      best_epoch=best[1], history=history)
