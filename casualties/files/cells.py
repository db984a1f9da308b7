"""Cells as spreadsheets and exports muddle them, cleaned to their column's type.

Spaces around codes and counts, "1,200", "1.200" in a European file, Excel's
date serials, text dates, the apostrophe an export puts before formula-like
text: each column is cleaned at once, and only odd cells are looked at one by
one. Free text (a quote, a note) is kept exactly as written, spaces and line
breaks included. What does not read as its column's type is left as it was,
for validation to report with the value; what would be stored as something
other than the file says (a spreadsheet's error cell, `true` as a count, a
count no spreadsheet holds exactly, 2,5 read as 25) is refused (`RefusedCells`).
"""

from __future__ import annotations

import contextlib
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from ..model.missing import is_missing
from ..model.rules import LARGEST_COUNT
from .csv_text import FORMULA_STARTS, revived

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


MAX_COUNT = LARGEST_COUNT  # what a spreadsheet or JSON reader holds exactly
# Excel's last day, 9999-12-31, as a date serial.
MAX_SERIAL = 2_958_465


@dataclass(frozen=True)
class Reading:
    """How to read the cells of a file: what the user told the import about it."""

    dayfirst: bool = False  # 06/12/2024 is 6 December
    # 1.200 is twelve hundred and 2,5 two and a half: a European file. Not guessed
    # from semicolons: desks in English use them too, with "1,200".
    decimal_comma: bool = False
    encoding: str | None = None  # a CSV's text encoding; None: found from its bytes
    # Whether the file's writers put an apostrophe before formula-like text (CSV:
    # `csv_text.inert`), which reading takes off again (`csv_text.revived`).
    guarded: bool = False


@dataclass(frozen=True)
class ErrorCell:
    """A spreadsheet's error value (#DIV/0!, #N/A, #REF!) where a value should be."""

    code: str

    def __str__(self) -> str:
        return self.code


class Refused(ValueError):
    """A cell that would be stored as something other than the file says: the reason."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class RefusedCells(ValueError):
    """Cells of a column refused: each one's position in the column, value and reason."""

    def __init__(self, cells: dict[int, tuple[object, str]]):
        super().__init__(f"{len(cells)} cells refused")
        self.cells = cells


def cleaned_column(values: pd.Series, kind: str, reading: Reading) -> pd.Series:
    """A column's cells as its type holds them; what cannot be read stays as it was.

    `kind` is a contract type, or "text" for free text kept as written. A
    column of text (every CSV, most sheets) is first looked at whole, as one
    string: most need nothing but their empty cells made missing, and counts
    and dates written plainly convert at once. Only cells that need a second
    look (a " 45 ", a "1,200", a "6 Dec 2024") go through Python, one distinct
    value at a time. Raises RefusedCells naming every cell refused.
    """
    from pandas.api.types import infer_dtype

    if infer_dtype(values, skipna=True) not in ("string", "empty"):
        # A sheet's typed cells: numbers, dates, text and '' for empty, mixed.
        try:
            cells = _each_distinct(values, lambda v: _cell(v, kind, reading))
        except TypeError:  # a JSON list or object in a cell: not hashable, read one by one
            cells = _each(values, lambda v: _cell(v, kind, reading))
        return _typed_numbers(cells, kind) if kind in ("integer", "number") else cells
    try:
        whole = SEPARATOR.join(values)
    except TypeError:  # missing cells among the text (a sheet's)
        values = values.fillna("")
        whole = SEPARATOR.join(values)
    if kind == "integer":
        # Every cell a count as Python writes it, or empty; OverflowError: beyond 64 bits.
        with contextlib.suppress(ValueError, OverflowError):
            return _plain(values, kind)
    if reading.guarded and GUARDED.search(whole):
        values = _each_distinct(values, revived)
    text = _as_written(values, whole) if kind == "text" else _trimmed(values, whole)
    if kind in ("integer", "number"):
        return _numbers(text, kind, reading)
    if kind == "date":
        return _each_distinct(text, lambda v: _day(v, reading))
    return text


# Joins a column's cells into one string: a character no spreadsheet cell holds.
SEPARATOR = "\x00"
# A cell the writers guarded with an apostrophe (`csv_text.inert`): apostrophes, then
# one of FORMULA_STARTS, at the start of a cell of the joined column.
GUARDED = re.compile("(?:^|\x00)'+[" + re.escape("".join(FORMULA_STARTS)) + "]")
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


def _as_written(values: pd.Series, whole: str) -> pd.Series:
    """Free text cell for cell as written, nothing for empty ones."""
    text = _plain(values, "string")
    # A cell of nothing but spaces is an empty cell, as elsewhere (`is_blank`).
    if _needs_trim(whole):
        spaces = values.str.strip().eq("").to_numpy()
        text[spaces] = None
    return text


def _trimmed(values: pd.Series, whole: str) -> pd.Series:
    """Codes and numbers without surrounding spaces, nothing for empty cells."""
    text = values.str.strip() if _needs_trim(whole) else values
    return _plain(text, "string")


def _numbers(text: pd.Series, kind: str, reading: Reading) -> pd.Series:
    """Counts or numbers from text: Int64 or Float64 when every cell reads as one."""
    convert = _count if kind == "integer" else _number
    return _typed_numbers(_each_distinct(text, lambda v: convert(v, reading)), kind)


def _typed_numbers(numbers: pd.Series, kind: str) -> pd.Series:
    try:
        return numbers.astype("Int64" if kind == "integer" else "Float64")
    except (TypeError, ValueError, OverflowError):
        return numbers  # text among the numbers: validation names each such cell


def _each_distinct(values: pd.Series, convert) -> pd.Series:
    """`convert` applied once per distinct value, missing values left missing.

    Raises RefusedCells naming every cell whose value `convert` refused.
    """
    import numpy as np

    from ..model.frames import pd

    codes, distinct = pd.factorize(values)
    converted, refused = _converted(distinct, convert)
    if refused:
        at = np.flatnonzero(np.isin(codes, list(refused)))
        raise RefusedCells({int(i): refused[codes[i]] for i in at})
    # Code -1 (a missing value) takes the None put last.
    everything = np.array([*converted, None], dtype=object)
    return pd.Series(everything[codes], index=values.index, dtype=object)


def _each(values: pd.Series, convert) -> pd.Series:
    """`convert` applied to each value (some not hashable); RefusedCells as above."""
    from ..model.frames import pd

    converted, refused = _converted(values.tolist(), convert)
    if refused:
        raise RefusedCells(refused)
    return pd.Series(converted, index=values.index, dtype=object)


def _converted(values, convert) -> tuple[list, dict[int, tuple[object, str]]]:
    """Each value converted (None where refused), and the refused ones by position."""
    converted, refused = [], {}
    for position, value in enumerate(values):
        try:
            converted.append(convert(value))
        except Refused as refusal:
            converted.append(None)
            refused[position] = (value, refusal.reason)
    return converted, refused


def clean_name(value) -> str:
    return "" if is_blank(value) else str(value).strip().lower()


def is_blank(value) -> bool:
    """Missing, or text of nothing but spaces: a cell left empty."""
    return is_missing(value) or (isinstance(value, str) and not value.strip())


def _cell(value, kind: str, reading: Reading):
    """A cell as the contract's column holds it; what cannot be read is left for validation,
    what would be stored as something else than the cell says is refused."""
    _refuse_unlike_a_cell(value, kind)
    if is_blank(value):
        return None
    if isinstance(value, str):
        value = value if kind == "text" else value.strip()
        value = revived(value) if reading.guarded else value
    if kind == "integer":
        return _count(value, reading)
    if kind == "number":
        return _number(value, reading)
    if kind == "date":
        return _day(value, reading)
    if kind == "datetime" and isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an id or code typed as a number in a spreadsheet
    return str(value)


def _refuse_unlike_a_cell(value, kind: str) -> None:
    """Refuse a spreadsheet's error, a yes-or-no and a list or object: no cell's value."""
    if isinstance(value, ErrorCell):
        raise Refused(f"a spreadsheet error ({value.code}), not a value: mend the formula")
    if isinstance(value, bool):
        said = "true" if value else "false"
        raise Refused(f"{said} is a yes-or-no, not {_a(kind)}")
    if isinstance(value, list | dict):
        raise Refused(f"a {'list' if isinstance(value, list) else 'JSON object'}, not {_a(kind)}")
    if isinstance(value, float) and not math.isfinite(value) and not math.isnan(value):
        raise Refused("not a finite number")


def _a(kind: str) -> str:
    return {"integer": "a count", "number": "a number", "date": "a date"}.get(kind, "text")


def _count(value, reading: Reading):
    """A count as `whole_number` reads it, refused beyond what is stored exactly."""
    count = whole_number(value, reading)
    if isinstance(count, int) and abs(count) > MAX_COUNT:
        raise Refused(f"larger than {MAX_COUNT:,}, the largest count stored exactly")
    if isinstance(count, float) and math.isfinite(count) and abs(count) > MAX_COUNT:
        raise Refused(f"larger than {MAX_COUNT:,}, the largest count stored exactly")
    return count


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


# A number as a European file writes it (1.234,5; 2,5) and as others do (1,234.5; 2.5).
DECIMAL_COMMA = re.compile(r"-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?")
DECIMAL_POINT = re.compile(r"-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?|-?\.\d+")


def _number(value, reading: Reading):
    """A number from a cell, else the value as it was for validation to report.

    Only a decimal separator the file's convention allows: 2,5 is refused
    without --decimal-comma (not read as 25), 2.5 with it.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        text = str(value)
        european = reading.decimal_comma
        if (DECIMAL_COMMA if european else DECIMAL_POINT).fullmatch(text):
            plain = text.replace(".", "").replace(",", ".") if european else text.replace(",", "")
            number = float(plain)
        elif not european and re.fullmatch(r"-?\d+,\d+", text):
            raise Refused(f"{text} has a decimal comma: import the file with --decimal-comma")
        elif european and re.fullmatch(r"-?\d+\.\d+", text):
            raise Refused(f"{text} has a decimal point in a file read with --decimal-comma")
        else:
            try:
                number = float(text)  # 1e3, inf, nan: looked at below
            except ValueError:
                return value
    if not math.isfinite(number):
        raise Refused("not a finite number")
    if abs(number) > MAX_COUNT:
        raise Refused(f"larger than {MAX_COUNT:,}, the largest number stored exactly")
    return number


def _day(value, reading: Reading):
    """A day as `iso_day` reads it; a date serial beyond Excel's calendar refused."""
    serial = isinstance(value, int | float) and not isinstance(value, bool)
    if serial and not 1 <= value <= MAX_SERIAL:
        raise Refused(
            f"a date serial outside Excel's calendar (1 to {MAX_SERIAL:,}: "
            "1900-01-01 to 9999-12-31)"
        )
    return iso_day(value, reading.dayfirst)


def iso_day(value, dayfirst: bool = False):
    """ISO text from a date, an Excel serial, ISO text, d/m/Y with --dayfirst, or '6 Dec 2024'."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value <= MAX_SERIAL:
            return value  # no day: validation reports it, with the value
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
