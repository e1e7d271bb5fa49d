"""The vision evaluation's reports: the NEU-DET model card (copied beside the other
reports) and evals/reports/vision.md (NEU-DET figures, latency, demo model)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from evals.vision.neu import REPO
from vision.manifest import Manifest
from vision.models import DEMO_DIR
from vision.train.card import write_card

LATENCY = REPO / "benchmarks" / "results" / "vision_latency.json"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f} %"


def localisation_markdown(found: dict[str, Any]) -> list[str]:
    o = found["overall"]
    lines = ["## Heat-map localisation (test split vs annotated boxes)", "",
             f"Share of the heat map's mass (predicted class, ReLU, peak-normalised, resized "
             f"to 200×200) inside the image's boxes of its class: "
             f"**{_pct(o['mass_in_class_boxes'])}** mean (median "
             f"{_pct(o['median_mass_in_class_boxes'])}); inside any box "
             f"{_pct(o['mass_in_any_box'])}. A uniform heat map would score the boxes' area "
             f"share, {_pct(o['box_area_share'])}. Pointing game (peak inside a box): "
             f"{_pct(o['pointing_game'])}.", "",
             "| class | images | mass in boxes | box area (uniform map) | pointing game |",
             "|---|---|---|---|---|"]
    for label, s in found["per_class"].items():
        lines.append(f"| {label} | {s['images']} | {_pct(s['mass_in_class_boxes'])} | "
                     f"{_pct(s['box_area_share'])} | {_pct(s['pointing_game'])} |")
    return [*lines, ""]


def latency_markdown() -> list[str]:
    if not LATENCY.is_file():
        return ["Run `python -m benchmarks.vision_latency` for the latency figures.", ""]
    f = json.loads(LATENCY.read_text(encoding="utf-8"))
    return [f"From `benchmarks/results/vision_latency.json` (model `{f['model']}`, "
            f"{f['threads']} onnxruntime threads, {f['images']} images of 200×200; "
            f"{f['load_before']} → {f['load_after']}):", "",
            "| path | p50 | p99 | images/s |", "|---|---|---|---|",
            f"| single image, end to end (decode → verdict, no PNG) | {f['single_p50_ms']:.2f} ms "
            f"| {f['single_p99_ms']:.2f} ms | {f['single_images_per_s']:.0f} |",
            f"| single image with heat-map PNG written | {f['single_png_p50_ms']:.2f} ms | "
            f"{f['single_png_p99_ms']:.2f} ms | |",
            f"| batch of {f['batch_size']}, per image | {f['batch_p50_ms']:.2f} ms | "
            f"{f['batch_p99_ms']:.2f} ms | {f['batch_images_per_s']:.0f} |",
            f"| model only (onnxruntime, 1 image) | {f['model_p50_ms']:.2f} ms | "
            f"{f['model_p99_ms']:.2f} ms | |", "",
            f"p50 single is **{f['ratio_to_aoi']:.0f}× faster** than today's AOI (4.7 s per "
            f"image) and uses **{100 / f['ratio_to_takt']:.2f} %** of the 1.8 s takt of a "
            f"2,000/h line (ratio {f['ratio_to_takt']:.0f}×). Goal p50 < 20 ms: "
            f"{'met' if f['single_p50_ms'] < 20 else 'not met'}.", ""]


def _demo_lines() -> list[str]:
    path = DEMO_DIR / "model_card.json"
    if not path.is_file():
        return []
    card = json.loads(path.read_text(encoding="utf-8"))
    v = card["verdicts"]
    return ["## Shipped demo model (synthetic surfaces)", "",
            f"`vision/models/demo` ({card['training']['parameters']:,} parameters), test "
            f"accuracy {_pct(card['test']['accuracy'])}, review share "
            f"{_pct(v['shares']['review'])}, defective judged ok "
            f"{_pct(v.get('defective_judged_ok'))}, good judged ng "
            f"{_pct(v.get('good_judged_ng'))}. Full card: `vision/models/demo/model_card.md`.",
            ""]


def summary_markdown(manifest: Manifest, card: dict[str, Any]) -> str:
    test, t = card["test"], card["training"]
    rows = ["| class | recall | precision |", "|---|---|---|",
            *(f"| {c['label']} | {_pct(c['recall'])} | {_pct(c['precision'])} |"
              for c in test["per_class"])]
    robust = ["| corruption | level | accuracy | Δ (points) | to review |", "|---|---|---|---|---|",
              *(f"| {r['corruption']} | {r['level']} | {_pct(r['accuracy'])} | "
                f"{100 * r['delta']:+.1f} | {_pct(r['review_share'])} |"
                for r in card.get("robustness", []))]
    lines = ["# Vision inspection: evaluation (issue 7)", "",
             "`python -m evals.vision` (NEU-DET) and `python -m benchmarks.vision_latency`.", "",
             "## NEU-DET (academic-use data: measured here, weights not shipped)", "",
             f"Stratified 70/15/15 split (seed {card['data']['split_seed']}) of the 1,800 "
             f"images; {test['n']} test images. Model: {t['parameters']:,}-parameter CNN, "
             f"{manifest.input.width}×{manifest.input.height} input, sha256 "
             f"`{manifest.onnx_sha256[:16]}…`.", "",
             f"- **Test accuracy {_pct(test['accuracy'])}** (literature: > 98 %); macro recall "
             f"{_pct(test['macro_recall'])}.",
             f"- **Localisation**: {_pct(card['localisation']['overall']['mass_in_class_boxes'])}"
             f" of the heat map inside the annotated boxes (uniform map: "
             f"{_pct(card['localisation']['overall']['box_area_share'])}).",
             f"- **Training time {t['train_seconds']:.0f} s** ({t['epochs']} epochs, "
             f"{t['threads']} threads; goal < 15 min). Load average per epoch: "
             f"{', '.join(str(x) for x in t['load_average_during'])}; `uptime` before: "
             f"`{card['uptime']['before_training']}`, after: "
             f"`{card['uptime']['after_training']}`.",
             f"- Calibration: ECE {card['calibration']['ece_before']:.4f} → "
             f"{card['calibration']['ece_after']:.4f} after temperature scaling "
             f"(T = {card['calibration']['temperature']:.3f}).", "", *rows, "",
             *localisation_markdown(card["localisation"]),
             "## Robustness (NEU-DET test split)", "", *robust, "",
             "Adversarial (FGSM on 8-bit pixels): " + ", ".join(
                 f"ε = {a['epsilon']:g} → {_pct(a['accuracy'])}"
                 for a in card.get("adversarial", [])),
             "", "## Latency", "", *latency_markdown(), *_demo_lines(),
             "Full NEU-DET model card: `evals/reports/vision-neu-det-model-card.md`.", ""]
    return "\n".join(lines)


def write_reports(reports: Path, model_dir: Path, manifest: Manifest, card: dict[str, Any]
                  ) -> list[Path]:
    json_path, md_path = write_card(model_dir, manifest, card)
    reports.mkdir(parents=True, exist_ok=True)
    card_md = reports / "vision-neu-det-model-card.md"
    card_json = reports / "vision-neu-det-model-card.json"
    shutil.copyfile(md_path, card_md)
    shutil.copyfile(json_path, card_json)
    summary = reports / "vision.md"
    summary.write_text(summary_markdown(manifest, card), encoding="utf-8")
    return [summary, card_md, card_json]
