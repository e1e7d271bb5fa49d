"""Run rules: data-driven cases, Minitab's K, severities, qcc's precedence, varying limits,
and agreement with a plain per-point loop on random data."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from benchmarks.spc_rules import loop_rules
from tests.spc.conftest import SPC_FIXTURES
from tools.spc import FrozenLimits, RuleSpec, control_chart, point_codes, resolve_rules
from tools.spc.rules import RuleInput, evaluate_rules

CASES = yaml.safe_load((SPC_FIXTURES / "rule_cases.yaml").read_text(encoding="utf-8"))["cases"]


def _standard(nsigmas: float = 3.0) -> FrozenLimits:
    """Centre 0, sigma 1: the individuals chart of qcc's rule tests."""
    return FrozenLimits(kind="imr", center=0.0, sigma=1.0, dispersion_center=1.128,
                        nsigmas=nsigmas)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_rule_case(case: dict) -> None:
    result = control_chart("imr", case["x"], limits=_standard(case.get("nsigmas", 3.0)),
                           rules=case["rules"])
    got = {v.rule: v.points for v in result.chart("i").violations}
    assert got == case["expect"]


def test_severity_defaults_and_overrides() -> None:
    rules = resolve_rules(["nelson-1", "nelson-2", RuleSpec(rule="nelson-3",
                                                            severity="violation")])
    assert [(r.rule, r.severity) for r in rules] == [
        ("nelson-1", "violation"), ("nelson-2", "warning"), ("nelson-3", "violation")]
    result = control_chart("imr", [0.5] * 9 + [4.0], limits=_standard(), rules="nelson")
    by_rule = {v.rule: v for v in result.chart("i").violations}
    assert by_rule["nelson-1"].severity == "violation"
    assert by_rule["nelson-2"].severity == "warning"
    assert by_rule["nelson-2"].points == [9, 10]


def test_custom_k_is_described() -> None:
    (rule,) = resolve_rules([RuleSpec(rule="nelson-2", k=7)])
    assert rule.description == "7 points in a row on one side"


def test_point_codes_follow_qcc_precedence() -> None:
    x = [2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 3.2]
    result = control_chart("imr", x, limits=_standard(), rules=["we-4", "we-3", "we-2"])
    assert point_codes(result.chart("i").violations, len(x)) == [None, None, 2, 2, 2, 2, 2, 2]


def _varying(values: list[float], se: list[float]) -> RuleInput:
    v, s = np.asarray(values), np.asarray(se)
    zero = np.zeros_like(v)
    return RuleInput(values=v, center=zero, lcl=-3 * s, ucl=3 * s, se=s,
                     floor=np.full_like(v, -np.inf), ceil=np.full_like(v, np.inf), nsigmas=3.0)


def test_window_end_reproduces_qcc_with_varying_limits() -> None:
    # zone A boundaries 4, 2, 2: the first point is beyond the last point's boundary only
    inp = _varying([2.5, 0.0, 2.5], [2.0, 1.0, 1.0])
    rules = resolve_rules(["nelson-5"])
    assert evaluate_rules(rules, inp) == []
    (qcc,) = evaluate_rules(rules, inp, window_end=True)
    assert qcc.points == [3]


def test_window_end_equals_point_mode_with_constant_limits() -> None:
    rng = np.random.default_rng(3)
    inp = _varying(list(rng.normal(0, 1.3, 500)), [1.0] * 500)
    rules = resolve_rules("nelson")
    assert evaluate_rules(rules, inp) == evaluate_rules(rules, inp, window_end=True)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("floor", [-np.inf, 0.0])
def test_vectorised_rules_equal_a_per_point_loop(seed: int, floor: float) -> None:
    rng = np.random.default_rng(seed)
    n = 3000
    se = rng.uniform(0.6, 1.4, n)                      # stair-step like limits
    values = rng.normal(0, 1, n) * se + np.repeat(rng.normal(0, 0.8, n // 50), 50) * se
    values[::97] += 3.5 * se[::97]
    center = np.zeros(n) if floor == -np.inf else np.full(n, 2.0)
    if floor == 0.0:
        values = np.abs(values) + 0.5
    lcl = np.maximum(center - 3 * se, floor)
    ucl = center + 3 * se
    inp = RuleInput(values=values, center=center, lcl=lcl, ucl=ucl, se=se,
                    floor=np.full(n, floor), ceil=np.full(n, np.inf), nsigmas=3.0)
    fast = {v.rule: v.points for v in evaluate_rules(resolve_rules("nelson"), inp)}
    slow = loop_rules(values.tolist(), center.tolist(), lcl.tolist(), ucl.tolist(), se.tolist(),
                      floor, (1, 2, 3, 4, 5, 6, 7, 8))
    assert fast == slow
    assert len(fast) >= 5  # the data make most rules fire
