"""Training a surface-defect CNN on CPU and exporting it to ONNX (needs the ``vision-train``
extra: torch and onnx). ``train_model`` is the whole pipeline behind ``andon vision train``.
"""

from vision.train.pipeline import TrainConfig, TrainEvent, TrainResult, train_model

__all__ = ["TrainConfig", "TrainEvent", "TrainResult", "train_model"]
