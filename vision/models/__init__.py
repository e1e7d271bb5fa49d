"""Models shipped with Andon. ``demo/``: trained on the project's own synthetic surface
defects (vision.synth), small enough to commit; its ONNX file is pinned here.

Rebuild it (docs/vision.md): ``andon vision generate --out DIR --per-class 300 --seed 7``
then ``andon vision train --data DIR --out vision/models/demo --seed 7 --width 0.75
--epochs 40 --name andon-demo-surface --process steel_rolling``, and update the pin below.
"""

from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent / "demo"
DEMO_ONNX_SHA256 = "72206a09d7c13d39e91d0d378e609367221fd188dfba4497445149d6515f6953"
