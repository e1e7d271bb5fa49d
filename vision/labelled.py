"""Labelled images for training and reports: a folder with one sub-folder per class, or a CSV naming
each image and its label; a seeded stratified split; images read once into memory."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tools.errors import InvalidInput
from vision.images import read_image_file
from vision.preprocess import resize_to

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff"}
PATH_COLUMNS = ("image", "path", "file", "filename")
LABEL_COLUMNS = ("label", "class", "image_class")


@dataclass(frozen=True)
class Labelled:
    path: Path
    label: str


def from_folder(root: Path) -> list[Labelled]:
    """``root/<class>/<image>`` for every image file, sorted by class then name."""
    items = [Labelled(p, d.name) for d in sorted(root.iterdir()) if d.is_dir()
             for p in sorted(d.iterdir()) if p.suffix.lower() in IMAGE_SUFFIXES]
    if not items:
        raise InvalidInput(f"{root} holds no class sub-folders with images.")
    return items


def from_csv(path: Path) -> list[Labelled]:
    """A CSV with an image column (image/path/file/filename, relative to the CSV's folder
    or absolute) and a label column (label/class/image_class); repeated images count once."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields = [f.strip() for f in reader.fieldnames or []]
        image_col = next((c for c in PATH_COLUMNS if c in fields), None)
        label_col = next((c for c in LABEL_COLUMNS if c in fields), None)
        if image_col is None or label_col is None:
            raise InvalidInput(f"{path.name} needs an image column ({', '.join(PATH_COLUMNS)}) "
                               f"and a label column ({', '.join(LABEL_COLUMNS)}).")
        seen: dict[str, str] = {}
        for row in reader:
            seen.setdefault(row[image_col].strip(), row[label_col].strip())
    items = [Labelled(p if (p := Path(name)).is_absolute() else path.parent / p, label)
             for name, label in seen.items()]
    if not items:
        raise InvalidInput(f"{path.name} lists no images.")
    return items


def discover(source: Path) -> list[Labelled]:
    if source.is_dir():
        return from_folder(source)
    if source.is_file() and source.suffix.lower() == ".csv":
        return from_csv(source)
    raise InvalidInput(f"{source} is neither a folder of class sub-folders nor a CSV file.")


def stratified_split(items: Sequence[Labelled], shares: tuple[float, float, float],
                     seed: int) -> tuple[list[Labelled], list[Labelled], list[Labelled]]:
    """Train/validation/test lists with each class split in the given shares (seeded)."""
    rng = np.random.default_rng(seed)
    parts: tuple[list[Labelled], list[Labelled], list[Labelled]] = ([], [], [])
    for label in sorted({i.label for i in items}):
        group = sorted((i for i in items if i.label == label), key=lambda i: str(i.path))
        order = rng.permutation(len(group))
        n_val = round(len(group) * shares[1])
        n_test = round(len(group) * shares[2])
        n_train = len(group) - n_val - n_test
        if min(n_train, n_val if shares[1] else 1, n_test if shares[2] else 1) < 1:
            raise InvalidInput(f"class {label!r} has only {len(group)} images: too few to "
                               f"split {shares}.")
        for k, index in enumerate(order):
            part = 0 if k < n_train else 1 if k < n_train + n_val else 2
            parts[part].append(group[index])
    return parts


def load_arrays(items: Sequence[Labelled], classes: Sequence[str], size: tuple[int, int]
                ) -> tuple[np.ndarray, np.ndarray]:
    """(N, H, W) uint8 grayscale images at the model's size, and (N,) class indices."""
    images = np.empty((len(items), *size), np.uint8)
    for i, item in enumerate(items):
        images[i] = resize_to(read_image_file(item.path).gray, *size)
    labels = np.array([classes.index(i.label) for i in items], np.int64)
    return images, labels


def distribution(items: Sequence[Labelled]) -> dict[str, int]:
    return dict(sorted(Counter(i.label for i in items).items()))
