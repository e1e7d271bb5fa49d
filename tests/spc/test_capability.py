"""capability(): one-sided specifications, the within sigma of individuals and subgroups,
normality, warnings and the JSON shape (reference values: test_reference.py)."""

from __future__ import annotations

import numpy as np
import pytest

from tools.spc import capability, control_chart


def test_one_sided_spec_reports_what_it_cannot_compute(piston_table: np.ndarray) -> None:
    result = capability(subgroups=piston_table[:25], usl=74.05)
    assert result.cp is None and result.pp is None and result.cpl is None
    assert result.cpk == result.cpu and result.ppk == result.ppu
    assert result.cpk is not None and result.cpk_ci is not None
    assert result.cpk_ci[0] < result.cpk < result.cpk_ci[1]
    assert set(result.unsupported) == {"cp", "cpl", "cpm", "pp", "ppl", "ppm"}
    body = result.to_json()
    assert body["cp"] is None and body["cp_ci"] is None
    assert body["expected_below_lsl_pct"] is None


def test_within_sigma_is_the_control_chart_sigma(piston_table: np.ndarray) -> None:
    grouped = capability(subgroups=piston_table[:25], lsl=73.95, usl=74.05)
    xbar = control_chart("xbar-r", subgroups=piston_table[:25]).chart("xbar")
    assert grouped.sigma_within == xbar.sigma and grouped.subgroups == 25
    assert grouped.n == 125 and grouped.sigma_method == "uwave-r"
    values = piston_table[:25].ravel()
    single = capability(values, lsl=73.95, usl=74.05)
    imr = control_chart("imr", values).chart("i")
    assert single.sigma_within == imr.sigma and single.subgroups is None
    assert single.sigma_overall == pytest.approx(np.std(values, ddof=1))
    assert single.pp == pytest.approx(0.1 / (6 * np.std(values, ddof=1)))


def test_contract_fields_present(piston_table: np.ndarray) -> None:
    body = capability(subgroups=piston_table[:25], lsl=73.95, usl=74.05).to_json()
    for key in ("cp", "cpk", "pp", "ppk", "n", "mean", "sigma_within", "sigma_overall",
                "cp_ci", "cpk_ci", "pp_ci", "ppk_ci"):
        assert key in body
    assert len(body["ppk_ci"]) == 2 and body["ppk_ci"][0] < body["ppk"] < body["ppk_ci"][1]


def test_normality_check_flags_skewed_data() -> None:
    rng = np.random.default_rng(5)
    skewed = capability(rng.exponential(1.0, 200), usl=8)
    assert skewed.normality.normal is False
    assert any("not normal" in w for w in skewed.warnings)
    normal = capability(rng.normal(10, 1, 200), lsl=5, usl=15)
    assert normal.normality.normal is True
    assert normal.normality.shapiro_p is not None and normal.normality.anderson_p is not None
    assert not normal.warnings


def test_small_samples_and_off_spec_targets_warn() -> None:
    result = capability([9.8, 10.1, 10.0, 10.3, 9.9], lsl=9, usl=11, target=12)
    assert any("only 5 observations" in w for w in result.warnings)
    assert any("target lies outside" in w for w in result.warnings)
    assert result.cpm is not None and result.cp is not None and result.cpm < result.cp
