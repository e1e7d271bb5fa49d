"""From ``units`` to alerts: statistics, holds, windows and episodes, all in window
functions over the units of each group ordered by (t, unit_id).

``pooled``  (rolling and time windows) the components summed, or their extremes taken,
            over the window: ROWS n-1 PRECEDING, or a RANGE frame over epoch microseconds
            for (t - hours, t]; (relative change) the mean of the previous 5 lots;
``moments`` the mean and standard deviation of characteristic sources;
``stats``   each condition's statistic (NULL before a rolling window is full);
``holds``   h = 1 where the combined conditions hold (a NULL statistic does not);
``marks``   the window rule over h (a sum over ROWS n-1 PRECEDING, the row number) and
            h of the unit n (or 1) back;
final       the units where the rule holds and did not hold at the previous unit.
"""

from __future__ import annotations

from sqlglot import exp

from tools.monitors.compiler.sql_parts import (
    add,
    alias,
    as_double,
    case,
    col,
    cte,
    flag,
    frame,
    number,
    over,
    sub,
    table,
    text,
)
from tools.monitors.compiler.statistics import (
    POOLED_BY,
    RELATIVE_CHANGE_LOTS,
    moments,
    relative_change,
    statistic,
)
from tools.monitors.compiler.units import UnitsPlan, component_column
from tools.monitors.spec import Comparator, MonitorSpec

_COMPARATORS: dict[Comparator, type[exp.Binary]] = {
    ">": exp.GT, ">=": exp.GTE, "<": exp.LT, "<=": exp.LTE, "==": exp.EQ, "!=": exp.NEQ}
MICROS_PER_HOUR = 3_600_000_000


def _order(alias_name: str) -> tuple[list[exp.Expr], list[exp.Expr]]:
    """PARTITION BY the group, ORDER BY time then unit id."""
    return ([col("grp", alias_name)],
            [col("t", alias_name), col("unit_id", alias_name)])


def _keys(alias_name: str, *extra: str) -> list[exp.Expr]:
    return [col(name, alias_name) for name in ("grp", "unit_id", "t", *extra)]


def _pooled_frame(spec: MonitorSpec) -> tuple[list[exp.Expr], list[exp.Expr],
                                               exp.WindowSpec]:
    partition, order = _order("u")
    window = spec.window
    if window.kind == "rolling":
        assert window.n is not None
        return partition, order, frame("ROWS", window.n - 1)
    assert window.hours is not None
    # (t - hours, t] on integer microseconds: hours - 1 us PRECEDING, peers included.
    span = round(window.hours * MICROS_PER_HOUR) - 1
    return partition, [col("e", "u")], frame("RANGE", span)


def _pooled_cte(spec: MonitorSpec, plan: UnitsPlan) -> exp.CTE | None:
    relative = _relative_sources(spec, plan)
    if not spec.window.pooled and not relative:
        return None
    query = exp.select(*_keys("u")).from_(table("units", "u"))
    if spec.window.pooled:
        # One named window, so each pooled component costs a few characters of SQL.
        partition, order, spec_frame = _pooled_frame(spec)
        named = exp.to_identifier("f")
        for source, names in plan.components.items():
            for name in sorted(names):
                column = col(component_column(source, name), "u")
                function = POOLED_BY[name]
                value = column if function is None else exp.Window(
                    this=function(this=column), alias=named.copy(), over="OVER")
                query = query.select(alias(value, component_column(source, name)))
        if spec.window.kind == "rolling":
            query = query.select(alias(exp.Window(this=exp.Count(this=exp.Star()),
                                                  alias=named.copy(), over="OVER"),
                                       "frame_units"))
        definition = over(named.copy(), partition, order, spec_frame)
        definition.set("over", None)
        query.set("windows", [definition])
        return cte("pooled", query)
    partition, order = _order("u")
    previous = frame("ROWS", RELATIVE_CHANGE_LOTS, 1)
    for source, names in plan.components.items():
        for name in sorted(names):
            query = query.select(col(component_column(source, name), "u"))
    for source in relative:
        value = col(component_column(source, "v"), "u")
        query = query.select(
            alias(over(exp.Avg(this=value), partition, order, previous.copy()),
                  f"prev{source}_mean"),
            alias(over(exp.Count(this=exp.Star()), partition, order, previous.copy()),
                  f"prev{source}_lots"))
    return cte("pooled", query)


def _moments_cte(spec: MonitorSpec, plan: UnitsPlan, source_table: str,
                 dialect: str) -> exp.CTE:
    """Every component, plus the mean and standard deviation of characteristic sources."""
    query = exp.select(*_keys("p")).from_(table(source_table, "p"))
    for source, names in plan.components.items():
        query = query.select(*(col(component_column(source, n), "p") for n in sorted(names)))
        if plan.measure_of_source[source] != "characteristic":
            continue

        def component(name: str, source: int = source) -> exp.Expr:
            return col(component_column(source, name), "p")

        derived = moments(names, component, pooled=spec.window.pooled, dialect=dialect)
        query = query.select(*(alias(value, component_column(source, name))
                               for name, value in derived.items()))
    for source in _relative_sources(spec, plan):
        query = query.select(col(f"prev{source}_mean", "p"), col(f"prev{source}_lots", "p"))
    if spec.window.kind == "rolling":
        query = query.select(col("frame_units", "p"))
    return cte("moments", query)


def _stats_cte(spec: MonitorSpec, plan: UnitsPlan) -> exp.CTE:
    query = exp.select(*_keys("w")).from_(table("moments", "w"))
    for index, condition in enumerate(spec.conditions):
        source = plan.source_of_condition[index]

        def component(name: str, source: int = source) -> exp.Expr:
            return col(component_column(source, name), "w")

        value: exp.Expr
        if condition.signal.statistic == "relative_change":
            value = relative_change(component("v"), col(f"prev{source}_mean", "w"),
                                    col(f"prev{source}_lots", "w"))
        else:
            value = statistic(condition.signal, component)
        if spec.window.kind == "rolling":
            assert spec.window.n is not None
            value = case((exp.EQ(this=col("frame_units", "w"),
                                 expression=number(spec.window.n)), value))
        query = query.select(alias(value, f"v{index}"))
    return cte("stats", query)


def _relative_sources(spec: MonitorSpec, plan: UnitsPlan) -> list[int]:
    return sorted({plan.source_of_condition[i] for i, c in enumerate(spec.conditions)
                   if c.signal.statistic == "relative_change"})


def _holds_cte(spec: MonitorSpec) -> exp.CTE:
    tests: list[exp.Expr] = [
        _COMPARATORS[c.comparator](this=col(f"v{i}", "s"), expression=number(c.threshold))
        for i, c in enumerate(spec.conditions)]
    combined = exp.and_(*tests) if spec.join == "and" else exp.or_(*tests)
    query = exp.select(*_keys("s", "v0"), alias(flag(combined), "h")).from_(
        table("stats", "s"))
    return cte("holds", query)


def _marks_cte(spec: MonitorSpec) -> exp.CTE:
    partition, order = _order("h")
    window = spec.window
    h = col("h", "h")
    lag = window.n if window.kind in ("consecutive", "k_of_n") else 1
    assert lag is not None
    back = exp.Coalesce(this=over(exp.Lag(this=h.copy(), offset=number(lag)), partition,
                                  order), expressions=[number(0)])
    query = exp.select(*_keys("h", "v0", "h"), alias(back, "back")).from_(
        table("holds", "h"))
    if window.kind in ("consecutive", "k_of_n"):
        assert window.n is not None
        run = over(exp.Sum(this=h.copy()), partition, order, frame("ROWS", window.n - 1))
        query = query.select(alias(run, "run"))
    if window.kind == "k_of_n":
        query = query.select(alias(over(exp.RowNumber(), partition, order), "rn"))
    return cte("marks", query)


def _fires(spec: MonitorSpec) -> exp.Expr:
    """full(u) and not full(previous unit), from the columns of ``marks``."""
    m = "m"
    window = spec.window
    back_clear = exp.EQ(this=col("back", m), expression=number(0))
    if window.kind == "consecutive":
        return exp.and_(exp.EQ(this=col("run", m), expression=number(window.n or 1)),
                        back_clear)
    if window.kind == "k_of_n":
        n, k = number(window.n or 1), number(window.k or 1)
        full_now = exp.and_(exp.GTE(this=col("rn", m), expression=n),
                            exp.GTE(this=col("run", m), expression=k))
        # The previous unit's window: this one's, less this unit, plus the unit n back.
        previous_run = add(sub(col("run", m), col("h", m)), col("back", m))
        full_before = exp.and_(exp.GT(this=col("rn", m), expression=n.copy()),
                               exp.GTE(this=previous_run, expression=k.copy()))
        return exp.and_(full_now, exp.Not(this=exp.Paren(this=full_before)))
    return exp.and_(exp.EQ(this=col("h", m), expression=number(1)), back_clear)


def alert_query(spec: MonitorSpec, plan: UnitsPlan, dialect: str
                ) -> tuple[exp.Select, tuple[str, ...]]:
    """The whole query (units CTEs included) and its output column names."""
    ctes = list(plan.ctes)
    pooled = _pooled_cte(spec, plan)
    if pooled is not None:
        ctes.append(pooled)
    ctes += [_moments_cte(spec, plan, "pooled" if pooled is not None else "units", dialect),
             _stats_cte(spec, plan), _holds_cte(spec), _marks_cte(spec)]
    columns: list[exp.Expr] = [alias(col("grp", "m"), plan.group_column)]
    names = [plan.group_column]
    name_key = group_name_key(spec)
    if name_key is not None:
        assert spec.group_characteristic is not None
        columns.append(alias(text(spec.group_characteristic), name_key))
        names.append(name_key)
    columns += [alias(col("unit_id", "m"), "unit_id"), alias(col("t", "m"), "at"),
                alias(as_double(col("v0", "m")), "value")]
    names += ["unit_id", "at", "value"]
    query = exp.select(*columns).from_(table("marks", "m")).where(_fires(spec)).order_by(
        col("grp", "m"), col("t", "m"), col("unit_id", "m"))
    query.set("with_", exp.With(expressions=ctes))
    return query, tuple(names)


def group_name_key(spec: MonitorSpec) -> str | None:
    """The alert group's second key: the name the conditions share, keyed by its kind."""
    if spec.group_characteristic is None:
        return None
    measure = spec.conditions[0].signal.measure
    return {"characteristic": "characteristic", "incoming": "characteristic",
            "parameter": "parameter", "defect_code": "defect_code"}.get(measure)
