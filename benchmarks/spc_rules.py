"""SPC speed: X̄-R limits plus all eight Nelson rules over a million subgroups of 5.

    python -m benchmarks.spc_rules [--subgroups 1000000] [--loop-subgroups 100000] [--runs 5]

Times ``tools.spc.control_chart("xbar-r", subgroups, rules="nelson")`` (subgroup statistics,
limits, the eight Nelson rules on the X̄ chart and rules 1-4 on the R chart, the result
model) against a straightforward per-point Python loop doing the same work (subgroup
means and ranges, R̄/d2, limits, the same rules with qcc's flagging), measured in the same
run on the same data. The loop runs on the first ``--loop-subgroups`` subgroups and its
time is scaled linearly to the full size (it is linear: one pass per rule). Both must flag
exactly the same points on that subset. Prints and writes ``benchmarks/results/spc_rules.json``.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from benchmarks.results_file import write_results
from tools.spc import control_chart

D2_5 = 2.326          # qcc's d2 for n = 5
D3_5 = 0.8640855      # qcc's d3 for n = 5


def make_data(subgroups: int, seed: int = 7) -> np.ndarray:
    """Subgroups of 5 from N(74, 0.01) with a few shifts, trends and a mixture stretch,
    so that every rule fires somewhere."""
    rng = np.random.default_rng(seed)
    data = rng.normal(74.0, 0.01, size=(subgroups, 5))
    block = max(subgroups // 50, 40)
    for start in range(block, subgroups - block, 5 * block):
        data[start:start + 12] += 0.006                                    # shift: rules 2, 5, 6
        data[start + 20:start + 28] += np.linspace(0, 0.02, 8)[:, None]   # trend: rule 3
        sign = np.where(np.arange(16) % 2 == 0, 1.0, -1.0)
        data[start + 40:start + 56] += 0.008 * sign[:, None]              # rules 4 and 8
    return data


def loop_rules(values: list[float], center: list[float], lcl: list[float], ucl: list[float],
               se: list[float], floor: float, rules: tuple[int, ...]) -> dict[str, list[int]]:
    """Nelson rules one point at a time, as a person would write them (qcc's flagging)."""
    n = len(values)
    out: dict[str, list[int]] = {}

    def zone(i: int, k: float) -> tuple[float, float]:
        return max(floor, center[i] - k * se[i]), center[i] + k * se[i]

    if 1 in rules:
        out["nelson-1"] = [i + 1 for i in range(n) if values[i] > ucl[i] or values[i] < lcl[i]]
    if 2 in rules:
        flags, up, down = [], 0, 0
        for i in range(n):
            up = up + 1 if values[i] > center[i] else 0
            down = down + 1 if values[i] < center[i] else 0
            if up >= 9 or down >= 9:
                flags.append(i + 1)
        out["nelson-2"] = flags
    if 3 in rules:
        flags, inc, dec = [], 0, 0
        for i in range(1, n):
            inc = inc + 1 if values[i] > values[i - 1] else 0
            dec = dec + 1 if values[i] < values[i - 1] else 0
            if inc >= 5 or dec >= 5:
                flags.append(i + 1)
        out["nelson-3"] = flags
    if 4 in rules:
        flags, alt = [], 0
        for i in range(2, n):
            d1, d2 = values[i - 1] - values[i - 2], values[i] - values[i - 1]
            alt = alt + 1 if d1 * d2 < 0 else 0
            if alt >= 12:
                flags.append(i + 1)
        out["nelson-4"] = flags
    for rule, k, width, sig in ((5, 2, 3, 2.0), (6, 4, 5, 1.0)):
        if rule not in rules:
            continue
        flags = []
        for i in range(width - 1, n):
            above = below = 0
            for j in range(i - width + 1, i + 1):
                low, high = zone(j, sig)
                above += values[j] > high
                below += values[j] < low
            low, high = zone(i, sig)
            if (above >= k and values[i] > high) or (below >= k and values[i] < low):
                flags.append(i + 1)
        out[f"nelson-{rule}"] = flags
    if 7 in rules:
        flags, run = [], 0
        for i in range(n):
            low, high = zone(i, 1.0)
            run = run + 1 if low <= values[i] <= high else 0
            if run >= 15:
                flags.append(i + 1)
        out["nelson-7"] = flags
    if 8 in rules:
        flags = []
        for i in range(7, n):
            ok, up, down = True, False, False
            for j in range(i - 7, i + 1):
                low, high = zone(j, 1.0)
                ok = ok and (values[j] > high or values[j] < low)
                up, down = up or values[j] > high, down or values[j] < low
            if ok and up and down:
                flags.append(i + 1)
        out["nelson-8"] = flags
    return {rule: points for rule, points in out.items() if points}


def loop_xbar_r(data: np.ndarray) -> dict[str, dict[str, list[int]]]:
    """X̄-R chart with plain Python loops: statistics, limits, rules."""
    rows = data.tolist()
    means = [sum(row) / len(row) for row in rows]
    ranges = [max(row) - min(row) for row in rows]
    center = sum(means) / len(means)
    rbar = sum(ranges) / len(ranges)
    sigma = sum(r / D2_5 for r in ranges) / len(ranges)
    m = len(rows)
    se_x, se_r = sigma / 5 ** 0.5, D3_5 * sigma
    xbar = loop_rules(means, [center] * m, [center - 3 * se_x] * m, [center + 3 * se_x] * m,
                      [se_x] * m, float("-inf"), (1, 2, 3, 4, 5, 6, 7, 8))
    r = loop_rules(ranges, [rbar] * m, [max(0.0, rbar - 3 * se_r)] * m, [rbar + 3 * se_r] * m,
                   [se_r] * m, 0.0, (1, 2, 3, 4))
    return {"xbar": xbar, "r": r}


def vectorised(data: np.ndarray) -> dict[str, dict[str, list[int]]]:
    result = control_chart("xbar-r", subgroups=data, rules="nelson")
    return {c.name: {v.rule: v.points for v in c.violations} for c in result.charts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subgroups", type=int, default=1_000_000)
    parser.add_argument("--loop-subgroups", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    data = make_data(args.subgroups)
    vectorised(data[:1000])  # warm caches (imports, constants)
    times: list[float] = []
    for _ in range(args.runs):
        started = time.perf_counter()
        full = vectorised(data)
        times.append(time.perf_counter() - started)

    subset = data[:args.loop_subgroups]
    started = time.perf_counter()
    looped = loop_xbar_r(subset)
    loop_time = time.perf_counter() - started
    same = vectorised(subset) == looped
    if not same:
        raise SystemExit("the vectorised and the loop implementations flag different points")

    vector_s = statistics.median(times)
    loop_scaled = loop_time * args.subgroups / args.loop_subgroups
    figures: dict[str, object] = {
        "subgroups": args.subgroups, "subgroup_size": 5, "runs": args.runs,
        "vectorised_median_s": round(vector_s, 3),
        "vectorised_min_s": round(min(times), 3),
        "loop_subgroups": args.loop_subgroups,
        "loop_s_on_subset": round(loop_time, 2),
        "loop_scaled_to_full_s": round(loop_scaled, 1),
        "ratio_loop_to_vectorised": round(loop_scaled / vector_s, 1),
        "identical_flags_on_subset": same,
        "flagged_points_full": {chart: {rule: len(p) for rule, p in rules.items()}
                                for chart, rules in full.items()},
    }
    write_results("spc_rules", figures)


if __name__ == "__main__":
    main()
