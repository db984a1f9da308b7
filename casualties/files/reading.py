"""Tables read from files: CSV streamed in chunks, workbooks and JSON whole, cells cleaned.

A file holds one table (a CSV: figures unless told) or several (a workbook's
sheets or a JSON object, named for their tables, as the entry template and the
exports lay them out). Each table's header may sit below a few title rows;
blank rows are skipped and counted; cells are cleaned column by column the way
a spreadsheet muddles them (spaces, "1,200", "1.200" in a European file, Excel's
date serials, the apostrophe an export puts before formula-like text). What
cannot be read as its column's type is left as it was, for validation to
report with the value.

A CSV is read CHUNK_ROWS records at a time, so a million-row file never sits
in memory whole; every row keeps the number a spreadsheet shows it under.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CasualtiesError
from ..model import contract
from ..model.missing import is_missing
from ..reporting.render import FORMULA_STARTS

if TYPE_CHECKING:
    from ..model.frames import pd

TABLE_ORDER = ("sources", "publications", "figures", "citations")
REASON_COLUMN = "rejected_because"
# The rejects file's reasons, the workbook's link to a figure's first publication, and
# the review columns of drafted figures (`casualties extract`): read by people, not stored.
DERIVED_COLUMNS = {REASON_COLUMN, "publication_url", "confidence", "doubts", "quote_at"}
HEADER_SEARCH_ROWS = 20
SAMPLE_BYTES = 20_000  # what the separator is guessed from
CHUNK_ROWS = 100_000
EXCEL_EPOCH = date(1899, 12, 30)
TEXT_DATE_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%b %d %Y", "%B %d %Y")
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
# Digits grouped in threes: 1,200 / 1 200 (with a plain, no-break or thin space) / 1.200.
THOUSANDS = {
    ",": re.compile(r"-?\d{1,3}(?:,\d{3})+"),
    " ": re.compile(r"-?\d{1,3}(?:[ \u00a0\u202f]\d{3})+"),
    ".": re.compile(r"-?\d{1,3}(?:\.\d{3})+"),
}


class UnreadableFile(CasualtiesError):
    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path}: {reason}")


@dataclass(frozen=True)
class Reading:
    """How to read the cells of a file: what the user told the import about it."""

    dayfirst: bool = False  # 06/12/2024 is 6 December
    # 1.200 is twelve hundred and 2,5 two and a half: a European file. Not guessed
    # from semicolons: desks in English use them too, with "1,200".
    decimal_comma: bool = False


@dataclass(frozen=True)
class Part:
    """Rows of one table read from a file: typed, as read, and where each sits in the file."""

    table: str
    sheet: str | None
    frame: pd.DataFrame  # the table's columns, each cleaned to its type
    row_numbers: list[int]  # as a spreadsheet numbers the rows
    blank_rows: int
    header: tuple[str, ...] = ()  # as written in the file
    raw: pd.DataFrame | None = None  # each row's cells as read, for a rejects file

    def without(self, numbers: set[int]) -> Part:
        """The part less the rows at these file row numbers."""
        kept = [i for i, n in enumerate(self.row_numbers) if n not in numbers]
        return replace(
            self,
            frame=self.frame.iloc[kept].reset_index(drop=True),
            row_numbers=[self.row_numbers[i] for i in kept],
            raw=None if self.raw is None else self.raw.iloc[kept].reset_index(drop=True),
        )

    def only(self, numbers: set[int]) -> Part:
        """The part's rows at these file row numbers, none of its blank rows."""
        return replace(self.without(set(self.row_numbers) - numbers), blank_rows=0)

    def followed_by(self, other: Part) -> Part:
        """This part's rows, then the other's (of the same table and sheet)."""
        from ..model.frames import pd

        def stacked(first, second):
            if first is None or second is None:
                return None
            return pd.concat([first, second], ignore_index=True)

        return replace(
            other,
            frame=stacked(self.frame, other.frame),
            row_numbers=[*self.row_numbers, *other.row_numbers],
            raw=stacked(self.raw, other.raw),
        )

    def raw_rows(self, numbers: set[int]) -> list[list]:
        """The cells as read of the rows at these file row numbers, in file order."""
        if self.raw is None:
            return []
        at = [i for i, n in enumerate(self.row_numbers) if n in numbers]
        return [[None if is_blank(v) else v for v in row] for row in self.raw.iloc[at].values]


def read_batches(path: Path, table: str | None, reading: Reading) -> Iterator[list[Part]]:
    """The file's tables, in the order to store them: a CSV in chunks, other files whole."""
    if not path.is_file():
        raise UnreadableFile(path, "no such file")
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        yield _parts_of_sheets(path, _workbook_sheets(path, table), table, reading)
        return
    if suffix == ".json":
        yield _parts_of_sheets(path, _json_sheets(path), table, reading)
        return
    yield from _csv_batches(path, table or "figures", reading)


def approximate_rows(path: Path) -> int:
    """The file's lines: its rows, give or take the line breaks inside quoted cells."""
    lines = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 24):
            lines += block.count(b"\n")
    return lines


def dataset_batches(path: Path, dataset: str, provenance=None) -> Iterator[list[Part]]:
    """The sources, publications and figures an event dataset's export holds.

    `dataset` names a mapping in schemas/datasets/, or is "hdx": a file tagged
    with HXL by others, its counts given the `provenance` (`hdx.Provenance`).
    """
    from ..model.frames import pd

    name, rows = _first_sheet(path)
    if dataset == "hdx":
        from .hdx import hashtag_row, hdx_figures

        at = hashtag_row(rows, path.name)
        tables = {"figures": hdx_figures(rows, provenance, path.name)}
    else:
        from .datasets import dataset_tables

        at = 0
        header = [_clean_name(v) for v in rows[0]]
        records = [dict(zip(header, row, strict=False)) for row in rows[1:]]
        tables = dataset_tables(records, dataset, path.name)
    figures = tables.pop("figures")
    positions = [int(p) for p in figures.pop("_row")] if len(figures) else []
    body = rows[at + 1 :]
    blank = sum(all(is_blank(v) for v in row) for row in body)
    parts = [Part(table, None, frame, [1], 0) for table, frame in tables.items()]
    raw = pd.DataFrame([body[p] for p in positions], dtype=object)
    numbers = [at + 2 + p for p in positions]
    heading = tuple("" if is_blank(v) else str(v) for v in rows[at])
    yield [*parts, Part("figures", name, figures, numbers, blank, heading, raw)]


def _first_sheet(path: Path) -> tuple[str | None, list[list]]:
    """The rows of a CSV, or of a workbook's first sheet."""
    from ..model.frames import pd

    if not path.is_file():
        raise UnreadableFile(path, "no such file")
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        name, rows = _workbook_sheets(path, first_only=True)[0]
    else:
        chunks = list(_csv_chunks(path, 0, None, _csv_layout(path)))
        name, rows = None, pd.concat(chunks).values.tolist() if chunks else []
    if not rows:
        raise UnreadableFile(path, "is empty")
    return name, rows


def _parts_of_sheets(path: Path, sheets: list, table: str | None, reading: Reading) -> list[Part]:
    from ..model.frames import pd

    parts = []
    for name, rows in sheets:
        table_name = table or _table_named(name, single=len(sheets) == 1)
        if table_name is None:
            continue
        layout = _layout(rows, table_name, name, path)
        body = pd.DataFrame(rows[layout.at + 1 :], dtype=object)
        parts.append(_part(table_name, name, layout, body, layout.at + 2, reading))
    if not parts:
        names = ", ".join(repr(n) for n, _ in sheets)
        tables = ", ".join(TABLE_ORDER)
        raise UnreadableFile(path, f"no sheet named for a table ({tables}): {names}")
    return sorted(parts, key=lambda p: TABLE_ORDER.index(p.table))


@dataclass(frozen=True)
class _Layout:
    """Where a table's header is and what each column holds ('' for a column set aside)."""

    at: int  # the header's row, from 0
    names: list[str]
    header: tuple[str, ...]


def _layout(rows: list[list], table: str, sheet: str | None, path: Path) -> _Layout:
    from .hxl import fields_of, is_hashtag_row

    known = set(contract.table(table).column_names)
    at = _header_row(rows, known)
    tagged = next((n for n, r in enumerate(rows[:HEADER_SEARCH_ROWS]) if is_hashtag_row(r)), None)
    if at is None and tagged is None:
        where = f"sheet {sheet!r}" if sheet else "the file"
        raise UnreadableFile(path, f"{where} has no header row naming {table} columns")
    names = [_clean_name(v) for v in rows[at]] if at is not None else []
    header = tuple("" if is_blank(v) else str(v) for v in rows[at]) if at is not None else ()
    if tagged is not None and (at is None or tagged == at + 1):
        # HXL: the hashtag row says which field each column holds.
        at, names = tagged, fields_of(rows[tagged])
        header = tuple("" if is_blank(v) else str(v) for v in rows[tagged])
    # Columns this tool adds to what it writes (not fields of the table) are set aside.
    names = ["" if n in DERIVED_COLUMNS else n for n in names]
    return _Layout(at, names, header)


def _part(
    table: str, sheet: str | None, layout: _Layout, body: pd.DataFrame, first: int, reading: Reading
) -> Part:
    """The rows of `body` (cells as read, the first at file row `first`) as a table's part."""
    import numpy as np

    from ..model.frames import pd

    kinds = {c.name: c.type for c in contract.table(table).columns}
    named = {name: position for position, name in enumerate(layout.names) if name}
    empty = pd.Series(None, index=body.index, dtype=object)  # a column no row reaches
    cleaned = {
        # A column the table does not have is kept as text: validation names it.
        name: _cleaned(
            body.iloc[:, position] if position < body.shape[1] else empty,
            kinds.get(name, "string"),
            reading,
        )
        for name, position in named.items()
    }
    frame = pd.DataFrame(cleaned, index=body.index, columns=list(named))
    blank = frame.isna().all(axis=1).to_numpy() if named else np.ones(len(body), dtype=bool)
    numbers = (np.arange(len(body)) + first)[~blank].tolist()
    if blank.any():
        frame = frame[~blank].reset_index(drop=True)
        body = body[~blank].reset_index(drop=True)
    return Part(table, sheet, frame, numbers, int(blank.sum()), layout.header, body)


def _header_row(rows: list[list], known: set[str]) -> int | None:
    """The row among the first few that names the most of the table's columns (two at least)."""
    best, best_count = None, 1
    for number, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        count = sum(_clean_name(v) in known for v in row)
        if count > best_count:
            best, best_count = number, count
    return best


def _table_named(sheet: str | None, single: bool) -> str | None:
    if sheet is None:
        return "figures"
    name = sheet.strip().lower()
    if name in TABLE_ORDER:
        return name
    return "figures" if single else None


# CSV ----------------------------------------------------------------------


@dataclass(frozen=True)
class _CsvLayout:
    encoding: str
    delimiter: str
    sample: list[list[str]]  # the first records, for the header


def _csv_layout(path: Path) -> _CsvLayout:
    """The file's encoding and separator, and its first records."""
    encoding = text_encoding(path)
    with path.open(encoding=encoding, newline="") as handle:
        text = handle.read(SAMPLE_BYTES)
        try:
            delimiter = csv.Sniffer().sniff(text, delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
        handle.seek(0)
        records = csv.reader(handle, delimiter=delimiter)
        sample = [row for _, row in zip(range(HEADER_SEARCH_ROWS), records, strict=False)]
    return _CsvLayout(encoding, delimiter, sample)


def text_encoding(path: Path) -> str:
    """UTF-8 (with or without Excel's byte-order mark) if every byte says so, else cp1252.

    The whole file is checked, a block at a time: a Windows "CSV (Comma
    delimited)" file may hold its first accented name a million rows down.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        try:
            while block := handle.read(1 << 24):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


def _csv_batches(path: Path, table: str, reading: Reading) -> Iterator[list[Part]]:
    layout = _csv_layout(path)
    if not layout.sample:
        raise UnreadableFile(path, "is empty")
    where = _layout(layout.sample, table, None, path)
    first = where.at + 2
    for body in _csv_chunks(path, where.at + 1, len(where.names), layout):
        yield [_part(table, None, where, body, first, reading)]
        first += len(body)


def _csv_chunks(path: Path, skip: int, width: int | None, layout: _CsvLayout):
    """The records after the first `skip`, CHUNK_ROWS at a time, every cell as text.

    Cells past the header's `width` have no column and are not read.
    """
    from ..model.frames import pd

    width = width or max((len(r) for r in layout.sample), default=1)
    try:
        yield from pd.read_csv(
            path,
            sep=layout.delimiter,
            encoding=layout.encoding,
            encoding_errors="replace",
            header=None,
            skiprows=skip,
            names=range(width),
            usecols=range(width),
            dtype=object,
            na_filter=False,
            skip_blank_lines=False,
            chunksize=CHUNK_ROWS,
        )
    except pd.errors.EmptyDataError:
        return
    except pd.errors.ParserError as error:
        raise UnreadableFile(path, f"is not a CSV this tool can read ({error})") from error


# Workbooks and JSON -------------------------------------------------------


def _workbook_sheets(
    path: Path, table: str | None = None, first_only: bool = False
) -> list[tuple[str, list[list]]]:
    """The sheets that may hold a table (all when one is named or there is one sheet),
    or only the first (a dataset's export)."""
    from python_calamine import CalamineWorkbook

    _refuse_unsafe_workbook(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
        names = book.sheet_names[:1] if first_only else book.sheet_names
        if table is None and len(names) > 1:
            # The export's About, Latest and Weekly sheets are for reading, not importing.
            names = [n for n in names if _table_named(n, single=False)] or names
        return [(name, book.get_sheet_by_name(name).to_python()) for name in names]
    except Exception as error:  # calamine raises its own types for each kind of damage
        raise UnreadableFile(path, f"not a workbook this tool can read ({error})") from error


# An OLE compound file: an old .xls, or an .xlsx that a password has encrypted.
OLE_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
MAX_UNPACKED_BYTES = 2_000_000_000  # what a workbook may unpack to
MAX_COMPRESSION_RATIO = 200  # beyond this, in a large entry, a zip bomb, not a spreadsheet
BOMB_BYTES = 100_000_000


def _refuse_unsafe_workbook(path: Path) -> None:
    """Refuse, before any reading, an encrypted workbook and one that would unpack too far."""
    import zipfile

    with path.open("rb") as handle:
        start = handle.read(8)
    if start == OLE_SIGNATURE and path.suffix.lower() in (".xlsx", ".xlsm"):
        raise UnreadableFile(
            path, "is password-protected: save a copy without the password and import that"
        )
    if not zipfile.is_zipfile(path):
        return  # .xls and .ods are other formats; calamine says if it cannot read them
    with zipfile.ZipFile(path) as archive:
        entries = archive.infolist()
    unpacked = sum(e.file_size for e in entries)
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableFile(
            path,
            f"would unpack to {unpacked / 1e6:,.0f} MB, more than "
            f"{MAX_UNPACKED_BYTES / 1e6:,.0f} MB: split it, or export it as CSV",
        )
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if ratio > MAX_COMPRESSION_RATIO and entry.file_size > BOMB_BYTES:
            raise UnreadableFile(
                path, f"{entry.filename} unpacks {ratio:,.0f} times its size: refused as a zip bomb"
            )


def _json_sheets(path: Path) -> list[tuple[str | None, list[list]]]:
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UnreadableFile(path, f"not JSON ({error})") from error
    tables = document if isinstance(document, dict) else {None: document}
    sheets = []
    for name, records in tables.items():
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise UnreadableFile(path, f"{name or 'the file'} is not a list of records")
        columns = list(dict.fromkeys(k for record in records for k in record))
        sheets.append((name, [columns, *([r.get(c) for c in columns] for r in records)]))
    return sheets


# Cells ----------------------------------------------------------------------


def _cleaned(values: pd.Series, kind: str, reading: Reading) -> pd.Series:
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


def _clean_name(value) -> str:
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
