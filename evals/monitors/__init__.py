"""The monitor evaluation suite (issue 3): a bilingual dataset of monitoring requests, an
independent pandas reference evaluator of monitors, and the scorer that holds the reader
and the compiled SQL to them. Run it with ``python -m evals.monitors``; see evals/README.md.

- ``load_cases(split=...)``: the dataset as validated ``Case``s (split ``main``:
  evals/datasets/monitors*.yaml; ``heldout``: heldout_*.yaml; ``all``);
- ``reference_alerts(spec, url)``: a monitor's alerts computed in plain pandas/numpy;
- ``evals.monitors.runner.run_evaluation(RunOptions(...))``: the whole run (an
  ``EvalReport``), written out by ``evals.monitors.report``.
"""

from evals.monitors.dataset import Case, load_cases
from evals.monitors.reference import reference_alerts, reference_traces

__all__ = ["Case", "load_cases", "reference_alerts", "reference_traces"]
