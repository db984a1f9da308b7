"""Cells as spreadsheets and exports muddle them, cleaned to their column's type.

Spaces, "1,200", "1.200" in a European file, Excel's date serials, text
dates, the apostrophe an export puts before formula-like text: each column is
cleaned at once, and only odd cells are looked at one by one. What cannot be
read as its column's type is left as it was, for validation to report with
the value.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from ..model.missing import is_missing
from .csv_text import FORMULA_STARTS

if TYPE_CHECKING:
    from ..model.frames import pd

EXCEL_EPOCH = date(1899, 12, 30)
TEXT_DATE_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%b %d %Y", "%B %d %Y")
# Digits grouped in threes: 1,200 / 1 200 (with a plain, no-break or thin space) / 1.200.
THOUSANDS = {
    ",": re.compile(r"-?\d{1,3}(?:,\d{3})+"),
    " ": re.compile(r"-?\d{1,3}(?:[ \u00a0\u202f]\d{3})+"),
    ".": re.compile(r"-?\d{1,3}(?:\.\d{3})+"),
}


@dataclass(frozen=True)
class Reading:
    """How to read the cells of a file: what the user told the import about it."""

    dayfirst: bool = False  # 06/12/2024 is 6 December
    # 1.200 is twelve hundred and 2,5 two and a half: a European file. Not guessed
    # from semicolons: desks in English use them too, with "1,200".
    decimal_comma: bool = False


def cleaned_column(values: pd.Series, kind: str, reading: Reading) -> pd.Series:
    """A column's cells as its type holds them; what cannot be read stays as it was.

    A column of text (every CSV, most sheets) is first looked at whole, as one
    string: most need nothing but their empty cells made missing, and counts
    and dates written plainly convert at once. Only cells that need a second
    look (a " 45 ", a "1,200", a "6 Dec 2024") go through Python, one distinct
    value at a time.
    """
    from pandas.api.types import infer_dtype

    if infer_dtype(values, skipna=True) not in ("string", "empty"):
        # A sheet's typed cells: numbers, dates, text and '' for empty, mixed.
        try:
            cells = _each_distinct(values, lambda v: _cell(v, kind, reading))
        except TypeError:  # a JSON list or object in a cell: not hashable, read one by one
            cells = values.map(lambda v: _cell(v, kind, reading)).astype(object)
        return _typed_numbers(cells, kind) if kind in ("integer", "number") else cells
    try:
        whole = SEPARATOR.join(values)
    except TypeError:  # missing cells among the text (a sheet's)
        values = values.fillna("")
        whole = SEPARATOR.join(values)
    if kind == "integer":
        with contextlib.suppress(ValueError):
            return _plain(values, kind)  # every cell a count as Python writes it, or empty
    text = _trimmed(values, whole)
    if kind in ("integer", "number"):
        return _numbers(text, kind, reading)
    if kind == "date":
        return _each_distinct(text, lambda v: iso_day(v, reading.dayfirst))
    return text


# Joins a column's cells into one string: a character no spreadsheet cell holds.
SEPARATOR = "\x00"
# The apostrophe an export puts before text a spreadsheet would run as a formula.
GUARDED = re.compile(r"\x00'[=+\-@\t\r]")
# A cell starting with a space, in the joined column or the column reversed: a
# literal first character lets the regular expression skip ahead (25 times faster
# than looking for spaces at both ends of a cell in one pattern).
SPACE_AFTER_SEPARATOR = re.compile(r"\x00\s")


def _needs_trim(whole: str) -> bool:
    """Whether any of the joined cells starts or ends with a space."""
    if whole[:1].isspace() or whole[-1:].isspace():
        return True
    return bool(SPACE_AFTER_SEPARATOR.search(whole) or SPACE_AFTER_SEPARATOR.search(whole[::-1]))


def _plain(values: pd.Series, kind: str) -> pd.Series:
    """Cells as they are, missing where empty; counts as Int64 (int() on each, three times
    faster than pandas.to_numeric; ValueError if one is not a plain whole number)."""
    import numpy as np

    from ..model.frames import pd

    cells = values.to_numpy()
    empty = cells == ""
    if kind == "integer":
        counts = np.zeros(len(cells), dtype=np.int64)
        counts[~empty] = np.fromiter(map(int, cells[~empty]), dtype=np.int64)
        return pd.Series(pd.arrays.IntegerArray(counts, empty), index=values.index)
    cells = cells.copy()
    cells[empty] = None
    return pd.Series(cells, index=values.index, dtype=object)


def _trimmed(values: pd.Series, whole: str) -> pd.Series:
    """Text without surrounding spaces, nothing for empty cells, the export's apostrophe off."""
    text = values.str.strip() if _needs_trim(whole) else values
    if whole.startswith("'") or GUARDED.search(whole):
        guarded = text.str.match(r"'[=+\-@\t\r]", na=False)
        # The apostrophe an export put there to keep a spreadsheet off the text.
        text = text.mask(guarded, text.str.slice(1))
    return _plain(text, "string")


def _numbers(text: pd.Series, kind: str, reading: Reading) -> pd.Series:
    """Counts or numbers from text: Int64 or Float64 when every cell reads as one."""
    convert = whole_number if kind == "integer" else _number
    return _typed_numbers(_each_distinct(text, lambda v: convert(v, reading)), kind)


def _typed_numbers(numbers: pd.Series, kind: str) -> pd.Series:
    try:
        return numbers.astype("Int64" if kind == "integer" else "Float64")
    except (TypeError, ValueError):
        return numbers  # text among the numbers: validation names each such cell


def _each_distinct(values: pd.Series, convert) -> pd.Series:
    """`convert` applied once per distinct value, missing values left missing."""
    import numpy as np

    from ..model.frames import pd

    codes, distinct = pd.factorize(values)
    converted = np.array([None, *(convert(v) for v in distinct)], dtype=object)
    return pd.Series(converted[codes + 1], index=values.index, dtype=object)


def clean_name(value) -> str:
    return "" if is_blank(value) else str(value).strip().lower()


def is_blank(value) -> bool:
    """Missing, or text of nothing but spaces: a cell left empty."""
    return is_missing(value) or (isinstance(value, str) and not value.strip())


def _cell(value, kind: str, reading: Reading):
    """A cell as the contract's column holds it; what cannot be read is left for validation."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        value = value.strip()
        if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
            value = value[1:]  # the apostrophe an export put there to keep a spreadsheet off it
    if kind == "integer":
        return whole_number(value, reading)
    if kind == "number":
        return _number(value, reading)
    if kind == "date":
        return iso_day(value, reading.dayfirst)
    if kind == "datetime" and isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an id or code typed as a number in a spreadsheet
    return str(value)


def whole_number(value, reading: Reading = Reading()):
    """A count from a cell: an int where it reads as one ("1,200"; "1.200" in a European
    file), else the value as it was, for validation to report."""
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    text = str(value)
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    grouping = {",": not reading.decimal_comma, " ": True, ".": reading.decimal_comma}
    for separator, grouped in THOUSANDS.items():
        if grouping[separator] and grouped.fullmatch(text):
            return int(re.sub(r"\D", "", text)) * (-1 if text.startswith("-") else 1)
    return value


def _number(value, reading: Reading):
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = str(value)
    if reading.decimal_comma:
        text = text.replace(".", "").replace(",", ".")  # 1.234,5
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return value


def iso_day(value, dayfirst: bool = False):
    """ISO text from a date, an Excel serial, ISO text, d/m/Y with --dayfirst, or '6 Dec 2024'."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (EXCEL_EPOCH + timedelta(days=int(value))).isoformat()
    text = str(value)
    iso = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:[ T][\d:.]*)?", text)
    if iso:
        return iso.group(1)  # a day, or a day with a time as databases write it
    if dayfirst and re.fullmatch(r"\d{1,2}[/.]\d{1,2}[/.]\d{4}", text):
        day, month, year = re.split(r"[/.]", text)
        return _iso(int(year), int(month), int(day), text)
    for form in TEXT_DATE_FORMATS:
        try:
            return datetime.strptime(text, form).date().isoformat()
        except ValueError:
            continue
    return text  # validation reports it, with the value


def _iso(year: int, month: int, day: int, text: str) -> str:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return text
