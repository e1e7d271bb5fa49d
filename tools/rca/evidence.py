"""Evidence: for the problem and each reported cause, claims backed by guarded queries.

Every group query is run through the SQL guard and its rows are kept with the claim; the
numbers a claim prints are taken from those rows (tests computed on the same units, such
as Mann-Whitney p-values, are named as such).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from sqlglot import exp

from tools.catalog import Catalog
from tools.monitors.compiler.sql_parts import col, text
from tools.rca.analysis import Analysis
from tools.rca.candidates import ENTITY_COLUMNS, Candidate
from tools.rca.conditions import (
    condition,
    kruskal_in_period,
    rounded_cut,
    spearman,
    split_point,
)
from tools.rca.data import PlantReader, stamp
from tools.rca.models import Evidence
from tools.rca.scoring import Ranked
from tools.rca.sqlparts import UnitSource, between, group_query, labelled, u
from tools.rca.wording import Numbers, Words, capital, day, days_between, minute, p_value

Rows = dict[str, list[Any]]


class EvidenceBuilder:
    """Writes the evidence of one analysis in one language."""

    def __init__(self, analysis: Analysis, reader: PlantReader, catalog: Catalog,
                 words: Words) -> None:
        self.a, self.reader, self.catalog, self.w = analysis, reader, catalog, words
        units = analysis.units
        self.numbers = Numbers(analysis.spec, units["y"].to_numpy(dtype=float))
        parts = [analysis.part_id] if analysis.part_id else analysis.parts_considered
        spec = analysis.spec
        self.source = UnitSource(
            spec=spec, part_ids=parts, material=analysis.material,
            since=units["started_at"].min().to_pydatetime(),
            until=units["started_at"].max().to_pydatetime() + dt.timedelta(seconds=1),
            characteristic_ids=[c.characteristic_id for c in catalog.characteristics
                                if c.name == spec.target and c.part_id in parts])
        self.unit = spec.unit or self._unit()
        self.score = units["z"].to_numpy(dtype=float)
        self.count = 0

    def _unit(self) -> str:
        if self.a.spec.measure == "characteristic" and self.a.part_id:
            found = next((c.unit for c in self.catalog.characteristics
                          if c.part_id == self.a.part_id and c.name == self.a.spec.target), "")
            return found
        return ""

    # -- running -------------------------------------------------------------------------
    def _evidence(self, claim: str, query: exp.Query) -> tuple[Evidence, Rows]:
        result = self.reader.run(query)
        self.count += 1
        rows = {str(r[0]): r for r in result.rows}
        return Evidence(id=f"E{self.count}", claim=claim, query=result.sql,
                        rows=result.rows), rows

    def _grouped(self, label: exp.Expr, extra: list[tuple[exp.Expr, str]] | None = None,
                 ) -> tuple[str, list[list[Any]], Rows]:
        result = self.reader.run(group_query(self.source, label, extra or []))
        return result.sql, result.rows, {str(r[0]): r for r in result.rows}

    def _numbered(self, claim: str, sql: str, rows: list[list[Any]]) -> Evidence:
        self.count += 1
        return Evidence(id=f"E{self.count}", claim=claim, query=sql, rows=rows)

    def _n(self, rows: Rows, label: str) -> int:
        return int(rows[label][1]) if label in rows else 0

    def _v(self, rows: Rows, label: str) -> str:
        return self.numbers.value(rows[label][2]) if label in rows else "n/a"

    # -- the problem ---------------------------------------------------------------------
    def problem(self) -> Evidence:
        a, w = self.a, self.w
        if a.episode is None:
            return self._static_problem()
        ep = a.episode
        before = exp.LT(this=u("started_at"), expression=stamp(ep.start))
        labels = [(before, w.get("labels", "before")),
                  (between(ep.start, ep.end), w.get("labels", "period"))]
        sql, rows, by = self._grouped(labelled(labels, w.get("labels", "after")))
        b, p, af = (w.get("labels", k) for k in ("before", "period", "after"))
        after = w.fill("claims", "problem_after", after=self._v(by, af), unit=self.unit,
                       n_after=self._n(by, af)) if af in by else ""
        key = "problem" if ep.found_by.startswith("pelt") else "problem_scan"
        claim = w.fill("claims", key, Measure=capital(w.measure()), before=self._v(by, b),
                       unit=self.unit, n_before=self._n(by, b), start=day(ep.start),
                       period=self._v(by, p), n_period=self._n(by, p), end=day(ep.end),
                       after=after)
        return self._numbered(claim, sql, rows)

    def _static_problem(self) -> Evidence:
        a, w = self.a, self.w
        units = a.units
        if a.binary_target:
            hit = w.fill("labels", "with_problem")
            found = exp.GT(this=u("found"), expression=exp.Literal.number(0))
            sql, rows, by = self._grouped(labelled([(found, hit)],
                                                   w.fill("labels", "without_problem")))
            n_all = sum(int(r[1]) for r in rows)
            n_hit = self._n(by, hit)
            share = f"{100.0 * n_hit / n_all:.3g}" if n_all else "0"
            claim = w.fill("claims", "static_share", n_hit=n_hit, n_all=n_all, share=share)
            return self._numbered(claim, sql, rows)
        sql, rows, _ = self._grouped(labelled([], w.get("labels", "period")))
        claim = w.fill("claims", "static_value", Measure=capital(w.measure()),
                       value=self.numbers.value(rows[0][2]) if rows else "n/a",
                       unit=self.unit, n_all=len(units),
                       first=day(units["started_at"].min()), last=day(units["started_at"].max()))
        return self._numbered(claim, sql, rows)

    # -- causes --------------------------------------------------------------------------
    def for_cause(self, item: Ranked) -> list[Evidence]:
        c = item.candidate
        if c.kind in ENTITY_COLUMNS:
            out = [self._level(item)]
        elif c.kind == "material_lot":
            out = [self._lot(item), self._lot_origin(c)]
        elif c.kind == "maintenance_event":
            out = [self._event(item), self._split(item, "event_split")]
        elif c.kind == "engineering_change":
            out = [self._change(c), self._split(item, "change_split")]
        else:
            out = [self._parameter(item)]
        if item.group:
            out.append(self._confounded(item))
        return out

    def _level(self, item: Ranked) -> Evidence:
        c, w, ep = item.candidate, self.w, self.a.episode
        lots = self.a.spec.measure == "incoming_inspection" and c.kind == "supplier"
        of_level = w.fill("of_level_lot" if lots else "of_level", c.kind, id=c.id)
        if ep is None or not c.scoped:
            mark, rest = w.fill("labels", "marked", id=c.id), w.get("labels", "not_marked")
            sql, rows, by = self._grouped(labelled([(condition(c, ep), mark)], rest))
            claim = w.fill("claims", "static_level", n_level=self._n(by, mark),
                           of_level=of_level, short=w.short(), v_level=self._v(by, mark),
                           unit=self.unit, v_other=self._v(by, rest),
                           n_other=self._n(by, rest), p=p_value(item.p_value))
            return self._numbered(claim, sql, rows)
        level = w.fill("labels", "level_in_period", id=c.id)
        others = w.get("labels", "others_in_period")
        outside = w.get("labels", "outside")
        sql, rows, by = self._grouped(labelled(
            [(condition(c, ep), level), (between(ep.start, ep.end), others)], outside))
        common = {"start": day(ep.start), "end": day(ep.end), "n_level": self._n(by, level),
                  "of_level": of_level, "short": w.short(), "v_level": self._v(by, level),
                  "unit": self.unit, "v_out": self._v(by, outside), "p": p_value(item.p_value)}
        if others not in by:
            claim = w.fill("claims", "level_all", n_out=self._n(by, outside), **common)
        else:
            kw = kruskal_in_period(self.a.units, self.a.inside, ENTITY_COLUMNS[c.kind],
                                   self.score)
            kruskal = "" if kw is None else w.fill(
                "claims", "kruskal", kinds=w.get("kinds_plural", c.kind), p=p_value(kw))
            claim = w.fill("claims", "level", v_other=self._v(by, others),
                           n_other=self._n(by, others), kw=kruskal, **common)
        return self._numbered(claim, sql, rows)

    def _lot(self, item: Ranked) -> Evidence:
        c, w = item.candidate, self.w
        mark, rest = w.fill("labels", "marked", id=c.id), w.get("labels", "not_marked")
        sql, rows, by = self._grouped(labelled([(condition(c, None), mark)], rest))
        claim = w.fill("claims", "lot", n_level=self._n(by, mark), id=c.id,
                       first=day(c.onset) if c.onset else "n/a",
                       last=day(c.info["last_use"]), short=w.short(),
                       v_level=self._v(by, mark), unit=self.unit, v_other=self._v(by, rest),
                       n_other=self._n(by, rest), p=p_value(item.p_value))
        return self._numbered(claim, sql, rows)

    def _lot_origin(self, c: Candidate) -> Evidence:
        w = self.w
        query = (exp.select("ml.lot_id", "ml.supplier_id", "ml.received_at",
                            "ii.characteristic", "ii.value", "ii.unit", "ii.result")
                 .from_(exp.to_table("material_lots").as_("ml"))
                 .join(exp.to_table("incoming_inspections").as_("ii"),
                       on="ii.lot_id = ml.lot_id", join_type="left")
                 .where(exp.EQ(this=col("lot_id", "ml"), expression=text(c.id)))
                 .order_by("ii.characteristic"))
        result = self.reader.run(query)
        first = result.rows[0] if result.rows else [c.id, "n/a", None]
        received = str(first[2])[:10] if first[2] else "n/a"
        results = [w.fill("claims", "lot_result", characteristic=str(r[3]).replace("_", " "),
                          value="" if r[4] is None else r[4], unit=r[5] or "", result=r[6])
                   for r in result.rows if r[3] is not None]
        if results:
            claim = w.fill("claims", "lot_origin", id=c.id, supplier=first[1],
                           received=received, results=", ".join(results))
        else:
            claim = w.fill("claims", "lot_no_inspection", id=c.id, supplier=first[1],
                           received=received)
        return self._numbered(claim, result.sql, result.rows)

    def _event(self, item: Ranked) -> Evidence:
        c, w, ep = item.candidate, self.w, self.a.episode
        info = c.info
        last = info.get("next_at") or info["at"]
        query = (exp.select("event_id", "asset_id", "asset_type", "kind", "performed_at",
                            "description").from_("maintenance_events")
                 .where(exp.and_(exp.EQ(this=col("asset_id"), expression=text(info["asset_id"])),
                                 exp.GTE(this=col("performed_at"), expression=stamp(info["at"])),
                                 exp.LTE(this=col("performed_at"), expression=stamp(last))))
                 .order_by("performed_at"))
        result = self.reader.run(query)
        rows = result.rows
        this = next((r for r in rows if r[0] == c.id), [c.id, info["asset_id"], "", "", None, ""])
        nxt = next((r for r in rows if r[0] != c.id), None)
        after = ""
        if nxt is not None and item.ending >= 0.5:
            after = w.fill("claims", "event_next", asset=info["asset_id"], next_id=nxt[0],
                           next_at=str(nxt[4]).replace("T", " ")[:16],
                           next_description=nxt[5])
        claim = w.fill("claims", "event", event_kind=capital(str(this[3]).replace("_", " ")),
                       id=c.id, asset=info["asset_id"], at=minute(info["at"]),
                       description=this[5], next=after,
                       days=days_between(ep.start, info["at"]) if ep else "n/a")
        return self._numbered(claim, result.sql, rows)

    def _split(self, item: Ranked, key: str) -> Evidence:
        c, w = item.candidate, self.w
        mark, rest = w.fill("labels", "marked", id=c.id), w.get("labels", "not_marked")
        sql, rows, by = self._grouped(labelled([(condition(c, self.a.episode), mark)], rest))
        on_asset = w.fill("claims", "on_asset", c.info.get("asset_type", "machine"),
                          asset=c.info.get("asset_id", "")) if key == "event_split" else ""
        claim = w.fill("claims", key, n_level=self._n(by, mark), on_asset=on_asset, id=c.id,
                       at=day(c.info["at"]), short=w.short(), v_level=self._v(by, mark),
                       unit=self.unit, v_other=self._v(by, rest), n_other=self._n(by, rest),
                       p=p_value(item.p_value))
        return self._numbered(claim, sql, rows)

    def _change(self, c: Candidate) -> Evidence:
        ep = self.a.episode
        query = (exp.select("change_id", "part_id", "effective_at", "kind", "description")
                 .from_("engineering_changes")
                 .where(exp.EQ(this=col("change_id"), expression=text(c.id))))
        result = self.reader.run(query)
        row = result.rows[0] if result.rows else [c.id, "", None, "", ""]
        claim = self.w.fill("claims", "change", id=c.id, kind=row[3], at=day(c.info["at"]),
                            description=row[4],
                            days=days_between(ep.start, c.info["at"]) if ep else "n/a")
        return self._numbered(claim, result.sql, result.rows)

    def _parameter(self, item: Ranked) -> Evidence:
        c, w = item.candidate, self.w
        source = c.info.get("source", "process_parameters")
        alias = "p1"
        if source == "process_parameters":
            self.source.parameters = {c.id: alias}
            unit = next((p.unit for p in self.catalog.parameters if p.name == c.id), "") or ""
        else:
            self.source.variables = {c.id: alias}
            unit = next((x.unit for x in self.catalog.characteristics if x.name == c.id), "")
        target = self.a.units["y"].to_numpy(dtype=float) if self.a.binary_target else self.score
        cut = rounded_cut(split_point(c.values, target), c.values)
        low, high = (w.fill("labels", k, name=c.id, threshold=f"{cut:g}")
                     for k in ("low", "high"))
        sql, rows, by = self._grouped(labelled([(condition(c, None, alias, cut), low)], high),
                                      [(exp.func("AVG", u(alias)), "parameter")])
        self.source.parameters, self.source.variables = {}, {}
        rho, p = spearman(c.values, target)
        decimals = max(0, min(4, len(f"{cut:g}".split(".")[1]) + 1 if "." in f"{cut:g}" else 1))

        def mean(label: str) -> str:
            if label not in by or by[label][3] is None:
                return "n/a"
            return f"{float(by[label][3]):.{decimals}f}"

        claim = w.fill("claims", "parameter", name=c.id, short=w.short(), rho=f"{rho:.2f}",
                       n=len(c.values), p=p_value(p), n_low=self._n(by, low),
                       threshold=f"{cut:g}", punit=unit, v_low=self._v(by, low),
                       unit=self.unit, m_low=mean(low), n_high=self._n(by, high),
                       v_high=self._v(by, high), m_high=mean(high))
        return self._numbered(claim, sql, rows)

    def _confounded(self, item: Ranked) -> Evidence:
        from tools.rca.confounding import confounded_evidence

        return confounded_evidence(self, item)


def marked_units(analysis: Analysis, candidate: Candidate) -> list[str]:
    """Ids of the analysed units a candidate marks in the changed period (containment)."""
    inside = analysis.inside if analysis.episode is not None else np.ones(
        len(analysis.units), dtype=bool)
    marked = (candidate.values > 0) if candidate.binary else inside
    return [str(x) for x in analysis.units.loc[marked & inside, "batch_id"]]
