"""The AI4I 2020 part of the RCA evaluation: asked why the rule-based failure modes (HDF,
PWF, OSF) happen, the causes named must be the variables of the published rules
(``../shared/data/ai4i2020/reference_rules.json``). The CSV is loaded as it is into a
DuckDB file in the temp directory and read through the catalog mapping."""

from __future__ import annotations

import json
import re
import tempfile
import time
from pathlib import Path

import pandas as pd
from pydantic import BaseModel
from sqlglot import exp

from evals.rca.questions import templates
from tools.catalog import MAPPINGS_DIR, TableMapping, build_catalog
from tools.database import connect
from tools.errors import AndonError
from tools.rca import investigate
from tools.sql_guard import MAX_ROW_CAP, GuardPolicy

TABLE = "ai4i2020"
# Words of the published rules -> the characteristic names of the catalog mapping.
RULE_VARIABLES = {"air_temp": "air_temperature", "process_temp": "process_temperature",
                  "rpm": "rotational_speed", "rotational_speed": "rotational_speed",
                  "torque": "torque", "tool_wear": "tool_wear"}


class Ai4iOutcome(BaseModel):
    mode: str
    language: str
    question: str
    expected: list[str]
    named: list[str]
    confounded: list[str] = []
    exact: bool = False
    refused: str | None = None
    seconds: float = 0.0


def rule_variables(rule: str) -> list[str]:
    """The catalog variables a published rule is written in."""
    found = []
    for word, name in RULE_VARIABLES.items():
        if re.search(rf"\b{word}", rule) and name not in found:
            found.append(name)
    return sorted(found)


def _type(dtype: object) -> str:
    if pd.api.types.is_integer_dtype(dtype):
        return "BIGINT"
    return "DOUBLE" if pd.api.types.is_float_dtype(dtype) else "VARCHAR"


def load_ai4i(csv: Path, folder: Path | None = None) -> str:
    """The CSV as it is in a DuckDB file (built once); returns its URL."""
    folder = folder or Path(tempfile.gettempdir()) / "andon-evals"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "ai4i2020.duckdb"
    url = f"duckdb:///{path}"
    if path.exists():
        return url
    frame = pd.read_csv(csv, encoding="utf-8-sig")
    with connect(url, writable=True) as db:
        columns = [exp.ColumnDef(this=exp.to_identifier(str(c), quoted=True),
                                 kind=exp.DataType.build(_type(t)))
                   for c, t in frame.dtypes.items()]
        table = exp.Table(this=exp.to_identifier(TABLE, quoted=True))
        db.execute(exp.Create(this=exp.Schema(this=table, expressions=columns), kind="TABLE")
                   .sql(dialect=db.dialect))
        db.insert_rows(TABLE, [str(c) for c in frame.columns],
                       [tuple(v.item() if hasattr(v, "item") else v for v in row)
                        for row in frame.itertuples(index=False, name=None)])
    return url


def run_ai4i(data_dir: Path) -> list[Ai4iOutcome]:
    rules = json.loads((data_dir / "reference_rules.json").read_text())["failure_modes"]
    url = load_ai4i(data_dir / "ai4i2020.csv")
    mapping = TableMapping.from_yaml(MAPPINGS_DIR / "ai4i2020.yaml")
    policy = GuardPolicy.for_role("engineer", row_cap=MAX_ROW_CAP, expand=mapping.expand)
    out: list[Ai4iOutcome] = []
    with connect(url) as db:
        catalog = build_catalog(db, mapping)
        for mode, texts in templates()["ai4i"].items():
            expected = rule_variables(rules[mode]["rule"])
            for language, questions in texts.items():
                for text in questions:
                    started = time.perf_counter()
                    try:
                        result = investigate(text, db=db, catalog=catalog, policy=policy)
                    except AndonError as error:
                        out.append(Ai4iOutcome(mode=mode, language=language, question=text,
                                               expected=expected, named=[],
                                               refused=error.message))
                        continue
                    named = sorted(c.id for c in result.causes)
                    confounded = sorted({r.id for c in result.causes
                                         for r in c.confounded_with or []})
                    out.append(Ai4iOutcome(mode=mode, language=language, question=text,
                                           expected=expected, named=named,
                                           confounded=confounded, exact=named == expected,
                                           seconds=time.perf_counter() - started))
    return out
