"""``python -m evals.vision``: train the vision pipeline on NEU-DET and measure it.

    python -m evals.vision                      # train (seed 7), measure, write the reports
    python -m evals.vision --reuse              # measure the model already in --model-dir
    python -m evals.vision --epochs 20 --seed 3

Trains on a stratified 70/15/15 split of ../shared/data/neu-det/IMAGES (read in place),
writes the weights to var/vision/neu-det (outside git: academic-use data, the weights are
not shipped), then measures on the test split: accuracy, per-class recall, confusion
matrix, calibration, robustness, heat-map localisation against the annotated boxes, and
the training time with the machine's load. Reports: evals/reports/vision.md and
evals/reports/vision-neu-det-model-card.md (+ .json, git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from evals.vision.localisation import localisation
from evals.vision.neu import NEU_DIR, REPO, load_neu
from evals.vision.report import latency_markdown, localisation_markdown, write_reports
from vision.labelled import load_arrays, stratified_split
from vision.manifest import load_manifest
from vision.model import OnnxModel
from vision.service import Inspector

REPORTS = REPO / "evals" / "reports"
MODEL_DIR = REPO / "var" / "vision" / "neu-det"


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=True
                              ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "load average: " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.vision", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=NEU_DIR)
    parser.add_argument("--model-dir", type=Path, default=MODEL_DIR)
    parser.add_argument("--reports", type=Path, default=REPORTS)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--epochs", type=int, default=14)
    parser.add_argument("--width", type=float, default=1.0)
    parser.add_argument("--reuse", action="store_true",
                        help="measure the model in --model-dir instead of training")
    args = parser.parse_args(argv)
    if not (args.data / "labels_and_boxes.csv").is_file():
        print(f"NEU-DET not found at {args.data}", file=sys.stderr)
        return 2
    items, boxes = load_neu(args.data)
    before = uptime()
    if args.reuse:
        manifest = load_manifest(args.model_dir)
        card = json.loads((args.model_dir / "model_card.json").read_text(encoding="utf-8"))
        _, _, test = stratified_split(items, (0.70, 0.15, 0.15), card["data"]["split_seed"])
    else:
        from vision.train import TrainConfig, TrainEvent, train_model

        def progress(event: TrainEvent) -> None:
            if event.kind == "epoch":
                print(f"epoch {event.done}/{event.total}: val loss "
                      f"{event.info['val_loss']:.4f}, accuracy {event.info['val_accuracy']:.4f}"
                      f"  (load {os.getloadavg()[0]:.2f})", flush=True)
            elif event.kind == "stage":
                print(event.info["text"], flush=True)

        config = TrainConfig(out=args.model_dir, seed=args.seed, epochs=args.epochs,
                             width=args.width, process="steel_rolling", name="neu-det-surface",
                             source="NEU-DET (Song & Yan, Northeastern University; academic "
                                    "use), 1,800 images of 200×200, read in place")
        result = train_model(config, items=items, progress=progress)
        manifest, card, test = result.manifest, result.card, result.split["test"]
    after = uptime()
    inspector = Inspector(OnnxModel(args.model_dir))
    images, _ = load_arrays(test, manifest.classes, (manifest.input.height,
                                                     manifest.input.width))
    predictions = inspector.predict(list(images))
    found = localisation(predictions, [i.label for i in test],
                         [boxes[i.path.name] for i in test])
    card["localisation"] = found
    if not args.reuse:   # a re-measured model keeps its training run's figures
        card["uptime"] = {"before_training": before, "after_training": after}
    card["intended_use"] = ("evaluation only: trained on academic-use data, not shipped")
    card["extra_markdown"] = [*localisation_markdown(found), "## Latency", "",
                              *latency_markdown()]
    paths = write_reports(args.reports, args.model_dir, manifest, card)
    for path in paths:
        print(f"written {path}")
    test_figures = card["test"]
    print(f"test accuracy {test_figures['accuracy']:.4f}; localisation (mass in boxes) "
          f"{found['overall']['mass_in_class_boxes']:.3f} vs box area "
          f"{found['overall']['box_area_share']:.3f}; training "
          f"{card['training']['train_seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
