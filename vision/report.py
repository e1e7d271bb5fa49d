"""``andon vision report``: an NMPA-style robustness report of a model on labelled images —
accuracy and the human-review share under stated corruptions, with the review thresholds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pydantic import BaseModel

from tools.errors import InvalidInput
from vision.labelled import discover, distribution, load_arrays
from vision.manifest import Thresholds
from vision.robustness import RobustnessRow, robustness
from vision.service import Inspector


class RobustnessReport(BaseModel):
    model: str
    sha256: str
    data: str
    images: int
    distribution: dict[str, int]
    thresholds: Thresholds
    rows: list[RobustnessRow]

    def markdown(self) -> str:
        t = self.thresholds
        lines = [f"# Robustness report: {self.model}", "",
                 f"Model sha256 `{self.sha256}`; {self.images} labelled images from "
                 f"{self.data} ({', '.join(f'{k}: {v}' for k, v in self.distribution.items())}).",
                 "", f"Human review: ok when score < {t.ok_below}; ng when score ≥ {t.ng_at} "
                     f"and class share ≥ {t.class_min}; every other image goes to a person.",
                 "", "| corruption | level | accuracy | Δ (points) | to review |",
                 "|---|---|---|---|---|"]
        for r in self.rows:
            lines.append(f"| {r.corruption} | {r.level} | {100 * r.accuracy:.1f} % | "
                         f"{100 * r.delta:+.1f} | {100 * r.review_share:.1f} % |")
        return "\n".join(lines) + "\n"


def robustness_report(inspector: Inspector, data: Path, seed: int = 0) -> RobustnessReport:
    """Every labelled image under ``data``, clean and under each corruption."""
    items = discover(data)
    classes = inspector.manifest.classes
    unknown = sorted({i.label for i in items} - set(classes))
    if unknown:
        raise InvalidInput(f"{data} has labels the model does not know ({', '.join(unknown)}); "
                           f"its classes are {', '.join(classes)}.")
    images, labels = load_arrays(items, classes, (inspector.manifest.input.height,
                                                  inspector.manifest.input.width))
    rows = robustness(inspector, images, np.asarray(labels), seed=seed)
    return RobustnessReport(model=inspector.manifest.name, sha256=inspector.model.sha256,
                            data=str(data), images=len(items), distribution=distribution(items),
                            thresholds=inspector.manifest.thresholds, rows=rows)
