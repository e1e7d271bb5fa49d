"""Andon's vision inspection service: ONNX inference with OpenCV preprocessing, verdicts
that explain themselves (class activation map, defect region, root-cause path), drift
statistics, and (in ``vision.train``, needing the ``vision-train`` extra) the trainer.

The service is separate from the rest of Andon: agents reach it through
``tools.vision_client`` (HTTP, or in-process when no URL is configured).
"""
