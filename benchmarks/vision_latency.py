"""Vision latency: p50/p99 per 200×200 image, single and batched, and images/s on 2 cores.

    python -m benchmarks.vision_latency [--model DIR] [--images 400] [--batch 16] [--threads 2]

Model: ``--model`` or, when it was trained by ``python -m evals.vision``, the NEU-DET
model in var/vision/neu-det, else the shipped demo model. Images: 200×200 PNG files of
the project's synthetic generator (every class), inspected through the same path as the
service (decode, validate, preprocess, onnxruntime, verdict, heat map, regions, root-cause
lookup). Ratios are against 4.7 s per image (today's AOI stations) and the 1.8 s takt of
a 2,000 parts/hour line. Writes benchmarks/results/vision_latency.json.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from benchmarks.results_file import write_results
from vision.loader import open_inspector
from vision.preprocess import to_batch
from vision.synth import CLASSES, generate

REPO = Path(__file__).resolve().parents[1]
NEU_MODEL = REPO / "var" / "vision" / "neu-det"
AOI_SECONDS = 4.7
TAKT_SECONDS = 3600 / 2000


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def sample_images(count: int, size: int = 200, seed: int = 11) -> list[bytes]:
    out = []
    for i in range(count):
        image = generate(CLASSES[i % len(CLASSES)], seed * 10_000 + i, size).image
        out.append(cv2.imencode(".png", image)[1].tobytes())
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.vision_latency",
                                     description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--images", type=int, default=400)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    model_dir = args.model or (NEU_MODEL if (NEU_MODEL / "manifest.json").is_file() else None)
    images = sample_images(args.images)
    load_before = _load()
    with tempfile.TemporaryDirectory() as state:
        inspector = open_inspector(model_dir, state_dir=Path(state), threads=args.threads)
        for data in images[:20]:                                   # warm-up
            inspector.inspect_bytes(data, heatmap=False)
        single = []
        for data in images:
            started = time.perf_counter()
            inspector.inspect_bytes(data, heatmap=False)
            single.append((time.perf_counter() - started) * 1000)
        with_png = []
        for data in images[:100]:
            started = time.perf_counter()
            inspector.inspect_bytes(data, heatmap=True)
            with_png.append((time.perf_counter() - started) * 1000)
        batched, batch_wall = [], 0.0
        named = [(f"img{i}.png", data) for i, data in enumerate(images)]
        for start in range(0, len(named) - args.batch + 1, args.batch):
            started = time.perf_counter()
            inspector.inspect_batch(named[start:start + args.batch], heatmap=False)
            elapsed = time.perf_counter() - started
            batch_wall += elapsed
            batched.append(elapsed * 1000 / args.batch)
        height, width = inspector.model.input_size
        model_only = []
        for data in images[:200]:
            gray = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
            assert gray is not None
            tensor = to_batch([gray], height, width)
            started = time.perf_counter()
            inspector.model.run(tensor)
            model_only.append((time.perf_counter() - started) * 1000)
        inspector.close()
        name = inspector.manifest.name
    p50 = statistics.median(single)
    figures: dict[str, object] = {
        "model": name, "threads": args.threads, "cpu_count": os.cpu_count(),
        "images": len(images), "image_size": "200x200", "batch_size": args.batch,
        "single_p50_ms": round(p50, 3), "single_p99_ms": round(_pct(single, 99), 3),
        "single_images_per_s": round(1000 * len(single) / sum(single), 1),
        "single_png_p50_ms": round(statistics.median(with_png), 3),
        "single_png_p99_ms": round(_pct(with_png, 99), 3),
        "batch_p50_ms": round(statistics.median(batched), 3),
        "batch_p99_ms": round(_pct(batched, 99), 3),
        "batch_images_per_s": round(len(batched) * args.batch / batch_wall, 1),
        "model_p50_ms": round(statistics.median(model_only), 3),
        "model_p99_ms": round(_pct(model_only, 99), 3),
        "ratio_to_aoi": round(AOI_SECONDS * 1000 / p50, 1),
        "ratio_to_takt": round(TAKT_SECONDS * 1000 / p50, 1),
        "goal_p50_under_20ms": p50 < 20.0,
        "load_before": load_before, "load_after": _load(),
    }
    write_results("vision_latency", figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
