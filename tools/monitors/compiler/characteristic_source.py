"""The samples of characteristic signals, aggregated once per batch (and name).

``char_specs``   the characteristics named by the conditions (of the parts in scope), with
                 their limits and a centre ``ctr`` per part and name (the nominal, else
                 the middle of the limits, else a limit, else 0);
``char_limits``  per part (and name): the limits, and the fact that the part has it;
``char_samples`` per batch (and name): the aggregates the statistics read.

With several characteristic names the three CTEs carry a ``name`` column and ``units``
joins them once per name; measurements are still scanned once.
"""

from __future__ import annotations

from sqlglot import exp

from tools.monitors.compiler.sql_parts import (
    add,
    alias,
    and_all,
    case,
    col,
    cte,
    div,
    flag,
    is_in,
    mul,
    number,
    over,
    sub,
    table,
    text,
)

SPECS, LIMITS, SAMPLES = "char_specs", "char_limits", "char_samples"


def _keys(alias_name: str, by_name: bool, first: str) -> list[exp.Expr]:
    keys: list[exp.Expr] = [col(first, alias_name)]
    return [*keys, col("name", alias_name)] if by_name else keys


def _specs(names: list[str], part_filters: list[exp.Expr]) -> exp.Select:
    by_name = len(names) > 1
    centre = exp.Coalesce(this=col("nominal", "c"), expressions=[
        div(add(col("lsl", "c"), col("usl", "c")), number(2)), col("usl", "c"),
        col("lsl", "c"), number(0)])
    named = (is_in(col("name", "c"), names) if by_name
             else exp.EQ(this=col("name", "c"), expression=text(names[0])))
    return exp.select(
        col("characteristic_id", "c"), *_keys("c", by_name, "part_id"), col("lsl", "c"),
        col("usl", "c"),
        alias(exp.Window(this=exp.Min(this=centre), partition_by=_keys("c", by_name, "part_id"),
                         over="OVER"), "ctr"),
    ).from_(table("characteristics", "c")).where(and_all([named, *part_filters]))


def _ranked_samples(by_name: bool) -> exp.Select:
    """Each sample with its rank and the count within its batch (for the median)."""
    batch = [col("batch_id", "m"), *([col("name", "ch")] if by_name else [])]
    return exp.select(
        *batch, col("value", "m"), col("lsl", "ch"), col("usl", "ch"), col("ctr", "ch"),
        alias(over(exp.RowNumber(), batch, [col("value", "m")]), "rn"),
        alias(exp.Window(this=exp.Count(this=exp.Star()), partition_by=[b.copy() for b in batch],
                         over="OVER"), "cnt"),
    ).from_(table("measurements", "m")).join(table(SPECS, "ch"), on=_same_characteristic())


def _same_characteristic() -> exp.Expr:
    return exp.EQ(this=col("characteristic_id", "ch"), expression=col("characteristic_id", "m"))


def _aggregates(value: exp.Expr, lsl: exp.Expr, usl: exp.Expr,
                ctr: exp.Expr) -> dict[str, exp.Expr]:
    out_of_spec = exp.or_(exp.LT(this=value.copy(), expression=lsl),
                          exp.GT(this=value.copy(), expression=usl))
    centred = sub(value.copy(), ctr)
    return {
        "n": exp.Count(this=exp.Star()), "mean": exp.Avg(this=value.copy()),
        "sd": exp.StddevSamp(this=value.copy()), "mn": exp.Min(this=value.copy()),
        "mx": exp.Max(this=value.copy()), "sx": exp.Sum(this=value.copy()),
        "oos": exp.Sum(this=flag(out_of_spec)), "s1": exp.Sum(this=centred),
        "s2": exp.Sum(this=mul(centred.copy(), centred.copy())),
    }


def _samples(by_name: bool, needs: set[str]) -> exp.Select:
    median = "md" in needs
    row = "ms" if median else "m"
    value = col("value", row)
    limits = [col(c, "ms" if median else "ch") for c in ("lsl", "usl", "ctr")]
    aggregates = _aggregates(value, *limits)
    if median:  # the middle value, or the mean of the two middle values
        rank, count = col("rn", "ms"), col("cnt", "ms")
        middle = exp.and_(exp.GTE(this=mul(number(2), rank), expression=count),
                          exp.LTE(this=mul(number(2), rank.copy()),
                                  expression=add(count.copy(), number(2))))
        aggregates["md"] = exp.Avg(this=case((middle, value.copy())))
    keys = [col("batch_id", row), *([col("name", "ms" if median else "ch")] if by_name else [])]
    query = exp.select(*keys, *(alias(aggregates[c], c) for c in sorted(needs)
                                if c in aggregates))
    if median:
        query = query.from_(exp.Subquery(this=_ranked_samples(by_name),
                                         alias=exp.TableAlias(this=exp.to_identifier("ms"))))
    else:
        query = query.from_(table("measurements", "m")).join(table(SPECS, "ch"),
                                                             on=_same_characteristic())
    return query.group_by(*(k.copy() for k in keys))


def characteristic_ctes(names: list[str], needs: set[str],
                        part_filters: list[exp.Expr]) -> list[exp.CTE]:
    """The three CTEs for the characteristic ``names`` (with ``needs``, the aggregates
    any of them reads), restricted by ``part_filters`` on ``c.part_id``."""
    by_name = len(names) > 1
    limits = exp.select(
        *_keys("ch", by_name, "part_id"), alias(exp.Max(this=col("lsl", "ch")), "lsl"),
        alias(exp.Min(this=col("usl", "ch")), "usl"),
    ).from_(table(SPECS, "ch")).group_by(*_keys("ch", by_name, "part_id"))
    return [cte(SPECS, _specs(names, part_filters)), cte(LIMITS, limits),
            cte(SAMPLES, _samples(by_name, needs))]


def join_condition(alias_name: str, key: str, unit_key: exp.Expr, name: str,
                   by_name: bool) -> exp.Expr:
    """``alias.key = unit_key`` (and ``alias.name = name`` with several names)."""
    same = exp.EQ(this=col(key, alias_name), expression=unit_key)
    if not by_name:
        return same
    return exp.and_(same, exp.EQ(this=col("name", alias_name), expression=text(name)))
