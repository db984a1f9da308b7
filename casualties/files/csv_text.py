"""CSV text a spreadsheet opens as text: no cell ever runs as a formula.

Every CSV an analyst may open (exports, rejects, drafts, `--format csv`) is
written through here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model.frames import pd

# A spreadsheet opening a CSV runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: object) -> object:
    """A text a spreadsheet would run as a formula, with an apostrophe before it.

    The apostrophe is what Excel itself shows for text typed that way (and what
    OWASP advises against CSV injection); numbers are left as they are.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(columns: list[str], batches) -> Iterator[str]:
    """CSV text, header first, from batches of row tuples (missing values empty).

    Text that a spreadsheet would run as a formula is made inert (see `inert`).
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for batch in batches:
        writer.writerows([[inert(v) for v in row] for row in batch])
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()


def to_csv(frame: pd.DataFrame) -> str:
    """CSV with one column per field, named as in the schema."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(frame.columns)
    texts = [not _numeric(frame[c]) for c in frame.columns]
    rows = cells(frame)
    writer.writerows([[inert(v) if t else v for v, t in zip(r, texts, strict=True)] for r in rows])
    return out.getvalue().rstrip("\n")


def _numeric(column: pd.Series) -> bool:
    from ..model.frames import pd

    return pd.api.types.is_numeric_dtype(column.dtype)


def cells(frame: pd.DataFrame) -> list[list[str]]:
    """Every value of a frame as display text, missing values empty."""
    if frame.shape[1] == 0:
        return [[] for _ in range(len(frame))]
    # Column by column: a column's values come out as Python objects in one call,
    # where row by row each cell is a slow lookup in pandas' own arrays.
    texts = [_texts(frame.iloc[:, n]) for n in range(frame.shape[1])]
    return [list(row) for row in zip(*texts, strict=True)]


def _texts(column: pd.Series) -> list[str]:
    missing = column.isna().tolist()
    return ["" if m else str(v) for v, m in zip(column.tolist(), missing, strict=True)]
