"""SPC data in and out for the CLI and the REST API: CSV columns -> chart arguments,
results -> the cli-contract JSON (``andon spc chart`` / ``andon spc capability``).

Every refusal is an ``InvalidInput`` in one sentence naming the file, the column and the
data row (rows count from 1 below the header), so ``andon spc`` exits 2 without a
traceback.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tools.errors import InvalidInput
from tools.spc import CapabilityResult, ChartResult, normalize_kind

ATTRIBUTE_KINDS = ("p", "np", "c", "u")
GROUPED_KINDS = ("xbar-r", "xbar-s")
CLI_KINDS = ("xbar-r", "xbar-s", "imr", "p", "np", "c", "u", "ewma", "cusum", "t2")


@dataclass
class ChartData:
    """Arguments for ``control_chart`` plus the subgroup names to show."""

    kind: str
    values: Any
    labels: list[Hashable] | None = None
    sizes: Any = None
    names: list[str] | None = None
    notes: list[str] = field(default_factory=list)


def read_csv(path: Path) -> pd.DataFrame:
    """The CSV as a frame with stripped column names; refusals name the file."""
    if not path.is_file():
        raise InvalidInput(f"cannot read {path}: no such file", path=str(path))
    try:
        frame = pd.read_csv(path, skipinitialspace=True)
    except pd.errors.EmptyDataError:
        raise InvalidInput(f"{path.name} is empty", path=str(path)) from None
    except (pd.errors.ParserError, UnicodeDecodeError, OSError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InvalidInput(f"cannot read {path.name} as CSV: {reason}", path=str(path)) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        raise InvalidInput(f"{path.name} has a header but no data rows", path=str(path))
    return frame


def column_name(frame: pd.DataFrame, name: str, source: str) -> str:
    """``name`` as spelt in the file (an exact match, else a unique case-insensitive one)."""
    if name in frame.columns:
        return name
    folded = [c for c in frame.columns if c.lower() == name.strip().lower()]
    if len(folded) == 1:
        return str(folded[0])
    raise InvalidInput(f"no column {name!r} in {source}; its columns are: "
                       f"{', '.join(map(str, frame.columns))}", column=name,
                       columns=[str(c) for c in frame.columns])


def numeric_column(frame: pd.DataFrame, name: str, source: str) -> np.ndarray:
    """A column as floats; the first empty or non-numeric cell is named by its row."""
    col = frame[column_name(frame, name, source)]
    if pd.api.types.is_bool_dtype(col):
        raise InvalidInput(f"column {name!r} of {source} holds TRUE/FALSE, not numbers")
    numbers = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(numbers)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raw = col.iloc[row]
        what = "is empty" if pd.isna(raw) else f"holds {str(raw).strip()!r}, not a number"
        raise InvalidInput(f"{source}, row {row + 1} (counting data rows from 1 below the "
                           f"header): column {name!r} {what}", row=row + 1, column=name)
    return numbers


def size_argument(frame: pd.DataFrame, size: str, source: str) -> Any:
    """``--size``: a column of sample sizes, or one number for every subgroup."""
    text = size.strip()
    if text not in frame.columns:
        try:
            number = float(text)
        except ValueError:
            return numeric_column(frame, text, source)
        if not np.isfinite(number) or number <= 0:
            raise InvalidInput(f"--size must be a positive number or a column, not {size!r}")
        return number
    return numeric_column(frame, text, source)


def chart_data(frame: pd.DataFrame, kind: str, source: str, *, value: str | None,
               subgroup: str | None, count: str | None, size: str | None) -> ChartData:
    """The columns a chart of ``kind`` needs, checked, as ``control_chart`` arguments."""
    key = normalize_kind(kind)
    labels = None
    if subgroup is not None:
        label_col = frame[column_name(frame, subgroup, source)]
        missing = label_col.isna().to_numpy()
        if missing.any():
            row = int(np.flatnonzero(missing)[0]) + 1
            raise InvalidInput(f"{source}, row {row}: the subgroup column {subgroup!r} is "
                               "empty", row=row, column=subgroup)
        labels = label_col.tolist()
    if key in ATTRIBUTE_KINDS:
        counts_from = count or value
        if counts_from is None:
            raise InvalidInput(f"a {key} chart needs --count COLUMN (the nonconforming units "
                               "or nonconformities of each subgroup)")
        counts = numeric_column(frame, counts_from, source)
        if size is None and key != "c":
            raise InvalidInput(f"a {key} chart needs --size COLUMN or --size N (the units "
                               "inspected in each subgroup)")
        sizes = None if size is None else size_argument(frame, size, source)
        names = None if labels is None else [str(v) for v in labels]
        return ChartData(key, counts, sizes=sizes, names=names)
    if value is None:
        raise InvalidInput(f"a {key} chart needs --value COLUMN (the measurements)")
    if key == "t2":
        columns = [c.strip() for c in value.split(",") if c.strip()]
        if len(columns) < 2:
            raise InvalidInput("a t2 chart needs two or more columns: --value X1,X2")
        values: Any = np.column_stack([numeric_column(frame, c, source) for c in columns])
    else:
        values = numeric_column(frame, value, source)
    if labels is None and size is not None and key != "imr":
        n = size_argument(frame, size, source)
        if not isinstance(n, float) or n != int(n):
            raise InvalidInput("without --subgroup, --size must be one whole number: the rows "
                               "are taken in consecutive subgroups of that size")
        labels = (np.arange(len(frame)) // int(n) + 1).tolist()
    if labels is None and key in GROUPED_KINDS:
        raise InvalidInput(f"an {key} chart needs --subgroup COLUMN (the subgroup of each "
                           "row) or --size N (consecutive rows in subgroups of N)")
    names = None if labels is None else [str(v) for v in dict.fromkeys(labels)]
    return ChartData(key, values, labels=labels, names=names)


def chart_json(result: ChartResult, names: Sequence[str] | None = None,
               points: bool = True) -> dict[str, Any]:
    """The cli-contract body (plus ``labels``: subgroup names, where given)."""
    body = result.to_json(points=points)
    if names is not None and len(names) == result.subgroups:
        body["labels"] = list(names)
    return body


def capability_json(result: CapabilityResult) -> dict[str, Any]:
    return result.to_json()


def points_text(points: Sequence[int], names: Sequence[str] | None = None,
                limit: int = 20) -> str:
    """``35, 37–40`` (runs compressed), or the subgroup names (``lot-15, lot-23``) where
    they differ from the numbers; cut after ``limit`` items."""
    if names_differ(names):
        assert names is not None
        items = [names[p - 1] if p <= len(names) else str(p) for p in points]
    else:
        items, start = [], None
        for i, p in enumerate(points):
            start = p if start is None else start
            if i + 1 == len(points) or points[i + 1] != p + 1:
                items.append(str(p) if p == start else f"{start}–{p}")
                start = None
    more = len(items) - limit
    return ", ".join(items[:limit]) + (f" … (+{more} more)" if more > 0 else "")


def names_differ(names: Sequence[str] | None) -> bool:
    """Whether subgroup names say more than their numbers 1..m."""
    return names is not None and any(n != str(i) for i, n in enumerate(names, start=1))
