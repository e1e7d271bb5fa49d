"""``train_model``: labelled images -> a verified ONNX model with its manifest and card.

1. list the images (folder of class sub-folders or CSV), map classes to defect codes;
2. seeded stratified split (70/15/15 by default), images read once;
3. train (vision.train.loop), export to ONNX, check it against PyTorch;
4. write the manifest (sha256, classes, thresholds, temperature, drift reference);
5. measure the exported model on the test split through the service's own inference
   path: metrics, calibration, verdict shares, robustness, FGSM; write the model card.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from tools.errors import InvalidInput
from vision.labelled import Labelled, discover, distribution, load_arrays, stratified_split
from vision.manifest import InputSpec, Manifest, Thresholds, sha256_file, write_manifest
from vision.metrics import figures
from vision.model import OnnxModel, softmax
from vision.preprocess import FEATURES, image_features, to_batch
from vision.robustness import robustness
from vision.service import Inspector
from vision.train.card import write_card


class TrainConfig(BaseModel):
    data: Path | None = Field(default=None, description="Folder or CSV (or pass items).")
    out: Path
    seed: int = 7
    epochs: int = Field(default=14, ge=1)
    batch_size: int = Field(default=32, ge=1)
    lr: float = Field(default=3e-3, gt=0)
    width: float = Field(default=1.0, gt=0)
    size: int = Field(default=200, ge=32, description="Model input side, pixels.")
    shares: tuple[float, float, float] = (0.70, 0.15, 0.15)
    ok_class: str = "ok"
    codes: dict[str, str] = Field(default_factory=dict, description="class -> defect code "
                                  "where the class name is not a code, name or synonym.")
    process: str | None = None
    name: str | None = None
    threads: int = 2
    thresholds: Thresholds = Thresholds()
    robustness: bool = True
    source: str | None = Field(default=None, description="How the card names the data.")


@dataclass(frozen=True)
class TrainEvent:
    kind: str              # "stage", "step" or "epoch"
    done: int
    total: int
    info: dict[str, Any]


@dataclass
class TrainResult:
    out: Path
    manifest: Manifest
    card: dict[str, Any]
    split: dict[str, list[Labelled]]


def _codes(classes: Sequence[str], ok_class: str | None, given: dict[str, str]) -> dict[str, str]:
    from knowledge_graph.defect_codes import defect_codes_by_code, lookup_defect_code

    known = defect_codes_by_code()
    out: dict[str, str] = {}
    for label in classes:
        if label == ok_class:
            continue
        code = given.get(label)
        if code is None:
            found = lookup_defect_code(label)
            code = found.code if found else None
        if code is None or code not in known:
            raise InvalidInput(f"class {label!r} is not a defect code, name or synonym of "
                               f"knowledge_graph/data/defect_codes.yaml: map it with "
                               f"--code {label}=CODE.")
        out[label] = code
    return out


def train_model(config: TrainConfig, items: Sequence[Labelled] | None = None,
                progress: Callable[[TrainEvent], None] | None = None) -> TrainResult:
    """Train, export, measure and document one model in ``config.out``."""
    from vision.train.adversarial import fgsm_accuracy
    from vision.train.export import export_onnx
    from vision.train.loop import LoopConfig, train_loop

    def stage(text: str) -> None:
        if progress:
            progress(TrainEvent("stage", 0, 0, {"text": text}))

    if items is None:
        if config.data is None:
            raise InvalidInput("name the training data: a folder of class folders or a CSV.")
        items = discover(config.data)
    classes = sorted({i.label for i in items})
    ok_class = config.ok_class if config.ok_class in classes else None
    codes = _codes(classes, ok_class, config.codes)
    train, val, test = stratified_split(items, config.shares, config.seed)
    size = (config.size, config.size)
    stage(f"reading {len(items)} images ({len(classes)} classes)")
    arrays = {name: load_arrays(part, classes, size)
              for name, part in (("train", train), ("val", val), ("test", test))}
    loads: list[float] = [os.getloadavg()[0]]

    def on_step(kind: str, done: int, total: int, info: dict[str, float]) -> None:
        if kind == "epoch":
            loads.append(os.getloadavg()[0])
        if progress:
            progress(TrainEvent(kind, done, total, info))

    started = time.perf_counter()
    loop = train_loop(len(classes), arrays["train"], arrays["val"],
                      LoopConfig(epochs=config.epochs, batch_size=config.batch_size,
                                 lr=config.lr, width=config.width, seed=config.seed,
                                 threads=config.threads), on_step)
    train_seconds = time.perf_counter() - started
    stage("exporting to ONNX")
    config.out.mkdir(parents=True, exist_ok=True)
    onnx_path = config.out / "model.onnx"
    export_onnx(loop.net, onnx_path, *size, check=to_batch(list(arrays["val"][0][:8]), *size))
    manifest = Manifest(
        name=config.name or config.out.name, onnx_sha256=sha256_file(onnx_path),
        classes=classes, defect_codes=codes, ok_class=ok_class, process=config.process,
        input=InputSpec(height=size[0], width=size[1]), temperature=round(loop.temperature, 6),
        thresholds=config.thresholds,
        trained={"seed": config.seed, "at": dt.datetime.now(dt.UTC).isoformat(
            timespec="seconds"), "train_seconds": round(train_seconds, 1)})
    write_manifest(config.out, manifest)
    stage("measuring the exported model")
    inspector = Inspector(OnnxModel(config.out, threads=config.threads))
    val_preds = inspector.predict(list(arrays["val"][0]))
    reference_values: dict[str, list[float]] = {f: [] for f in FEATURES}
    for img in arrays["train"][0]:
        for key, value in image_features(img).items():
            reference_values[key].append(value)
    reference_values["score"] = [p.decision.score for p in val_preds]
    reference_values["class_score"] = [p.decision.class_score for p in val_preds]
    from vision.drift import build_reference

    manifest = manifest.model_copy(update={"reference": build_reference(
        reference_values, seed=config.seed)})
    write_manifest(config.out, manifest)
    inspector = Inspector(OnnxModel(config.out, threads=config.threads))
    card = _measure(inspector, manifest, arrays, config, loop, fgsm_accuracy, stage)
    card.update(_data_section(config, classes, train, val, test, arrays["train"][0]))
    card["training"] = {
        "seed": config.seed, "epochs": config.epochs, "best_epoch": loop.best_epoch,
        "batch_size": config.batch_size, "lr": config.lr, "width": config.width,
        "parameters": sum(p.numel() for p in loop.net.parameters()),
        "train_seconds": round(train_seconds, 1), "threads": config.threads,
        "cpu_count": os.cpu_count(), "load_average_during": [round(x, 2) for x in loads],
        "temperature": loop.temperature,
        "history": [vars(h) for h in loop.history]}
    write_card(config.out, manifest, card)
    return TrainResult(out=config.out, manifest=manifest, card=card,
                       split={"train": train, "val": val, "test": test})


def _measure(inspector: Inspector, manifest: Manifest, arrays: dict[str, Any],
             config: TrainConfig, loop: Any, fgsm: Callable[..., Any],
             stage: Callable[[str], None]) -> dict[str, Any]:
    images, labels = arrays["test"]
    size = (manifest.input.height, manifest.input.width)
    logits = np.concatenate([inspector.model.run(to_batch(list(images[i:i + 32]), *size)).logits
                             for i in range(0, len(images), 32)])
    raw = figures(softmax(logits, 1.0), labels, manifest.classes)
    scaled = figures(softmax(logits, manifest.temperature), labels, manifest.classes)
    preds = inspector.predict(list(images))
    verdicts = [p.decision.verdict for p in preds]
    shares = {v: verdicts.count(v) / len(verdicts) for v in ("ok", "ng", "review")}
    card: dict[str, Any] = {
        "test": scaled.model_dump(),
        "calibration": {"temperature": manifest.temperature,
                        "ece_before": raw.calibration.ece, "ece_after": scaled.calibration.ece,
                        "reliability": [b.model_dump() for b in scaled.calibration.bins]},
        "verdicts": {"thresholds": manifest.thresholds.model_dump(), "shares": shares},
    }
    if manifest.ok_class is not None:
        ok = manifest.classes.index(manifest.ok_class)
        bad = labels != ok
        card["verdicts"]["defective_judged_ok"] = float(np.mean(
            [v == "ok" for v, b in zip(verdicts, bad, strict=True) if b]))
        card["verdicts"]["good_judged_ng"] = float(np.mean(
            [v == "ng" for v, b in zip(verdicts, bad, strict=True) if not b]))
    decided = [(p.probabilities.argmax() == y) for p, v, y in
               zip(preds, verdicts, labels, strict=True) if v != "review"]
    card["verdicts"]["accuracy_without_review"] = float(np.mean(decided)) if decided else None
    if config.robustness:
        stage("robustness: 15 corruptions of the test split")
        card["robustness"] = [r.model_dump() for r in robustness(inspector, images, labels,
                                                                 seed=config.seed)]
        stage("adversarial robustness (FGSM)")
        card["adversarial"] = [{"epsilon": e, "accuracy": a}
                               for e, a in fgsm(loop.net, images, labels)]
    return card


def _data_section(config: TrainConfig, classes: list[str], train: list[Labelled],
                  val: list[Labelled], test: list[Labelled], train_images: np.ndarray
                  ) -> dict[str, Any]:
    stats = [image_features(img) for img in train_images]
    summary = {key: {"mean": float(np.mean([s[key] for s in stats])),
                     "std": float(np.std([s[key] for s in stats])),
                     "p05": float(np.quantile([s[key] for s in stats], 0.05)),
                     "p95": float(np.quantile([s[key] for s in stats], 0.95))}
               for key in FEATURES}
    return {"data": {"source": config.source or str(config.data), "classes": classes,
                     "split_shares": list(config.shares), "split_seed": config.seed,
                     "distribution": {"train": distribution(train), "val": distribution(val),
                                      "test": distribution(test)},
                     "image_statistics_train": summary, "input_size": config.size}}
