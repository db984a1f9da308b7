"""Where a workbook holds error values (#DIV/0!, #N/A, #REF!), which calamine reads as empty.

An .xlsx marks such a cell `t="e"` in its sheet's XML; the sheets are
searched as bytes first, so a workbook without one (nearly all) costs one
pass of unzipping. Other formats (.xls, .ods) are not searched.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PACKAGE = "{http://schemas.openxmlformats.org/package/2006/relationships}"
ERROR_MARK = b't="e"'
CELL_REFERENCE = re.compile(r"([A-Z]+)(\d+)")


def error_cells(path: Path, sheets: list[str]) -> dict[str, dict[tuple[int, int], str]]:
    """Each named sheet's error cells: (row, column) from 0 → the error as Excel shows it."""
    if not zipfile.is_zipfile(path):
        return {}
    found = {}
    with zipfile.ZipFile(path) as archive:
        parts = _sheet_parts(archive)
        for name in sheets:
            part = parts.get(name)
            if part is not None and _holds_errors(archive, part):
                found[name] = _errors_in(archive, part)
    return found


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the archive member holding its cells."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        links = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in links.iter(f"{PACKAGE}Relationship")}
    parts = {}
    for sheet in book.iter(f"{MAIN}sheet"):
        target = targets.get(sheet.get(RELATIONSHIP), "")
        member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        parts[sheet.get("name")] = str(PurePosixPath(member))
    return parts


def _holds_errors(archive: zipfile.ZipFile, member: str) -> bool:
    try:
        with archive.open(member) as handle:
            tail = b""
            while block := handle.read(1 << 22):
                if ERROR_MARK in tail + block:
                    return True
                tail = block[-len(ERROR_MARK) :]
    except KeyError:
        return False
    return False


def _errors_in(archive: zipfile.ZipFile, member: str) -> dict[tuple[int, int], str]:
    errors = {}
    with archive.open(member) as handle:
        for _, element in ElementTree.iterparse(handle):
            if element.tag != f"{MAIN}c":
                continue
            if element.get("t") == "e":
                reference = CELL_REFERENCE.fullmatch(element.get("r", ""))
                value = element.find(f"{MAIN}v")
                if reference is not None:
                    letters, number = reference.groups()
                    code = value.text if value is not None and value.text else "#ERROR"
                    errors[(int(number) - 1, _column(letters))] = code
            element.clear()
    return errors


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number - 1
