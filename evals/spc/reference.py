"""Recompute every published qcc / Montgomery value with ``tools.spc`` and compare.

The cases live in ``tests/fixtures/spc/reference_cases.yaml``; the data sets and the
published values in ``tests/fixtures/spc/`` (copied from ../shared/data/spc-qcc with their
attribution). ``run_checks()`` returns one ``Check`` per compared value; the tests assert the
V, M and T ones, ``python -m evals.spc`` reports all of them (B included).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from tools.spc import (
    ChartResult,
    FrozenLimits,
    capability,
    control_chart,
    oc_xbar,
    overdispersion_test,
    point_codes,
)

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "spc"
DATA = FIXTURES / "qcc"
# name -> (value column, subgroup column, size column)
DATASETS: dict[str, tuple[str, str | None, str | None]] = {
    "pistonrings": ("diameter", "sample", None),
    "orangejuice": ("D", None, "size"),
    "orangejuice2": ("D", None, "size"),
    "circuit": ("x", None, "size"),
    "pcmanufact": ("x", None, "size"),
    "dyedcloth": ("x", None, "size"),
    "viscosity": ("viscosity", None, None),
    "antifreeze": ("water", None, None),
}


class Exact:
    """A result compared for equality (flagged points, counts, rule codes)."""

    def __init__(self, value: Any) -> None:
        self.value = value


@dataclass(frozen=True)
class Check:
    case: str
    path: str
    source: str
    expected: Any
    computed: Any
    tolerance: float | None
    ok: bool
    rel_dev: float | None
    precision: str = "exact"

    @property
    def values(self) -> int:
        """How many published values this check covers (1 per number, per flagged point)."""
        if isinstance(self.expected, list):
            return max(1, len(self.expected))
        return 1


@cache
def reference() -> dict[str, Any]:
    return json.loads((FIXTURES / "reference_values.json").read_text(encoding="utf-8"))


@cache
def cases() -> list[dict[str, Any]]:
    text = (FIXTURES / "reference_cases.yaml").read_text(encoding="utf-8")
    return list(yaml.safe_load(text)["cases"])


def ref_entry(path: str) -> Any:
    """The node at ``path`` (keys and list positions separated by ``/``)."""
    node: Any = reference()
    for part in path.split("/"):
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def _frame(name: str, args: dict[str, Any], entry: Any) -> pd.DataFrame:
    frame = pd.read_csv(DATA / f"{name}.csv")
    drop = args.get("drop_rows") or (ref_entry(args["drop_rows_from_ref"])
                                      if "drop_rows_from_ref" in args else None)
    if drop:
        frame = frame.drop(index=[r - 1 for r in drop]).reset_index(drop=True)
    if args.get("rows") == "trial":
        frame = frame[frame["trial"]].reset_index(drop=True)
    return frame


def _chart(args: dict[str, Any], entry: Any) -> ChartResult:
    options = dict(args.get("options", {}))
    exclude = args.get("exclude") or (entry.get(args["exclude_from_ref"])
                                      if "exclude_from_ref" in args else [])
    if "values_from_ref" in args:
        return control_chart(args["kind"], entry[args["values_from_ref"]],
                             sizes=args.get("size"), exclude=exclude, **options)
    frame = _frame(args["data"], args, entry)
    value, group, size = DATASETS[args["data"]]
    baseline = None
    if args.get("baseline") == "trial":
        trial = frame["trial"]
        baseline = int(frame.loc[trial, group].nunique()) if group else int(trial.sum())
    kwargs: dict[str, Any] = {"baseline": baseline, "exclude": exclude, **options}
    if group:
        return control_chart(args["kind"], frame[value], labels=list(frame[group]), **kwargs)
    sizes = frame[size] if size else None
    return control_chart(args["kind"], frame[value], sizes=sizes, **kwargs)


def _expand(spec: str) -> list[float]:
    out: list[float] = []
    for term in spec.split(" + "):
        values, count = term.rsplit("*", 1)
        out.extend([float(v) for v in values.split(",")] * int(count))
    return out


def _rules(args: dict[str, Any], entry: Any) -> ChartResult:
    x = _expand(args["x"]) if "x" in args else entry["x"]
    frozen = FrozenLimits(kind="imr", center=0.0, sigma=1.0, dispersion_center=1.128)
    return control_chart("imr", x, limits=frozen, rules=args["rules"])


def _capability(args: dict[str, Any], entry: Any) -> Any:
    frame = _frame(args["data"], args, entry)
    table = frame.pivot_table(index="sample", columns=frame.groupby("sample").cumcount(),
                              values="diameter").to_numpy()
    if args.get("spec_from_ref"):
        lsl, usl = entry["spec"]
        return capability(subgroups=table, lsl=lsl, usl=usl, target=entry.get("target"))
    return capability(subgroups=table, lsl=args["lsl"], usl=args["usl"])


def _t2(args: dict[str, Any], entry: Any) -> ChartResult:
    frame = pd.read_csv(DATA / f"{args['data']}.csv")
    cube = np.stack([frame.pivot(index="sample", columns="obs", values=v).to_numpy()
                     for v in ("X1", "X2")], axis=-1)
    return control_chart("t2", subgroups=cube)


def _oc(args: dict[str, Any], entry: Any) -> dict[float, Any]:
    return {shift: oc_xbar(shift, args["n"]) for shift in (0.0, 0.1, 0.2)}


def _overdispersion(args: dict[str, Any], entry: Any) -> Any:
    sizes = entry[args["size_from_ref"]] if "size_from_ref" in args else None
    return overdispersion_test(entry[args["values_from_ref"]], sizes, kind=args["kind"])


RECIPES = {"chart": _chart, "rules": _rules, "capability": _capability, "t2": _t2,
           "oc": _oc, "overdispersion": _overdispersion}


def _as_plain(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


def get(result: Any, expr: str) -> Any:
    """Evaluate a getter of reference_cases.yaml on a recipe's result."""
    if (m := re.fullmatch(r"list\((.+)\)", expr)):
        return [get(result, part.strip()) for part in m.group(1).split(",")]
    if (m := re.fullmatch(r"triple\((\w+)\)", expr)):
        return [getattr(result, m.group(1)), *getattr(result, m.group(1) + "_ci")]
    if (m := re.fullmatch(r"(beta|arl)\(([\d.]+)\)", expr)):
        return getattr(result[float(m.group(2))], m.group(1))
    if not isinstance(result, ChartResult):
        return getattr(result, expr)
    name, _, rest = expr.partition(".")
    chart = result.chart(name)
    if rest in ("center", "sigma", "lcl", "ucl"):
        return _as_plain(getattr(chart, rest))
    if rest == "count":
        return Exact(len(chart.flagged()))
    if rest == "flagged":
        return Exact(chart.flagged())
    if rest == "codes":
        return Exact(point_codes(chart.violations, np.asarray(chart.values).size))
    if rest.startswith("parameters."):
        return chart.parameters[rest.split(".", 1)[1]]
    if (m := re.fullmatch(r"limits\[(\d+)(?::(\d+))?\]", rest)):
        lcl = np.broadcast_to(np.asarray(chart.lcl), np.asarray(chart.values).shape)
        ucl = np.broadcast_to(np.asarray(chart.ucl), np.asarray(chart.values).shape)
        start = int(m.group(1))
        if m.group(2) is None:
            return [float(lcl[start]), float(ucl[start])]
        return [[float(lcl[i]), float(ucl[i])] for i in range(start, int(m.group(2)))]
    if (m := re.fullmatch(r"points\(([\w-]+)((?:,\w+)*)\)", rest)):
        return Exact(_points(result, chart, m.group(1), m.group(2).split(",")[1:]))
    raise ValueError(f"unknown getter {expr!r}")


def _points(result: ChartResult, chart: Any, rule: str, filters: list[str]) -> list[int]:
    points: list[int] = next((v.points for v in chart.violations if v.rule == rule), [])
    values = np.asarray(chart.values)
    center = np.broadcast_to(np.asarray(chart.center), values.shape)
    if "above" in filters:
        points = [p for p in points if values[p - 1] > center[p - 1]]
    if "below" in filters:
        points = [p for p in points if values[p - 1] < center[p - 1]]
    if "kept" in filters:
        points = [p for p in points if p not in result.excluded]
    return list(points)


def _decimals(value: float) -> int:
    text = repr(float(value))
    if "e" in text:
        mantissa, exponent = text.split("e")
        digits = len(mantissa.split(".")[1]) if "." in mantissa else 0
        return max(0, digits - int(exponent))
    return 0 if float(value).is_integer() else len(text.split(".")[1])


def tolerance(expected: float, precision: str) -> float:
    printed = 0.5 * 10.0 ** -_decimals(expected)
    if precision == "printed":
        return printed
    if precision.startswith("abs:"):
        return float(precision[4:])
    if precision.startswith("decimals:"):
        return min(printed, 0.5 * 10.0 ** -int(precision.split(":")[1]))
    if expected == 0:
        return 1e-12
    return min(printed, 0.5 * 10.0 ** (math.floor(math.log10(abs(expected))) - 6))


def _expected_value(raw: Any) -> Any:
    if isinstance(raw, str) and raw.lower().startswith("none"):
        return []
    return raw


def _precision(case: dict[str, Any], path: str) -> str:
    precision = case.get("precision", "printed" if case["source"] == "B" else "r7")
    if isinstance(precision, dict):
        key = path.rsplit(".", 1)[-1].split("[")[0]
        return str(precision.get(key, "r7"))
    return str(precision)


def _compare(case: dict[str, Any], path: str, expected: Any, computed: Any) -> list[Check]:
    source = case["source"]
    if isinstance(computed, Exact):
        exp = sorted(expected) if isinstance(expected, list) and None not in expected \
            else expected
        got = sorted(computed.value) if isinstance(computed.value, list) and \
            None not in computed.value else computed.value
        return [Check(case["id"], path, source, expected, computed.value, None, exp == got,
                      None)]
    if isinstance(expected, list):
        if not isinstance(computed, list) or len(computed) != len(expected):
            return [Check(case["id"], path, source, expected, computed, None, False, None)]
        out: list[Check] = []
        for i, (e, c) in enumerate(zip(expected, computed, strict=True)):
            out.extend(_compare(case, f"{path}[{i}]", e, c))
        return out
    precision = _precision(case, path)
    tol = tolerance(float(expected), precision)
    got = float(computed) if computed is not None else float("nan")
    diff = abs(got - float(expected))
    rel = diff / abs(float(expected)) if expected else None  # undefined at 0
    ok = diff <= tol * (1 + 1e-9) + 1e-15
    return [Check(case["id"], path, source, expected, got, tol, ok, rel, precision)]


def run_case(case: dict[str, Any]) -> list[Check]:
    entry = ref_entry(case["ref"])
    result = RECIPES[case["recipe"]](case.get("args", {}), entry)
    checks: list[Check] = []
    for key, expr in case["expect"].items():
        if "expected_value" in case:
            raw = case["expected_value"]
        else:
            raw = entry if key == "." else entry[key]
        path = case["ref"] if key == "." else f"{case['ref']}.{key}"
        checks.extend(_compare(case, path, _expected_value(raw), get(result, expr)))
    return checks


def run_checks(sources: str = "VMTB") -> list[Check]:
    return [check for case in cases() if case["source"] in sources
            for check in run_case(case)]

