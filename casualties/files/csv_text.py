"""Text a spreadsheet opens as text: no cell any writer makes ever runs as a formula.

The one rule, for every file an analyst may open (exports, HXL, rejects,
drafts, the entry workbook, `--format csv`):

- CSV: a text whose first character other than apostrophes is one of
  `FORMULA_STARTS` is written with one more apostrophe before it (OWASP's
  advice against CSV injection; what Excel shows for text typed that way).
  `revived` undoes exactly that, so a round trip gives the text back. A field
  holding a carriage return is quoted, so that no reader ends the row there.
- Workbooks written with openpyxl (`append_as_text`): every text cell is a
  string cell holding the text exactly, never a formula; one starting with a
  formula character also carries Excel's quote prefix, so that editing the
  cell does not turn it into one either. Control characters are written as
  the _xHHHH_ escapes of the file format (`workbook_text`), as the
  `export xlsx` writer does.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model.frames import pd

# A spreadsheet opening a CSV runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Text the rule prefixes: a formula start after any apostrophes, so that a text
# that itself starts with an apostrophe and a formula start comes back whole too.
_PREFIXED = re.compile(r"'*[=+\-@\t\r]")
# What a prefixed text looks like once written: one apostrophe or more, then a formula start.
_WRITTEN = re.compile(r"'+[=+\-@\t\r]")
# What a workbook's XML cannot hold as it is (a tab and a line feed it can).
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\r\x0e-\x1f]|_(?=x[0-9A-Fa-f]{4}_)")


def csv_encoding(excel: bool) -> str:
    """UTF-8, with a byte-order mark for Excel (which otherwise reads it as its code page).

    Not by default: other tools (pandas, csvkit, HXL's) keep the mark as part
    of the first column's name; our own reader takes it either way.
    """
    return "utf-8-sig" if excel else "utf-8"


def inert(value: object) -> object:
    """A text a spreadsheet would run as a formula, with an apostrophe before it.

    Numbers are left as they are; so is any text not starting (after its own
    apostrophes) with a formula character.
    """
    if isinstance(value, str) and _PREFIXED.match(value):
        return "'" + value
    return value


def revived(text: str) -> str:
    """The text `inert` was given: one apostrophe fewer before a formula character."""
    return text[1:] if _WRITTEN.match(text) else text


def csv_text(rows: Iterable[Sequence], numeric: Sequence[bool] = ()) -> str:
    """Rows as CSV lines ("\\n"-ended), every text made inert and carriage returns quoted.

    Cells of the columns `numeric` marks True are numbers shown as text (a
    change of -3 stays a number); None is written empty.
    """
    if numeric:
        safe = [[v if n else inert(v) for v, n in zip(row, numeric, strict=True)] for row in rows]
    else:
        safe = [[inert(v) for v in row] for row in rows]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(safe)
    text = out.getvalue()
    # The csv module quotes a field only for the characters of its own line ending,
    # so a lone carriage return would go unquoted and split the row in LibreOffice.
    return _with_returns_quoted(safe) if "\r" in text else text


def _with_returns_quoted(rows: list[list]) -> str:
    """The rows as CSV, a field holding "\\r" quoted (the line ending the writer knows)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    lines = []
    for row in rows:
        writer.writerow(row)
        lines.append(out.getvalue()[:-2] + "\n")
        out.seek(0)
        out.truncate()
    return "".join(lines)


def csv_lines(columns: list[str], batches: Iterable[Sequence[Sequence]]) -> Iterator[str]:
    """CSV text, header first, from batches of row tuples (missing values empty)."""
    yield csv_text([columns])
    for batch in batches:
        yield csv_text(batch)


def to_csv(frame: pd.DataFrame) -> str:
    """CSV with one column per field, named as in the schema (no line ending after the last)."""
    numeric = [_numeric(frame[c]) for c in frame.columns]
    return csv_text([list(frame.columns), *cells(frame)], numeric).rstrip("\n")


def append_as_text(sheet, values: Sequence) -> None:
    """Append a row to an openpyxl sheet, its texts as text cells and never formulas."""
    from openpyxl.cell import Cell

    cells = []
    for value in values:
        cell = Cell(sheet, value=workbook_text(value))
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
            # openpyxl makes any text starting with "=" a formula; the cell type says otherwise.
            cell.data_type = "s"
            cell.quotePrefix = True
        cells.append(cell)
    # Cells made here, not looked up after (sheet.max_row scans every cell: a
    # workbook of thousands of rows took minutes).
    sheet.append(cells)


def workbook_text(value: object) -> object:
    """A text as a workbook's XML holds it exactly: control characters as _xHHHH_.

    XML has no other way to hold them (openpyxl refuses them; a raw carriage
    return is read back as a line feed); Excel and calamine read the escapes
    back, and a text that itself looks like one keeps its underscore as _x005F_.
    """
    if isinstance(value, str) and _UNWRITABLE.search(value):
        return _UNWRITABLE.sub(lambda found: f"_x{ord(found.group()):04X}_", value)
    return value


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
