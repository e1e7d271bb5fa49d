"""Statistics as expressions over per-unit components (docs/monitors.md, "Statistics of
one unit" and "Windows").

Each source of a signal contributes *components* per unit: sums, counts, extremes and the
direct statistics of one unit. A statistic of one unit reads them as they are; a pooled
statistic reads their window sums (see ``POOLED_BY``), so pooling never revisits the raw
rows. The pooled standard deviation uses sums of values centred on the characteristic's
nominal (``s1`` = sum of x - c, ``s2`` = sum of (x - c)^2), which keeps the subtraction
``s2 - s1^2 / n`` well conditioned.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from tools.monitors.compiler.sql_parts import case, mul, number, ratio, sub
from tools.monitors.spec import Signal

Component = Callable[[str], exp.Expr]
"""Gives the column holding a named component of the signal's source."""

RELATIVE_CHANGE_LOTS = 5
"""A lot's relative change compares it with the mean of this many previous lots."""

# How each component is pooled over a window (lsl and usl are constant in a group).
POOLED_BY: dict[str, type[exp.AggFunc] | None] = {
    "n": exp.Sum, "sx": exp.Sum, "s1": exp.Sum, "s2": exp.Sum, "oos": exp.Sum,
    "mn": exp.Min, "mx": exp.Max, "qd": exp.Sum, "qp": exp.Sum, "q": exp.Sum,
    "np": exp.Sum, "ni": exp.Sum, "count": exp.Sum, "lsl": None, "usl": None,
}


def _stdev_components(pooled: bool, dialect: str) -> set[str]:
    # SQLite has no STDDEV_SAMP: it takes the centred-sum formula, like pooled windows.
    return {"n", "s1", "s2", "mn", "mx"} if pooled or dialect == "sqlite" else {"sd"}


def components_needed(signal: Signal, *, pooled: bool, dialect: str) -> set[str]:
    """The components of its source a signal's statistic is computed from."""
    stat = signal.statistic
    if signal.measure == "characteristic":
        mean = {"sx", "n"} if pooled else {"mean"}
        needs: dict[str, set[str]] = {
            "mean": mean, "stdev": _stdev_components(pooled, dialect), "range": {"mn", "mx"},
            "min": {"mn"}, "max": {"mx"}, "median": {"md"}, "count": {"n"},
            "out_of_spec_rate": {"oos", "n"},
            "cpk": mean | _stdev_components(pooled, dialect) | {"lsl", "usl"},
        }
        return needs[stat]
    if signal.measure == "batch":
        return {"qd"} if stat == "qty_defective" else {"qd", "qp"}
    if signal.measure == "defect_code":
        return {"q"}
    if signal.measure == "incoming":
        return {"np", "ni"} if stat == "pass_rate" else {"v"}
    if signal.measure == "complaints":
        return {"count"}
    return {"v"}  # parameter


def stdev_from_sums(n: exp.Expr, s1: exp.Expr, s2: exp.Expr,
                    low: exp.Expr, high: exp.Expr) -> exp.Expr:
    """Sample standard deviation from count and centred sums; exactly 0 when every value
    is equal (rounding cannot leave a tiny positive variance) and NULL below 2 values."""
    variance = exp.Div(this=exp.Paren(this=sub(s2, exp.Div(this=mul(s1, s1.copy()),
                                                            expression=n))),
                       expression=exp.Paren(this=sub(n.copy(), number(1))))
    clamped = case((exp.GT(this=variance, expression=number(0)), variance.copy()),
                   default=number(0))
    spread = case((exp.EQ(this=high, expression=low), number(0)),
                  default=exp.Sqrt(this=clamped))
    return case((exp.GTE(this=n.copy(), expression=number(2)), spread))


def cpk(mean: exp.Expr, stdev: exp.Expr, lsl: exp.Expr,
        usl: exp.Expr) -> exp.Expr:
    """min(usl - mean, mean - lsl) / (3 stdev); one-sided when a limit is NULL, NULL when
    both are, or when stdev is NULL or 0."""
    upper = sub(usl, mean)
    lower = sub(mean.copy(), lsl)
    nearest = case((exp.Is(this=usl.copy(), expression=exp.Null()), lower),
                   (exp.Is(this=lsl.copy(), expression=exp.Null()), upper),
                   (exp.LT(this=upper.copy(), expression=lower.copy()), upper.copy()),
                   default=lower.copy())
    return case((exp.GT(this=stdev, expression=number(0)),
                 exp.Div(this=nearest, expression=exp.Paren(this=mul(number(3),
                                                                     stdev.copy())))))


def moments(components: set[str], c: Component, *, pooled: bool, dialect: str
            ) -> dict[str, exp.Expr]:
    """A characteristic source's mean (``mu``) and standard deviation (``sigma``) from its
    components, where they are among them; computed once, read by several statistics."""
    result: dict[str, exp.Expr] = {}
    if "mean" in components or "sx" in components:
        result["mu"] = ratio(c("sx"), c("n")) if pooled else c("mean")
    if "sd" in components or "s2" in components:
        result["sigma"] = (stdev_from_sums(c("n"), c("s1"), c("s2"), c("mn"), c("mx"))
                           if pooled or dialect == "sqlite" else c("sd"))
    return result


def _characteristic(stat: str, c: Component) -> exp.Expr:
    simple: dict[str, Callable[[], exp.Expr]] = {
        "mean": lambda: c("mu"),
        "stdev": lambda: c("sigma"),
        "range": lambda: sub(c("mx"), c("mn")),
        "min": lambda: c("mn"),
        "max": lambda: c("mx"),
        "median": lambda: c("md"),
        "count": lambda: c("n"),
        "out_of_spec_rate": lambda: ratio(c("oos"), c("n")),
        "cpk": lambda: cpk(c("mu"), c("sigma"), c("lsl"), c("usl")),
    }
    return simple[stat]()


def statistic(signal: Signal, c: Component) -> exp.Expr:
    """The signal's statistic of one unit (or pooled over its window) from its components
    (pooled already, if pooled) and, for characteristics, their ``moments``.

    ``relative_change`` is not here: it needs the previous lots (see ``relative_change``).
    """
    stat = signal.statistic
    if signal.measure == "characteristic":
        return _characteristic(stat, c)
    if signal.measure == "batch":
        if stat == "qty_defective":
            return c("qd")
        rate = ratio(c("qd"), c("qp"))
        return sub(number(1), rate) if stat == "yield" else rate
    if signal.measure == "defect_code":
        return c("q")
    if signal.measure == "incoming" and stat == "pass_rate":
        return ratio(c("np"), c("ni"))
    if signal.measure == "complaints":
        return c("count")
    return c("v")


def relative_change(value: exp.Expr, previous_mean: exp.Expr,
                    previous_lots: exp.Expr) -> exp.Expr:
    """|value - m| / |m| once the previous lots are all there; NULL otherwise or if m = 0."""
    change = exp.Div(this=exp.Abs(this=sub(value, previous_mean)),
                     expression=exp.Nullif(this=exp.Abs(this=previous_mean.copy()),
                                           expression=number(0)))
    return case((exp.EQ(this=previous_lots, expression=number(RELATIVE_CHANGE_LOTS)), change))
