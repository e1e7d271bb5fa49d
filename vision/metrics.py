"""Classification figures for model cards and evaluations: accuracy, per-class precision and
recall, confusion matrix, calibration (expected calibration error and reliability table)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel


class ClassFigures(BaseModel):
    label: str
    support: int
    precision: float
    recall: float
    f1: float


class ReliabilityBin(BaseModel):
    low: float
    high: float
    count: int
    confidence: float | None
    accuracy: float | None


class Calibration(BaseModel):
    ece: float
    bins: list[ReliabilityBin]


class Figures(BaseModel):
    n: int
    accuracy: float
    macro_recall: float
    per_class: list[ClassFigures]
    confusion: list[list[int]]          # rows: true class, columns: predicted class
    classes: list[str]
    calibration: Calibration


def confusion_matrix(truth: np.ndarray, predicted: np.ndarray, k: int) -> np.ndarray:
    return np.bincount(truth * k + predicted, minlength=k * k).reshape(k, k)


def calibration(probabilities: np.ndarray, truth: np.ndarray, bins: int = 10) -> Calibration:
    """ECE over equal-width confidence bins of the top-class probability."""
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == truth
    edges = np.linspace(0.0, 1.0, bins + 1)
    table, ece = [], 0.0
    for low, high in itertools.pairwise(edges):
        inside = (confidence > low) & (confidence <= high) if low > 0 else confidence <= high
        count = int(inside.sum())
        conf = float(confidence[inside].mean()) if count else None
        acc = float(correct[inside].mean()) if count else None
        if count and conf is not None and acc is not None:
            ece += count / len(truth) * abs(acc - conf)
        table.append(ReliabilityBin(low=round(float(low), 2), high=round(float(high), 2),
                                    count=count, confidence=conf, accuracy=acc))
    return Calibration(ece=float(ece), bins=table)


def figures(probabilities: np.ndarray, truth: np.ndarray, classes: Sequence[str]) -> Figures:
    """Everything a model card reports about top-1 classification."""
    k = len(classes)
    predicted = probabilities.argmax(axis=1)
    matrix = confusion_matrix(truth, predicted, k)
    per_class = []
    for i, label in enumerate(classes):
        tp = int(matrix[i, i])
        support, called = int(matrix[i].sum()), int(matrix[:, i].sum())
        precision = tp / called if called else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class.append(ClassFigures(label=label, support=support, precision=precision,
                                      recall=recall, f1=f1))
    return Figures(n=len(truth), accuracy=float((predicted == truth).mean()),
                   macro_recall=float(np.mean([c.recall for c in per_class])),
                   per_class=per_class, confusion=matrix.tolist(), classes=list(classes),
                   calibration=calibration(probabilities, truth))
