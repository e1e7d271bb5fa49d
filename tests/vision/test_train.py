"""Training is reproducible from a seed; the export yields logits and the CAM; the card
holds what regulators ask for."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from vision.labelled import discover, from_csv, load_arrays, stratified_split  # noqa: E402
from vision.synth import CLASSES, generate, generate_dataset  # noqa: E402
from vision.train.loop import LoopConfig, train_loop  # noqa: E402


def tiny_data(seed: int) -> tuple[np.ndarray, np.ndarray]:
    images = np.stack([generate(k, seed + i, size=48).image for k in CLASSES[:3]
                       for i in range(6)])
    labels = np.repeat(np.arange(3), 6)
    return images, labels


def weights(seed: int) -> list[np.ndarray]:
    train, val = tiny_data(1), tiny_data(500)
    result = train_loop(3, train, val, LoopConfig(epochs=2, batch_size=6, width=0.25,
                                                  seed=seed, threads=1))
    return [p.detach().numpy().copy() for p in result.net.state_dict().values()]


def test_same_seed_same_weights_other_seed_other_weights() -> None:
    first, second, other = weights(3), weights(3), weights(4)
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))
    assert not all(np.array_equal(a, b) for a, b in zip(first, other, strict=True))


def test_net_logits_are_the_mean_of_the_cam_plus_bias() -> None:
    from vision.train.net import SurfaceNet

    net = SurfaceNet(4, width=0.25).eval()
    logits, cam = net(torch.randn(2, 1, 64, 64))
    assert cam.shape == (2, 4, 8, 8)
    assert torch.allclose(logits, cam.mean(dim=(2, 3)) + net.bias, atol=1e-6)


def test_split_is_stratified_and_seeded(tmp_path: Path) -> None:
    generate_dataset(tmp_path, per_class=20, seed=1, size=40)
    items = discover(tmp_path)
    train, _, test = stratified_split(items, (0.7, 0.15, 0.15), seed=2)
    assert len(train) == 14 * len(CLASSES) and len(test) == 3 * len(CLASSES)
    assert {i.label for i in test} == set(CLASSES)
    again = stratified_split(items, (0.7, 0.15, 0.15), seed=2)
    assert [i.path for i in again[2]] == [i.path for i in test]
    assert not {i.path for i in train} & {i.path for i in test}
    images, labels = load_arrays(test, sorted(CLASSES), (32, 32))
    assert images.shape == (len(test), 32, 32) and labels.max() < len(CLASSES)


def test_csv_lists_images_relative_to_itself(tmp_path: Path) -> None:
    generate_dataset(tmp_path, per_class=1, seed=1, size=40)
    csv = tmp_path / "labels.csv"
    csv.write_text("path,class\n" + "".join(f"{k}/{k}_0000.png,{k}\n" for k in CLASSES))
    items = from_csv(csv)
    assert [i.label for i in items] == list(CLASSES) and all(i.path.is_file() for i in items)


def test_train_model_writes_a_verified_model_and_a_card(tmp_path: Path) -> None:
    from vision.loader import open_inspector
    from vision.train import TrainConfig, train_model

    generate_dataset(tmp_path / "data", per_class=8, seed=2, size=48)
    config = TrainConfig(data=tmp_path / "data", out=tmp_path / "model", seed=1, epochs=1,
                         width=0.25, size=48, threads=1)
    result = train_model(config)
    card = json.loads((tmp_path / "model" / "model_card.json").read_text())
    for key in ("data", "test", "calibration", "verdicts", "robustness", "adversarial",
                "training"):
        assert key in card
    assert card["data"]["distribution"]["train"]["ok"] == 6
    assert len(card["robustness"]) == 16 and card["robustness"][0]["corruption"].startswith(
        "none")
    assert sum(sum(row) for row in card["test"]["confusion"]) == card["test"]["n"]
    text = (tmp_path / "model" / "model_card.md").read_text()
    for heading in ("Training data distribution", "Confusion matrix", "Calibration",
                    "human review", "Robustness", "FGSM"):
        assert heading in text
    assert result.manifest.defect_codes["pitted_surface"] == "pitted_surface"
    assert set(result.manifest.reference) >= {"brightness", "contrast", "sharpness", "score"}
    inspector = open_inspector(tmp_path / "model")
    (pred,) = inspector.predict([generate("crack", 1, size=48).image])
    assert pred.heat.shape == (48, 48)


def test_unknown_class_names_need_a_code(tmp_path: Path) -> None:
    from tools.errors import InvalidInput
    from vision.train import TrainConfig, train_model

    generate_dataset(tmp_path / "data", per_class=4, seed=2, size=40)
    (tmp_path / "data" / "crack").rename(tmp_path / "data" / "hairline")
    config = TrainConfig(data=tmp_path / "data", out=tmp_path / "m", epochs=1, size=40)
    with pytest.raises(InvalidInput, match="--code hairline=CODE"):
        train_model(config)
    config = config.model_copy(update={"codes": {"hairline": "crack"}, "width": 0.25,
                                       "robustness": False})
    assert train_model(config).manifest.defect_codes["hairline"] == "crack"
