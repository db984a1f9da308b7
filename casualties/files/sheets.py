"""A workbook's or a JSON file's sheets as rows of cells, refusing what is no spreadsheet.

An encrypted workbook and one that would unpack beyond reason (a zip bomb) are
refused before any reading; a sheet is named for the table it holds.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import UnreadableFile
from .cells import ErrorCell
from .error_cells import error_cells

TABLE_ORDER = ("sources", "publications", "figures", "citations")


def table_named(sheet: str | None, single: bool) -> str | None:
    if sheet is None:
        return "figures"
    name = sheet.strip().lower()
    if name in TABLE_ORDER:
        return name
    return "figures" if single else None


def workbook_sheets(
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
            names = [n for n in names if table_named(n, single=False)] or names
        sheets = [(name, book.get_sheet_by_name(name)) for name in names]
        read = [(name, sheet.to_python(), sheet.start) for name, sheet in sheets]
    except Exception as error:  # calamine raises its own types for each kind of damage
        raise UnreadableFile(path, f"not a workbook this tool can read ({error})") from error
    errors = error_cells(path, names)
    return [(name, _marked(rows, errors.get(name, {}), start)) for name, rows, start in read]


def _marked(rows: list[list], errors: dict, start) -> list[list]:
    """The rows with each error cell as an ErrorCell (calamine reads it as empty)."""
    top, left = start or (0, 0)
    for (row, column), code in errors.items():
        at, across = row - top, column - left
        if 0 <= at < len(rows) and 0 <= across < len(rows[at]):
            rows[at][across] = ErrorCell(code)
    return rows


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


def json_sheets(path: Path) -> list[tuple[str | None, list[list]]]:
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
