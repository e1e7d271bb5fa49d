"""control_chart behaviour: the JSON shape, phase I / II, frozen limits, iterative
exclusion, stair-step limits, EWMA / CUSUM arithmetic, T², grouping."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from tests.spc.conftest import load
from tools.errors import InvalidInput
from tools.spc import FrozenLimits, control_chart


def arr(value: object) -> np.ndarray:
    return np.asarray(value, dtype=float)


def test_json_has_the_cli_contract_shape(piston_table: np.ndarray) -> None:
    body = control_chart("xbar-r", subgroups=piston_table, baseline=25,
                         rules="nelson").to_json(points=False)
    assert (body["kind"], body["subgroups"], body["baseline"]) == ("xbar-r", 40, 25)
    xbar, r = body["charts"]
    assert {"name", "center", "lcl", "ucl", "sigma", "violations"} <= set(xbar)
    assert round(xbar["center"], 5) == 74.00118 and round(xbar["ucl"], 5) == 74.0143
    assert {"rule": "nelson-1", "points": [37, 38, 39]}.items() <= \
        next(v for v in xbar["violations"] if v["rule"] == "nelson-1").items()
    assert r["name"] == "r" and r["lcl"] == 0 and round(r["ucl"], 4) == 0.0481
    assert "values" not in xbar and "sizes" not in body
    assert {v["rule"] for v in r["violations"]} <= {"nelson-1", "nelson-2", "nelson-3",
                                                    "nelson-4"}


def test_frozen_limits_survive_json_and_judge_new_data(piston_table: np.ndarray) -> None:
    phase1 = control_chart("xbar-r", subgroups=piston_table, baseline=25, rules=["nelson-1"])
    approved = phase1.limits.approve(by="q.engineer", at=datetime(2026, 3, 2, tzinfo=UTC))
    loaded = FrozenLimits.model_validate_json(approved.model_dump_json())
    assert loaded == approved and loaded.approved_at is not None
    later = control_chart("xbar-r", subgroups=piston_table[25:], limits=loaded,
                          rules=["nelson-1"])
    assert later.baseline == 0 and later.subgroups == 15
    assert later.chart("xbar").ucl == phase1.chart("xbar").ucl
    assert later.chart("r").ucl == phase1.chart("r").ucl
    assert later.chart("xbar").flagged() == [37 - 25, 38 - 25, 39 - 25]
    with pytest.raises(InvalidInput):
        phase1.limits.approve(by="x", at=datetime(2026, 3, 2))  # noqa: DTZ001
    with pytest.raises(InvalidInput):
        control_chart("xbar-s", subgroups=piston_table, limits=loaded)


def test_frozen_limits_follow_new_subgroup_sizes() -> None:
    frame = load("orangejuice")
    trial = frame[frame["trial"]]
    frozen = control_chart("p", trial["D"], sizes=trial["size"]).limits
    later = control_chart("p", [5, 5], sizes=[50, 200], limits=frozen)
    lcl, ucl = later.chart("p").array("lcl"), later.chart("p").array("ucl")
    pbar = frozen.center
    assert pbar is not None
    assert np.allclose(ucl, pbar + 3 * np.sqrt(pbar * (1 - pbar) / np.array([50, 200])))
    assert np.allclose(lcl, np.maximum(0, pbar - 3 * np.sqrt(pbar * (1 - pbar)
                                                              / np.array([50, 200]))))


def test_stair_step_limits_for_varying_sizes() -> None:
    cloth = load("dyedcloth")
    chart = control_chart("u", cloth["x"], sizes=cloth["size"]).chart("u")
    ubar = cloth["x"].sum() / cloth["size"].sum()
    assert chart.center == pytest.approx(ubar)
    assert np.allclose(chart.array("ucl"), ubar + 3 * np.sqrt(ubar / cloth["size"]))
    assert np.allclose(chart.array("lcl"),
                       np.maximum(0, ubar - 3 * np.sqrt(ubar / cloth["size"])))
    dumped = chart.model_dump(mode="json")
    assert isinstance(dumped["ucl"], list) and len(dumped["ucl"]) == 10
    np_chart = control_chart("np", [3, 4, 5], sizes=[50, 60, 50]).chart("np")
    assert np.allclose(np_chart.array("center"), np.array([50, 60, 50]) * 12 / 160)


def test_missing_observations_make_variable_subgroups(piston_table: np.ndarray) -> None:
    table = piston_table[:25].copy()
    table[1, 3:] = np.nan
    chart = control_chart("xbar-r", subgroups=table).chart("xbar")
    assert isinstance(chart.ucl, np.ndarray)
    ucl, center = chart.array("ucl"), chart.array("center")
    assert ucl[1] - center[1] == pytest.approx((ucl[0] - center[0]) * np.sqrt(5 / 3))


def test_excluded_subgroups_stay_on_the_chart() -> None:
    frame = load("orangejuice")
    trial = frame[frame["trial"]]
    result = control_chart("p", trial["D"], sizes=trial["size"], exclude=[15, 23])
    assert result.excluded == [15, 23]
    assert result.chart("p").array("values").size == 30
    assert result.limits.excluded == [15, 23]


def test_iterative_exclusion_until_no_phase1_point_is_beyond() -> None:
    frame = load("orangejuice")
    trial = frame[frame["trial"]]
    result = control_chart("p", trial["D"], sizes=trial["size"], iterate=True,
                           rules=["we-1"])
    assert {15, 23} <= set(result.excluded)
    chart = result.chart("p")
    kept = [p for p in chart.flagged() if p not in result.excluded]
    assert kept == []
    again = control_chart("p", trial["D"], sizes=trial["size"], exclude=result.excluded)
    assert again.chart("p").center == chart.center
    assert result.notes


def test_labels_keep_their_first_appearance_order() -> None:
    values = [10, 11, 1, 2, 10.5, 1.5]
    result = control_chart("xbar-r", values, labels=["b", "b", "a", "a", "b", "a"])
    assert result.chart("xbar").array("values").tolist() == [10.5, 1.5]


def test_exact_constants_move_sigma_in_the_fifth_digit(piston_table: np.ndarray) -> None:
    qcc = control_chart("xbar-r", subgroups=piston_table[:25]).limits.sigma
    exact = control_chart("xbar-r", subgroups=piston_table[:25], constants="exact").limits.sigma
    assert qcc is not None and exact is not None
    assert qcc == pytest.approx(0.02276 / 2.326)
    assert exact / qcc - 1 == pytest.approx(2.326 / 2.3259289 - 1, rel=1e-3)


def test_ewma_recursion_and_phase2(piston_table: np.ndarray) -> None:
    result = control_chart("ewma", subgroups=piston_table, baseline=25, ewma_lambda=0.3)
    chart = result.chart("ewma")
    means = piston_table.mean(axis=1)
    center = result.limits.center
    assert center is not None
    z, expected = center, []
    for x in means:
        z = 0.3 * x + 0.7 * z
        expected.append(z)
    assert np.allclose(arr(chart.values), expected, rtol=0, atol=1e-12)
    ucl, lcl = arr(chart.ucl), arr(chart.lcl)
    beyond = [i + 1 for i, v in enumerate(expected) if v > ucl[i] or v < lcl[i]]
    assert chart.flagged() == beyond and beyond
    assert result.limits.ewma_lambda == 0.3
    fresh = control_chart("ewma", subgroups=piston_table[25:], limits=result.limits)
    first = 0.3 * means[25] + 0.7 * center
    assert arr(fresh.chart("ewma").values)[0] == pytest.approx(first)


def test_cusum_closed_form_equals_the_recursion() -> None:
    rng = np.random.default_rng(11)
    x = np.concatenate([rng.normal(10, 1, 60), rng.normal(11, 1, 40)])
    result = control_chart("cusum", x, baseline=60, cusum_head_start=1.0)
    chart = result.chart("cusum")
    center, sigma = result.limits.center, result.limits.sigma
    assert center is not None and sigma is not None
    pos = neg = 1.0
    ups, downs = [], []
    for value in x:
        z = (value - center) / sigma
        pos = max(0.0, pos + z - 0.5)
        neg = max(0.0, neg - z - 0.5)
        ups.append(pos)
        downs.append(-neg)
    assert np.allclose(arr(chart.values), ups, atol=1e-9)
    assert np.allclose(arr(chart.lower_values), downs, atol=1e-9)
    upper = next(v.points for v in chart.violations if v.rule == "cusum-upper")
    assert upper == [i + 1 for i, v in enumerate(ups) if v > 5]


def test_t2_phase2_uses_the_prediction_limit() -> None:
    frame = load("RyanMultivar")
    cube = np.stack([frame.pivot(index="sample", columns="obs", values=v).to_numpy()
                     for v in ("X1", "X2")], axis=-1)
    result = control_chart("t2", subgroups=cube, baseline=15)
    chart = result.chart("t2")
    params = chart.parameters
    assert np.all(arr(chart.ucl)[:15] == params["ucl_phase1"])
    assert np.all(arr(chart.ucl)[15:] == params["upl_phase2"])
    assert params["upl_phase2"] > params["ucl_phase1"]
    later = control_chart("t2", subgroups=cube[15:], limits=result.limits)
    assert np.allclose(arr(later.chart("t2").values), arr(chart.values)[15:])


def test_t2_individuals_follow_tracy_mason_young() -> None:
    from scipy import stats

    boiler = load("boiler").to_numpy(dtype=float)
    chart = control_chart("t2", boiler, t2_confidence=0.999).chart("t2")
    m, p = boiler.shape
    assert chart.ucl == pytest.approx((m - 1) ** 2 / m
                                      * stats.beta.ppf(0.999, p / 2, (m - p - 1) / 2))
    centred = boiler - boiler.mean(axis=0)
    inv = np.linalg.inv(np.cov(boiler, rowvar=False))
    assert np.allclose(arr(chart.values), np.einsum("ij,jk,ik->i", centred, inv, centred))


def test_individuals_exclusion_joins_neighbours() -> None:
    frame = load("viscosity")
    trial = frame[frame["trial"]]["viscosity"].to_numpy()
    result = control_chart("imr", trial, exclude=[4])
    reduced = np.delete(trial, 3)
    mrbar = result.limits.dispersion_center
    assert mrbar is not None
    assert mrbar == pytest.approx(np.mean(np.abs(np.diff(reduced))))
    assert np.isnan(arr(result.chart("mr").values)[0])
    assert result.chart("mr").model_dump(mode="json")["values"][0] is None
    assert result.chart("mr").ucl == pytest.approx(3.2673 * mrbar, rel=1e-4)


def test_data_frame_columns_are_accepted() -> None:
    frame = pd.DataFrame({"v": [1.0, 2.0, 1.5, 1.7], "g": [1, 1, 2, 2]})
    result = control_chart("xbar-s", frame["v"], labels=frame["g"].tolist())
    assert result.subgroups == 2
