"""NEU-DET read in place: labelled images and their annotated boxes."""

from __future__ import annotations

import csv
import os
from collections import defaultdict
from pathlib import Path

from vision.labelled import Labelled

REPO = Path(__file__).resolve().parents[2]
NEU_DIR = Path(os.environ.get("ANDON_SHARED_DATA", REPO.parent / "shared" / "data")) / "neu-det"

Box = tuple[int, int, int, int]   # xmin, ymin, xmax, ymax (inclusive, Pascal VOC)


def load_neu(root: Path = NEU_DIR) -> tuple[list[Labelled], dict[str, list[tuple[str, Box]]]]:
    """Every image with its class (from the file name), and each image's boxes with their
    class, from ``labels_and_boxes.csv`` (the flattened Pascal VOC annotations)."""
    labels: dict[str, str] = {}
    boxes: dict[str, list[tuple[str, Box]]] = defaultdict(list)
    with (root / "labels_and_boxes.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            labels.setdefault(row["image"], row["image_class"])
            boxes[row["image"]].append((row["box_class"], (
                int(row["xmin"]), int(row["ymin"]), int(row["xmax"]), int(row["ymax"]))))
    items = [Labelled(root / "IMAGES" / name, label) for name, label in sorted(labels.items())]
    return items, dict(boxes)
