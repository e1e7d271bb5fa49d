"""``andon vision serve|inspect|train|drift|report|generate``: the vision inspection service.

``inspect --json`` prints the shape of shared/spec/cli-contract.md. Without ``--url`` (or
``ANDON_VISION_URL``) the command runs the model in-process: ``--model DIR`` (or
``ANDON_VISION_MODEL``), else the shipped demo model. Heat maps and drift statistics go
to ``$ANDON_HOME/vision``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from server.cli import JsonOption, app, refusals, settings_for
from server.output import print_json, print_rows, stderr, stdout

vision_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                         help="Inspect surface images: verdicts with heat maps and causes.")
app.add_typer(vision_app, name="vision")

ModelOption = Annotated[Path | None, typer.Option(
    "--model", help="Model folder (manifest.json + model.onnx); default: ANDON_VISION_MODEL "
                    "or the shipped demo model.")]
UrlOption = Annotated[str | None, typer.Option(
    "--url", help="URL of a running `andon vision serve`; default: ANDON_VISION_URL, else "
                  "in-process.")]
DEFAULT_PORT = 8701


def _state_dir() -> Path:
    return settings_for().home / "vision"


def _model_dir(model: Path | None) -> Path | None:
    env = os.environ.get("ANDON_VISION_MODEL")
    return model or (Path(env) if env else None)


def _client(url: str | None, model: Path | None) -> Any:
    from tools.vision_client import VisionClient

    url = url or os.environ.get("ANDON_VISION_URL") or None
    return VisionClient(url, model_dir=_model_dir(model), state_dir=_state_dir())


@vision_app.command("serve")
def serve_command(model: ModelOption = None,
                  host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
                  port: Annotated[int, typer.Option(help="Port to listen on.")] = DEFAULT_PORT,
                  threads: Annotated[int, typer.Option(help="onnxruntime threads.")] = 2) -> None:
    """Start the vision service (its own FastAPI app; API docs at /docs)."""
    import uvicorn

    from vision.app import create_app
    from vision.loader import open_inspector

    with refusals(False):
        inspector = open_inspector(_model_dir(model), state_dir=_state_dir(), threads=threads)
    stdout.print(f"\n[bold]Andon vision is up:[/] http://{host}:{port}/v1/health  model "
                 f"{inspector.manifest.name} ({inspector.model.sha256[:12]}…); Ctrl-C stops\n")
    uvicorn.run(create_app(inspector), host=host, port=port, log_level="warning")


@vision_app.command("inspect")
def inspect_command(image: Annotated[Path, typer.Argument(help="Image file (PNG, JPEG, BMP, "
                                                                "TIFF).")],
                    model: ModelOption = None, url: UrlOption = None,
                    heatmap: Annotated[bool, typer.Option(help="Write the heat-map PNG.")]
                    = True, as_json: JsonOption = False) -> None:
    """One verdict: ok / ng / review, defect, score, heat map, region, likely causes."""
    with refusals(as_json):
        client = _client(url, model)
        try:
            result = client.inspect(image, heatmap=heatmap)
        finally:
            client.close()
        if as_json:
            print_json(result.model_dump(mode="json"))
            return
        colour = {"ok": "green", "ng": "red", "review": "yellow"}[result.verdict]
        stdout.print(f"[bold {colour}]{result.verdict.upper()}[/]  {result.image}: "
                     f"{result.defect_code or 'no defect'} (score {result.score:.3f}, class "
                     f"{result.class_score:.3f}) in {result.latency_ms:.1f} ms", highlight=False)
        if result.region:
            stdout.print(f"Region (x, y, w, h): {tuple(result.region)}")
        if result.heatmap:
            stdout.print(f"Heat map: {result.heatmap}", highlight=False)
        if result.root_cause_path:
            stdout.print("Likely root-cause path: " + " → ".join(
                step.name for step in result.root_cause_path), highlight=False)
        for item in result.suggested_compensation[:4]:
            stdout.print(f"  {item.kind}: {item.en}", highlight=False)
        for note in result.notes:
            stdout.print(f"[dim]Note: {note}[/]", highlight=False)


def _parse_codes(values: list[str]) -> dict[str, str]:
    from tools.errors import InvalidInput

    codes = {}
    for value in values:
        label, sep, code = value.partition("=")
        if not sep or not label or not code:
            raise InvalidInput(f"--code takes CLASS=CODE, not {value!r}.")
        codes[label.strip()] = code.strip()
    return codes


@vision_app.command("train")
def train_command(
    data: Annotated[Path, typer.Option("--data", help="Folder with one sub-folder per class, "
                                                      "or a CSV of image,label.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for model.onnx, manifest.json "
                                                    "and the model card.")],
    seed: Annotated[int, typer.Option(help="Seed of the split, initialisation and order.")] = 7,
    epochs: Annotated[int, typer.Option(help="Training epochs.")] = 14,
    width: Annotated[float, typer.Option(help="Channel width multiplier.")] = 1.0,
    size: Annotated[int, typer.Option(help="Model input side in pixels.")] = 200,
    ok_class: Annotated[str, typer.Option(help="Class meaning 'no defect'.")] = "ok",
    code: Annotated[list[str] | None, typer.Option(
        "--code", help="CLASS=DEFECT_CODE for a class whose name is not a known code.")] = None,
    process: Annotated[str | None, typer.Option(help="Process for root causes, e.g. "
                                                     "steel_rolling.")] = None,
    name: Annotated[str | None, typer.Option(help="Model name (default: the folder's).")]
    = None,
    robustness: Annotated[bool, typer.Option(help="Measure robustness for the card.")] = True,
    source: Annotated[str | None, typer.Option(help="How the model card names the data.")]
    = None,
    as_json: JsonOption = False,
) -> None:
    """Train the CNN (CPU, seeded), export it to ONNX and write its model card."""
    from server.context import progress_bar

    with refusals(as_json):
        try:
            import onnx  # noqa: F401
            import torch  # noqa: F401

            from vision.train import TrainConfig, TrainEvent, train_model
        except ImportError as exc:
            from tools.errors import InvalidInput

            raise InvalidInput(f"training needs the vision-train extra ({exc.name} is "
                               f"missing): pip install -e '.[vision-train]'.") from None
        config = TrainConfig(data=data, out=out, seed=seed, epochs=epochs, width=width,
                             size=size, ok_class=ok_class, codes=_parse_codes(code or []),
                             process=process, name=name, robustness=robustness,
                             source=source)
        with progress_bar("training") as bar:
            def report(event: TrainEvent) -> None:
                if event.kind == "step":
                    bar("steps", event.done, event.total)
                elif event.kind == "epoch":
                    stderr.print(f"epoch {event.done}/{event.total}: validation loss "
                                 f"{event.info['val_loss']:.4f}, accuracy "
                                 f"{event.info['val_accuracy']:.3f}", highlight=False)
                else:
                    stderr.print(f"[dim]{event.info['text']}[/]", highlight=False)

            result = train_model(config, progress=report)
        card = result.card
        summary = {"out": str(result.out), "onnx_sha256": result.manifest.onnx_sha256,
                   "classes": result.manifest.classes, "test_accuracy": card["test"]["accuracy"],
                   "per_class_recall": {c["label"]: c["recall"]
                                        for c in card["test"]["per_class"]},
                   "ece": card["calibration"]["ece_after"],
                   "review_share": card["verdicts"]["shares"]["review"],
                   "train_seconds": card["training"]["train_seconds"]}
        if as_json:
            print_json(summary)
            return
        stdout.print(f"Model written to {result.out} (sha256 {summary['onnx_sha256'][:16]}…): "
                     f"test accuracy {summary['test_accuracy']:.1%}, ECE {summary['ece']:.3f}, "
                     f"{summary['review_share']:.1%} to review, trained in "
                     f"{summary['train_seconds']:.0f} s. Card: {result.out / 'model_card.md'}",
                     highlight=False)


@vision_app.command("drift")
def drift_command(model: ModelOption = None, url: UrlOption = None,
                  day: Annotated[str | None, typer.Option(
                      help="UTC day YYYY-MM-DD (default: the latest with images).")] = None,
                  as_json: JsonOption = False) -> None:
    """Compare a day's images and scores with the training distribution (PSI, KS)."""
    with refusals(as_json):
        client = _client(url, model)
        try:
            report = client.drift(day)
        finally:
            client.close()
        if as_json:
            print_json(report.model_dump(mode="json"))
            return
        stdout.print(f"[bold]{report.status}[/]: {report.summary}", highlight=False)
        print_rows(["statistic", "training mean", "mean", "PSI", "KS D", "KS p", "status"],
                   [(f.name, f.reference_mean, f.current_mean, f.psi, f.ks_statistic,
                     f.ks_pvalue, f.status) for f in report.features])


@vision_app.command("report")
def report_command(
    data: Annotated[Path, typer.Option("--data", help="Labelled images (folder or CSV) in "
                                                      "the model's classes.")],
    model: ModelOption = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write the Markdown report here.")]
    = None,
    seed: Annotated[int, typer.Option(help="Seed of the noise corruption.")] = 0,
    as_json: JsonOption = False,
) -> None:
    """Robustness report: accuracy and review share under noise, blur, brightness,
    contrast, rotation and JPEG compression at stated levels."""
    from vision.loader import open_inspector
    from vision.report import robustness_report

    with refusals(as_json):
        inspector = open_inspector(_model_dir(model))
        report = robustness_report(inspector, data, seed=seed)
        if out is not None:
            out.write_text(report.markdown(), encoding="utf-8")
        if as_json:
            print_json(report.model_dump(mode="json"))
            return
        stdout.print(report.markdown(), highlight=False, markup=False)


@vision_app.command("generate")
def generate_command(
    out: Annotated[Path, typer.Option("--out", help="Folder for <class>/<image>.png.")],
    per_class: Annotated[int, typer.Option(help="Images per class.", min=1)] = 50,
    seed: Annotated[int, typer.Option(help="Seed of the generator.")] = 7,
    size: Annotated[int, typer.Option(help="Image side in pixels.", min=32)] = 200,
) -> None:
    """Write synthetic textured-surface defect images (the demo model's data)."""
    from vision.synth import CLASSES, generate_dataset

    with refusals(False):
        generate_dataset(out, per_class=per_class, seed=seed, size=size)
        stdout.print(f"{per_class * len(CLASSES)} images ({', '.join(CLASSES)}) in {out}",
                     highlight=False)
