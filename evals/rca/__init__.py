"""The root-cause analysis evaluation: ``python -m evals.rca`` (see docs/rca.md)."""
