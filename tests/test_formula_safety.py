"""No formula ever reaches a spreadsheet: every writer of a cell an analyst opens, hostile text in.

Each writer is run through the CLI on a store holding text an attacker would
type (a source named =HYPERLINK(...), quotes starting with + - @, a tab, a
carriage return before =cmd|...). A CSV must hold every such text with the
apostrophe of `inert` before it and every carriage return inside quotes; a
workbook must hold no formula cell, and the texts exactly.
"""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from casualties.cli.app import cli
from casualties.files.csv_text import (
    FORMULA_STARTS,
    csv_text,
    inert,
    revived,
    workbook_text,
)
from tests.conftest import libreoffice, store_digest

SOURCE_KIND = ("--kind", "ngo", "--reliability", "low")
HYPERLINK = '=HYPERLINK("http://evil.example","x")'
# quote → the id the figure gets
HOSTILE_QUOTES = (
    HYPERLINK + " 5 killed",
    "+5 killed in the strike",
    "-5 dead, the monitor said",
    "@SUM(1) reported 12 killed",
    "\t12 killed",
    "\r=cmd|' /C calc'!A0",
    "12 killed\r=cmd|' /C calc'!A0",
    "'=an apostrophe of its own",
)


def run(db: Path, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture
def hostile_db(tmp_path) -> Path:
    """The example store, with a source named as a formula and a figure per hostile quote."""
    db = tmp_path / "hostile.db"
    run(db, "init", "--example")
    run(db, "sources", "add", "--id", "evil", "--name", HYPERLINK, *SOURCE_KIND)
    run(db, "sources", "add", "--id", "plus", "--name", "+Plus", *SOURCE_KIND)
    for number, quote in enumerate(HOSTILE_QUOTES):
        run(
            db,
            "add",
            *("--id", f"hostile-{number}", "--metric", "killed", "--group", "civilians"),
            *("--value", str(5 + number), "--source", "evil", "--place", "SY07"),
            *("--publication", "upi-2024-12-06", "--start", "2024-12-01"),
            *("--quote", quote, "--notes", "=1+1"),
        )
    return db


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_inert(rows: list[list[str]]) -> None:
    """Every field a spreadsheet would run is prefixed, and reads back as it was."""
    for row in rows:
        for field in row:
            if field.startswith(FORMULA_STARTS):
                assert _is_number(field), f"a live formula: {field!r}"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def assert_quotes_kept(rows: list[list[str]], column: str = "quote") -> None:
    """The hostile quotes all there, each with the apostrophe `revived` takes away."""
    at = rows[0].index(column)
    written = [row[at] for row in rows[1:] if revived(row[at]) in HOSTILE_QUOTES]
    assert sorted(revived(q) for q in written) == sorted(HOSTILE_QUOTES)
    assert all(q.startswith("'") for q in written if not q.startswith("12 killed"))


def assert_no_formula(path: Path) -> int:
    """No cell of the workbook is a formula; how many text cells it holds."""
    book = load_workbook(path)
    texts = 0
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{path.name}:{sheet.title}!{cell.coordinate}"
                texts += cell.data_type == "s"
    return texts


def text_cells(path: Path) -> dict[str, list[object]]:
    book = load_workbook(path)
    return {sheet.title: [c for row in sheet.iter_rows() for c in row] for sheet in book}


# --- the rule -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+5", "'+5"),
        ("-5 dead", "'-5 dead"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1", "'\t=1"),
        ("\r=cmd", "'\r=cmd"),
        ("'=x", "''=x"),
        ("''-5", "'''-5"),
        ("'tis the season", "'tis the season"),
        ("12 killed", "12 killed"),
        ("", ""),
        (-5, -5),
        (None, None),
    ],
)
def test_inert_prefixes_one_apostrophe_and_revived_takes_it_back(text, written):
    assert inert(text) == written
    if isinstance(text, str):
        assert revived(inert(text)) == text


def test_a_carriage_return_is_quoted_and_its_row_stays_one():
    text = csv_text([["id", "quote"], ["a", "12 killed\r=cmd|' /C calc'!A0"], ["b", "\r=x"]])
    assert text == 'id,quote\na,"12 killed\r=cmd|\' /C calc\'!A0"\nb,"\'\r=x"\n'
    assert csv_rows(text)[1:] == [["a", "12 killed\r=cmd|' /C calc'!A0"], ["b", "'\r=x"]]


def test_numbers_shown_as_text_stay_numbers_in_their_columns():
    text = csv_text([["change", "note"], ["-3", "-3"]], numeric=[True, False])
    assert text == "change,note\n-3,'-3\n"


@pytest.mark.parametrize("text", ["bell\x07name", "cr\rinside", "_x0007_ as typed", "nul\x00"])
def test_workbook_text_holds_control_characters_as_escapes_read_back(text, tmp_path):
    from openpyxl import Workbook
    from python_calamine import CalamineWorkbook

    book = Workbook()
    book.active.append([workbook_text(text)])
    book.save(tmp_path / "t.xlsx")
    read = CalamineWorkbook.from_path(str(tmp_path / "t.xlsx")).get_sheet_by_index(0).to_python()
    assert read[0][0] == text


# --- every CSV writer ------------------------------------------------------------------


def test_export_csv_holds_every_hostile_quote_inert(hostile_db, tmp_path):
    out = tmp_path / "figures.csv"
    run(hostile_db, "export", "csv", "--out", str(out))
    rows = csv_rows(out.read_bytes().decode("utf-8"))
    assert_inert(rows)
    assert_quotes_kept(rows)
    assert len(rows) == 1 + 7 + len(HOSTILE_QUOTES)


def test_export_csv_bytes_quote_every_carriage_return(hostile_db, tmp_path):
    out = tmp_path / "figures.csv"
    run(hostile_db, "export", "csv", "--out", str(out))
    data = out.read_bytes()
    assert b"\"'\r=cmd|' /C calc'!A0\"" in data
    assert b'"12 killed\r=cmd|' in data
    # Outside quoted fields no carriage return: each row one line for every reader.
    outside = data.split(b'"')[::2]
    assert not any(b"\r" in part for part in outside)


def test_export_hxl_is_inert(hostile_db, tmp_path):
    out = tmp_path / "figures-hxl.csv"
    run(hostile_db, "export", "hxl", "--out", str(out))
    rows = csv_rows(out.read_bytes().decode("utf-8"))
    assert rows[1][0].startswith("#")  # the hashtag row as HDX reads it
    assert_inert(rows)
    assert_quotes_kept([rows[0], *rows[2:]])


def test_list_format_csv_is_inert(hostile_db):
    rows = csv_rows(run(hostile_db, "list", "--format", "csv"))
    assert_inert(rows)
    assert_quotes_kept(rows)


def test_history_format_csv_is_inert(hostile_db):
    rows = csv_rows(run(hostile_db, "history", "hostile-5", "--format", "csv"))
    assert_inert(rows)
    assert "'\r=cmd|' /C calc'!A0" in rows[1]


def test_sources_list_format_csv_is_inert(hostile_db):
    rows = csv_rows(run(hostile_db, "sources", "list", "--format", "csv"))
    assert_inert(rows)
    names = [row[rows[0].index("name")] for row in rows[1:]]
    assert "'" + HYPERLINK in names and "'+Plus" in names


def test_extract_drafts_csv_is_inert(hostile_db, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text("-5 civilians were killed in Hama on Monday, the White Helmets said.\n")
    out = tmp_path / "drafts.csv"
    run(hostile_db, "extract", str(article), "--published", "2024-12-06", "--out", str(out))
    rows = csv_rows(out.read_bytes().decode("utf-8"))
    assert_inert(rows)
    assert rows[1][rows[0].index("quote")].startswith("'-5 civilians")


# --- every workbook writer --------------------------------------------------------------


def test_template_writes_a_source_named_as_a_formula_as_text(hostile_db, tmp_path):
    out = tmp_path / "entry.xlsx"
    run(hostile_db, "template", "--out", str(out))
    assert_no_formula(out)
    names = {c.value: c for c in text_cells(out)["Sources"] if c.column == 2}
    assert names[HYPERLINK].data_type == "s" and names[HYPERLINK].quotePrefix
    assert names["+Plus"].quotePrefix


def test_extract_drafts_workbook_holds_no_formula(hostile_db, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(
        "-5 civilians were killed in Hama on Monday, the White Helmets said.\n\n"
        "@SOHR said 12 civilians were killed in Idlib on Sunday.\n"
    )
    out = tmp_path / "drafts.xlsx"
    run(
        hostile_db,
        *("extract", str(article), "--published", "2024-12-06"),
        *("--publisher", "=evil()", "--url", "=HYPERLINK(1)", "--out", str(out)),
    )
    assert_no_formula(out)
    values = [c.value for c in text_cells(out)["Publications"]]
    assert "=evil()" in values and "=HYPERLINK(1)" in values


def test_export_xlsx_holds_no_formula(hostile_db, tmp_path):
    out = tmp_path / "figures.xlsx"
    run(hostile_db, "export", "xlsx", "--out", str(out))
    assert_no_formula(out)


def test_writers_leave_the_store_as_it_was(hostile_db, tmp_path):
    before = store_digest(hostile_db)
    run(hostile_db, "template", "--out", str(tmp_path / "t.xlsx"))
    run(hostile_db, "export", "csv", "--out", str(tmp_path / "e.csv"))
    run(hostile_db, "export", "hxl", "--out", str(tmp_path / "h.csv"))
    assert store_digest(hostile_db) == before


# --- LibreOffice, as an analyst opens the files ------------------------------------------


@pytest.mark.parametrize("command", [("export", "csv"), ("export", "hxl")])
def test_libreoffice_opens_the_hostile_csv_as_text_row_for_row(hostile_db, tmp_path, command):
    office = libreoffice(tmp_path)
    out = tmp_path / "figures.csv"
    run(hostile_db, *command, "--out", str(out))
    converted = tmp_path / "converted"
    subprocess.run(
        [*office, "--convert-to", "xlsx", "--outdir", str(converted), str(out)],
        check=True,
        timeout=180,
        capture_output=True,
    )
    sheet = load_workbook(converted / "figures.xlsx").active
    assert_no_formula(converted / "figures.xlsx")
    data_rows = sheet.max_row - (2 if command[1] == "hxl" else 1)
    assert data_rows == 7 + len(HOSTILE_QUOTES)  # no row split at a carriage return
