"""Root-cause analysis with cited evidence (issue 5).

``investigate(question, db=..., catalog=...) -> RcaResult``: the problem located from the
question (English or Chinese), when it changed (ruptures), candidate causes gathered from
the plant data through the SQL guard and scored on the data, their timing and the
knowledge graph's prior, with evidence (claim, query, rows), a narrative citing it,
actions and clauses. ``check_numbers(narrative, evidence)`` lists the numbers of a
narrative that no evidence holds. See docs/rca.md.
"""

from tools.rca.investigate import default_policy, investigate
from tools.rca.locate import locate
from tools.rca.models import (
    CAUSE_KINDS,
    Cause,
    CauseRef,
    Evidence,
    Problem,
    ProblemSpec,
    RcaResult,
    TimeHint,
)
from tools.rca.numbercheck import check_numbers

__all__ = [
    "CAUSE_KINDS",
    "Cause",
    "CauseRef",
    "Evidence",
    "Problem",
    "ProblemSpec",
    "RcaResult",
    "TimeHint",
    "check_numbers",
    "default_policy",
    "investigate",
    "locate",
]
