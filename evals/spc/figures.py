"""``python -m evals.spc.figures``: draw the SPC figures shown in docs/spc.md.

    python -m evals.spc.figures                 # writes docs/images/spc_pistonrings_xbar_r.png
    python -m evals.spc.figures --out DIR       # another directory

The piston-ring figure is the qcc vignette's first chart (Montgomery's inside diameters,
40 samples of 5): trial limits from samples 1-25 (phase I), samples 26-40 judged against
them (phase II), Western Electric rules 1-4 as the vignette plots them. The drawing
is deterministic, so re-running it changes the file only when the code changes.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from tools.spc import ChartResult, control_chart
from tools.spc.plot import render_chart

REPO = Path(__file__).resolve().parents[2]
PISTONRINGS = REPO / "tests" / "fixtures" / "spc" / "qcc" / "pistonrings.csv"
IMAGES = REPO / "docs" / "images"


def pistonrings_chart() -> ChartResult:
    data = pd.read_csv(PISTONRINGS)
    return control_chart("xbar-r", data["diameter"], labels=data["sample"], baseline=25,
                         rules="we")


def write_figures(out: Path = IMAGES) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    path = out / "spc_pistonrings_xbar_r.png"
    title = ("Piston-ring inside diameter (mm), 40 samples of 5 · X̄-R chart · trial limits "
             "from samples 1–25")
    path.write_bytes(render_chart(pistonrings_chart(), fmt="png", title=title))
    return [path]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=IMAGES, help="output directory")
    args = parser.parse_args()
    for path in write_figures(args.out):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
