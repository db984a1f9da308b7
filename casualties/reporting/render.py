"""Text forms of tables: aligned for a terminal, tab-separated when piped, CSV, JSON.

Rendering returns strings; only the CLI prints.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..model.missing import is_missing, plain

if TYPE_CHECKING:
    from ..model.frames import pd

FORMATS = ("table", "csv", "json")
# Columns holding numbers as an analyst writes them ("≥25", "25–111"): aligned as numbers.
NUMBER_TEXT_COLUMNS = ("value", "latest", "week_change")
QUALIFIER_SIGNS = {"at_least": "≥", "more_than": ">", "at_most": "≤", "fewer_than": "<"}


def grouped(number) -> str:
    """A count with thousands separators ('20,000'); '' when missing."""
    if is_missing(number):
        return ""
    return f"{int(number):,}"


def value_text(row: dict) -> str:
    """A figure's number as an analyst writes it: 111, ≥25, ~1,000, 20,000–99,999."""
    low, best, high = row.get("value_low"), row.get("value_best"), row.get("value_high")
    qualifier = row.get("qualifier")
    if qualifier in ("at_least", "more_than"):
        return QUALIFIER_SIGNS[qualifier] + grouped(low)
    if qualifier in ("at_most", "fewer_than"):
        return QUALIFIER_SIGNS[qualifier] + grouped(high)
    if qualifier == "about":
        return "~" + grouped(best)
    if qualifier in ("between", "vague"):
        return f"{grouped(low)}–{grouped(high)}"
    return grouped(low if is_missing(best) else best)


def range_text(low, high) -> str:
    """A computed count with its bounds: 136, ≥136, ≤40, 20,000–99,999."""
    if is_missing(low):
        return "?" if is_missing(high) else f"≤{grouped(high)}"
    if is_missing(high):
        return f"≥{grouped(low)}"
    if int(low) == int(high):
        return grouped(low)
    return f"{grouped(low)}–{grouped(high)}"


def cells(frame: pd.DataFrame) -> list[list[str]]:
    """Every value of a frame as display text, missing values empty."""
    rows = frame.itertuples(index=False)
    return [["" if is_missing(v) else str(v) for v in row] for row in rows]


def render(frame: pd.DataFrame, fmt: str, terminal: bool, max_width: int = 60) -> str:
    """The frame in the format asked for."""
    if fmt == "csv":
        return to_csv(frame)
    if fmt == "json":
        return to_json(frame)
    if not terminal:
        rows = [list(frame.columns), *cells(frame)]
        return "\n".join(
            "\t".join(c.replace("\t", " ").replace("\n", " ") for c in row) for row in rows
        )
    return aligned(frame, max_width)


def aligned(frame: pd.DataFrame, max_width: int = 60) -> str:
    """An aligned text table, numbers right-aligned, long text cut with '…'."""
    header = list(frame.columns)
    body = [[_cut(c, max_width) for c in row] for row in cells(frame)]
    numeric = [_is_number_column(frame, c) for c in header]
    widths = [max([len(h), *(len(r[i]) for r in body)]) for i, h in enumerate(header)]
    lines = []
    for row in [header, ["─" * w for w in widths], *body]:
        parts = [
            c.rjust(w) if right and row is not header else c.ljust(w)
            for c, w, right in zip(row, widths, numeric, strict=True)
        ]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def _is_number_column(frame: pd.DataFrame, column: str) -> bool:
    dtype = frame[column].dtype
    return (
        column in NUMBER_TEXT_COLUMNS or dtype.kind in "iuf" or str(dtype) in ("Int64", "Float64")
    )


def _cut(text: str, width: int) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


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


def to_json(frame: pd.DataFrame) -> str:
    """A JSON array of objects, missing values as null, numbers as numbers."""
    records = [{k: plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]
    return json.dumps(records, ensure_ascii=False, indent=2)


def card(fields: list[tuple[str, object]]) -> str:
    """'name: value' lines, names aligned, for one record."""
    width = max(len(name) for name, _ in fields)
    lines = []
    for name, value in fields:
        text = "" if is_missing(value) else str(value)
        lines.append(f"{name.ljust(width)}  {text}")
    return "\n".join(lines)


def to_markdown(frame: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table; numbers right-aligned."""
    header = [str(c) for c in frame.columns]
    rule = ["---:" if _is_number_column(frame, c) else "---" for c in frame.columns]
    rows = [[c.replace("|", "\\|") for c in row] for row in cells(frame)]
    return "\n".join("| " + " | ".join(r) + " |" for r in [header, rule, *rows])
