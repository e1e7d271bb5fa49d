"""The model card: ``model_card.json`` (everything measured) and ``model_card.md`` (the same
for people): data distribution, metrics, confusion matrix, calibration, verdict bands and
human-review share, robustness, adversarial robustness, training run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vision.manifest import Manifest


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f} %"


def _table(head: list[str], rows: list[list[Any]]) -> list[str]:
    return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head),
            *("| " + " | ".join(str(c) for c in row) + " |" for row in rows)]


def render_card(manifest: Manifest, card: dict[str, Any]) -> str:
    data, test, cal = card["data"], card["test"], card["calibration"]
    classes = data["classes"]
    dist = data["distribution"]
    lines = [f"# Model card: {manifest.name}", "",
             f"Surface-defect classifier with class activation maps (CNN, global average "
             f"pooling), ONNX `{manifest.onnx_file}` sha256 `{manifest.onnx_sha256}`.", "",
             "- Classes → defect codes: " + ", ".join(
                 f"`{c}` → `{manifest.defect_codes.get(c, 'ok (no defect)')}`" for c in classes),
             f"- Input: {manifest.input.width}×{manifest.input.height} grayscale, "
             f"standardised per image.",
             f"- Data: {data['source']}",
             f"- Intended use: {card.get('intended_use', 'demonstration and evaluation')}.", "",
             "## Training data distribution", ""]
    lines += _table(["class", "train", "validation", "test"],
                    [[c, dist["train"].get(c, 0), dist["val"].get(c, 0), dist["test"].get(c, 0)]
                     for c in classes])
    lines += ["", f"Split {'/'.join(f'{s:.0%}' for s in data['split_shares'])}, stratified, "
              f"seed {data['split_seed']}. Training image statistics (mean ± sd, 5–95 %):", ""]
    lines += _table(["statistic", "mean", "sd", "p05", "p95"],
                    [[k, f"{v['mean']:.3g}", f"{v['std']:.3g}", f"{v['p05']:.3g}",
                      f"{v['p95']:.3g}"] for k, v in data["image_statistics_train"].items()])
    lines += ["", "## Test metrics", "",
              f"Test images: {test['n']}. **Accuracy {_pct(test['accuracy'])}**, macro recall "
              f"{_pct(test['macro_recall'])}.", ""]
    lines += _table(["class", "support", "precision", "recall", "F1"],
                    [[c["label"], c["support"], _pct(c["precision"]), _pct(c["recall"]),
                      _pct(c["f1"])] for c in test["per_class"]])
    lines += ["", "Confusion matrix (rows: true class, columns: predicted):", ""]
    lines += _table(["true \\ predicted", *classes],
                    [[c, *row] for c, row in zip(classes, test["confusion"], strict=True)])
    lines += ["", "## Calibration", "",
              f"Temperature scaling on the validation split: T = {cal['temperature']:.3f}. "
              f"Expected calibration error on the test split (10 bins): "
              f"{cal['ece_before']:.4f} before, **{cal['ece_after']:.4f} after**.", ""]
    lines += _table(["confidence", "images", "mean confidence", "accuracy"],
                    [[f"({b['low']:.1f}, {b['high']:.1f}]", b["count"],
                      "" if b["confidence"] is None else f"{b['confidence']:.3f}",
                      "" if b["accuracy"] is None else f"{b['accuracy']:.3f}"]
                     for b in cal["reliability"] if b["count"]])
    lines += _verdict_lines(card)
    lines += _robustness_lines(card)
    t = card["training"]
    lines += ["", "## Training run", "",
              f"Seed {t['seed']}, {t['epochs']} epochs (best: {t['best_epoch']}), batch "
              f"{t['batch_size']}, AdamW one-cycle lr {t['lr']}, width {t['width']}, "
              f"{t['parameters']:,} parameters. **{t['train_seconds']:.0f} s** on "
              f"{t['threads']} threads ({t['cpu_count']} CPUs); load average (1 min) during "
              f"training: {', '.join(str(x) for x in t['load_average_during'])}.", ""]
    lines += card.get("extra_markdown", [])
    lines += ["## Limitations", "",
              *card.get("limitations", [
                  "- Measured on one held-out split of the data named above; other "
                  "cameras, lighting and surfaces need their own validation.",
                  "- Heat maps show where the evidence for the class lies, at 1/8 of the "
                  "input resolution; they are not segmentations."]), ""]
    return "\n".join(lines)


def _verdict_lines(card: dict[str, Any]) -> list[str]:
    v = card["verdicts"]
    th = v["thresholds"]
    lines = ["", "## Verdict bands and human review", "",
             f"ok when score < {th['ok_below']}; ng when score ≥ {th['ng_at']} and the class "
             f"holds ≥ {th['class_min']} of it; otherwise **review** by a person (score = "
             f"1 − P(ok); 1 for a model without an ok class).", "",
             f"On the test split: ok {_pct(v['shares']['ok'])}, ng {_pct(v['shares']['ng'])}, "
             f"**review {_pct(v['shares']['review'])}**; accuracy of the images decided "
             f"without review: {_pct(v.get('accuracy_without_review'))}."]
    if "defective_judged_ok" in v:
        lines += ["", f"Defective parts judged ok (escapes): {_pct(v['defective_judged_ok'])}; "
                      f"good parts judged ng: {_pct(v['good_judged_ng'])}."]
    return lines


def _robustness_lines(card: dict[str, Any]) -> list[str]:
    if "robustness" not in card:
        return []
    rows = card["robustness"]
    with_recall = any(r.get("ng_recall") is not None for r in rows)
    head = ["corruption", "level", "accuracy", "Δ (points)", "to review",
            *(["defects caught"] if with_recall else [])]
    lines = ["", "## Robustness (test split, deployed ONNX model)", ""]
    lines += _table(head, [[r["corruption"], r["level"], _pct(r["accuracy"]),
                            f"{100 * r['delta']:+.1f}", _pct(r["review_share"]),
                            *([_pct(r.get("ng_recall"))] if with_recall else [])]
                           for r in rows])
    if card.get("adversarial"):
        lines += ["", "Adversarial robustness, FGSM on the 8-bit pixels (PyTorch weights "
                      "that were exported):", ""]
        lines += _table(["ε (gray levels)", "accuracy"],
                        [[f"{a['epsilon']:g}", _pct(a["accuracy"])] for a in card["adversarial"]])
    return lines


def write_card(out: Path, manifest: Manifest, card: dict[str, Any]) -> tuple[Path, Path]:
    """``model_card.json`` and ``model_card.md`` in ``out``."""
    json_path, md_path = out / "model_card.json", out / "model_card.md"
    body = {"model": manifest.name, "onnx_sha256": manifest.onnx_sha256, **card}
    json_path.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path.write_text(render_card(manifest, card), encoding="utf-8")
    return json_path, md_path
