"""Every read of an investigation: sqlglot trees over the reference schema, run through the
guarded SQL tool (``tools.run_sql``), handed back as pandas frames.

Nothing here knows a particular plant: the queries name reference tables and columns only,
and a column the caller's role may not see (``operator_id`` for a viewer) is simply not
read, so candidates of that kind are not considered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
from sqlglot import exp

from tools.database import Database
from tools.errors import InsufficientData
from tools.monitors.compiler.sql_parts import col, is_in, text
from tools.run_sql import RunSqlArgs, SqlResult, run_sql
from tools.sql_guard import GuardPolicy

BATCH_COLUMNS = ("batch_id", "part_id", "line_id", "machine_id", "tool_id", "material_lot_id",
                 "shift", "operator_id", "started_at", "ended_at", "qty_produced",
                 "qty_defective")


def stamp(value: dt.datetime) -> exp.Expr:
    """A UTC timestamp literal (naive, as the schema stores UTC)."""
    naive = value.astimezone(dt.UTC).replace(tzinfo=None)
    return exp.cast(text(naive.strftime("%Y-%m-%d %H:%M:%S")), exp.DataType.build("TIMESTAMP"))


def in_period(column: exp.Expr, since: dt.datetime | None,
              until: dt.datetime | None) -> exp.Expr | None:
    parts: list[exp.Expr] = []
    if since is not None:
        parts.append(exp.GTE(this=column.copy(), expression=stamp(since)))
    if until is not None:
        parts.append(exp.LT(this=column.copy(), expression=stamp(until)))
    return exp.and_(*parts) if parts else None


def to_utc(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, utc=True, format="ISO8601")


class PlantReader:
    """Runs an investigation's queries through the SQL guard and keeps their SQL."""

    def __init__(self, db: Database, policy: GuardPolicy) -> None:
        self.db = db
        self.policy = policy
        self.log: list[str] = []

    @property
    def dialect(self) -> str:
        return self.db.dialect

    def sees(self, table: str, column: str | None = None) -> bool:
        columns = self.policy.tables.get(table)
        return columns is not None and (column is None or column in columns)

    def run(self, query: exp.Query, *, max_rows: int | None = None) -> SqlResult:
        """One guarded read; ``sql`` in the result is what ran (row cap applied)."""
        result = run_sql(RunSqlArgs(query=query.sql(dialect=self.dialect),
                                    role=self.policy.role, max_rows=max_rows),
                         db=self.db, policy=self.policy)
        self.log.append(result.sql)
        return result

    @property
    def queries(self) -> int:
        return len(self.log)

    def frame(self, query: exp.Query) -> pd.DataFrame:
        result = self.run(query)
        if result.truncated:
            raise InsufficientData(f"the investigation needs more than {len(result.rows)} rows "
                                   "of one query; ask about a shorter period or raise the "
                                   "row cap")
        return pd.DataFrame(result.rows, columns=result.columns)

    # -- batches and what they measured ---------------------------------------------
    def batches(self, part_ids: Sequence[str], since: dt.datetime | None,
                until: dt.datetime | None) -> pd.DataFrame:
        wanted = [c for c in BATCH_COLUMNS if self.sees("batches", c)]
        select: list[exp.Expr] = [col(c, "b") for c in wanted]
        query = exp.select(*select).from_(exp.to_table("batches").as_("b"))
        if self.sees("material_lots", "supplier_id"):
            query = query.select(col("supplier_id", "ml"), col("received_at", "ml").as_(
                "lot_received_at")).join(exp.to_table("material_lots").as_("ml"),
                                         on="ml.lot_id = b.material_lot_id", join_type="left")
        query = query.where(exp.and_(*[c for c in (is_in(col("part_id", "b"), part_ids),
                                                   in_period(col("started_at", "b"), since,
                                                             until)) if c is not None]))
        frame = self.frame(query.order_by("b.started_at", "b.batch_id"))
        for column in ("started_at", "ended_at", "lot_received_at"):
            if column in frame:
                frame[column] = to_utc(frame[column])
        return frame

    def _batch_filtered(self, query: exp.Select, alias: str, part_ids: Sequence[str],
                        since: dt.datetime | None, until: dt.datetime | None) -> exp.Select:
        query = query.join(exp.to_table("batches").as_("b"),
                           on=f"b.batch_id = {alias}.batch_id")
        conditions = [is_in(col("part_id", "b"), part_ids),
                      in_period(col("started_at", "b"), since, until)]
        return query.where(exp.and_(*[c for c in conditions if c is not None]))

    def samples(self, characteristic_ids: Sequence[str], part_ids: Sequence[str],
                since: dt.datetime | None, until: dt.datetime | None) -> pd.DataFrame:
        query = (exp.select("m.batch_id", "m.value")
                 .from_(exp.to_table("measurements").as_("m")))
        query = self._batch_filtered(query, "m", part_ids, since, until)
        query = query.where(is_in(col("characteristic_id", "m"), characteristic_ids))
        frame = self.frame(query)
        frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
        return frame

    def other_characteristics(self, part_ids: Sequence[str], names: Sequence[str],
                              since: dt.datetime | None,
                              until: dt.datetime | None) -> pd.DataFrame:
        """Per-batch means of other measured characteristics (batch_id, name, value)."""
        query = (exp.select("m.batch_id", "c.name", exp.func("AVG", col("value", "m")).as_(
            "value")).from_(exp.to_table("measurements").as_("m"))
                 .join(exp.to_table("characteristics").as_("c"),
                       on="c.characteristic_id = m.characteristic_id"))
        query = self._batch_filtered(query, "m", part_ids, since, until)
        query = query.where(is_in(col("name", "c"), names)).group_by("m.batch_id", "c.name")
        frame = self.frame(query)
        frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
        return frame

    def defect_counts(self, code: str, part_ids: Sequence[str], since: dt.datetime | None,
                      until: dt.datetime | None) -> pd.DataFrame:
        query = (exp.select("d.batch_id", exp.func("SUM", col("quantity", "d")).as_("quantity"))
                 .from_(exp.to_table("defects").as_("d")))
        query = self._batch_filtered(query, "d", part_ids, since, until)
        query = query.where(exp.EQ(this=col("defect_code", "d"), expression=text(code)))
        frame = self.frame(query.group_by("d.batch_id"))
        frame["quantity"] = pd.to_numeric(frame["quantity"], errors="coerce").fillna(0.0)
        return frame

    def parameters(self, part_ids: Sequence[str], since: dt.datetime | None,
                   until: dt.datetime | None) -> pd.DataFrame:
        if not self.sees("process_parameters", "value"):
            return pd.DataFrame(columns=["batch_id", "name", "value", "unit"])
        query = (exp.select("pp.batch_id", "pp.name", "pp.value", "pp.unit")
                 .from_(exp.to_table("process_parameters").as_("pp")))
        frame = self.frame(self._batch_filtered(query, "pp", part_ids, since, until))
        frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
        return frame

    # -- what happened around the batches ---------------------------------------------
    def events(self, asset_ids: Sequence[str], gauges: bool, since: dt.datetime,
               until: dt.datetime) -> pd.DataFrame:
        columns = ["event_id", "asset_id", "asset_type", "kind", "performed_at", "description"]
        if not self.sees("maintenance_events", "performed_at") or not (asset_ids or gauges):
            return pd.DataFrame(columns=columns)
        which: list[exp.Expr] = []
        if asset_ids:
            which.append(is_in(col("asset_id"), asset_ids))
        if gauges:
            which.append(exp.EQ(this=col("asset_type"), expression=text("gauge")))
        condition = exp.and_(exp.or_(*which), in_period(col("performed_at"), since, until))
        frame = self.frame(exp.select(*columns).from_("maintenance_events").where(condition)
                           .order_by("performed_at", "event_id"))
        frame["performed_at"] = to_utc(frame["performed_at"])
        return frame

    def changes(self, part_ids: Sequence[str]) -> pd.DataFrame:
        columns = ["change_id", "part_id", "effective_at", "kind", "description"]
        if not self.sees("engineering_changes", "effective_at"):
            return pd.DataFrame(columns=columns)
        frame = self.frame(exp.select(*columns).from_("engineering_changes")
                           .where(is_in(col("part_id"), part_ids))
                           .order_by("effective_at", "change_id"))
        frame["effective_at"] = to_utc(frame["effective_at"])
        return frame

    def inspections(self, characteristic: str, materials: Sequence[str],
                    since: dt.datetime | None, until: dt.datetime | None) -> pd.DataFrame:
        query = (exp.select("ii.inspection_id", "ii.lot_id", "ii.value", "ii.unit", "ii.result",
                            "ii.inspected_at", "ml.supplier_id", "ml.material",
                            "ml.received_at")
                 .from_(exp.to_table("incoming_inspections").as_("ii"))
                 .join(exp.to_table("material_lots").as_("ml"), on="ml.lot_id = ii.lot_id"))
        conditions = [exp.EQ(this=col("characteristic", "ii"), expression=text(characteristic)),
                      exp.Not(this=exp.Is(this=col("value", "ii"), expression=exp.Null())),
                      in_period(col("inspected_at", "ii"), since, until)]
        if materials:
            conditions.append(is_in(col("material", "ml"), materials))
        frame = self.frame(query.where(exp.and_(*[c for c in conditions if c is not None]))
                           .order_by("ii.inspected_at", "ii.inspection_id"))
        frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
        for column in ("inspected_at", "received_at"):
            frame[column] = to_utc(frame[column])
        return frame
