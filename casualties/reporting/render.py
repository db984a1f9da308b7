"""Text forms of tables: aligned for a terminal, tab-separated when piped, CSV, JSON.

Rendering returns strings; only the CLI prints.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ..files.csv_text import cells, to_csv
from ..model.missing import is_missing, plain

if TYPE_CHECKING:
    from ..model.frames import pd

FORMATS = ("table", "csv", "json")
# Columns holding numbers as an analyst writes them ("≥25", "25–111"): aligned as numbers.
NUMBER_TEXT_COLUMNS = ("value", "latest", "week_change")
# Tab-separated output: a tab or line break inside a cell would split it.
FLAT = str.maketrans({"\t": " ", "\n": " "})


def render(frame: pd.DataFrame, fmt: str, terminal: bool, max_width: int = 60) -> str:
    """The frame in the format asked for."""
    if fmt == "csv":
        return to_csv(frame)
    if fmt == "json":
        return to_json(frame)
    header = list(frame.columns)
    numeric = [_is_number_column(frame, c) for c in header]
    return table_text(header, cells(frame), terminal, numeric, max_width)


def table_text(
    header: list[str],
    texts: list[list[str]],
    terminal: bool,
    numeric: list[bool],
    max_width: int = 60,
) -> str:
    """Rows of display text, aligned for a terminal, else tab-separated (for a pipe).

    The `table` format of a frame, and of rows read without pandas (`list`).
    """
    if not terminal:
        return "\n".join("\t".join(c.translate(FLAT) for c in row) for row in [header, *texts])
    return _aligned(header, texts, numeric, max_width)


def display_texts(rows: list[list]) -> list[list[str]]:
    """Plain values as display text, missing ones empty."""
    return [["" if is_missing(v) else str(v) for v in row] for row in rows]


def aligned(frame: pd.DataFrame, max_width: int = 60) -> str:
    """An aligned text table, numbers right-aligned, long text cut with '…'."""
    header = list(frame.columns)
    numeric = [_is_number_column(frame, c) for c in header]
    return _aligned(header, cells(frame), numeric, max_width)


def _aligned(header: list[str], texts: list[list[str]], numeric: list[bool], max_width: int) -> str:
    body = [[_cut(c, max_width) for c in row] for row in texts]
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
