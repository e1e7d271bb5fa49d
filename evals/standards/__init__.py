"""Standards retrieval evaluation (issue 6): ``python -m evals.standards``."""
