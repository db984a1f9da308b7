"""`import --keep-valid` is all or nothing too: the rejects are written, or no row is stored.

Each case runs the CLI on a copy of the example store and checks the exit
code, that the message names the file (and where it applies the row and
column), and the store's rows by their hash.
"""

from __future__ import annotations

import csv
import errno
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from casualties.cli.app import cli
from casualties.files.atomic import PendingFile
from casualties.files.reading import REASON_COLUMN
from tests.conftest import store_digest

FIGURE_COLUMNS = (
    "id",
    "metric",
    "population_group",
    "value_low",
    "value_best",
    "value_high",
    "place_codes",
    "place_reported",
    "place_precision",
    "period_start",
    "source_id",
    "publication_ids",
    "quote",
)


def figure_row(figure_id: str, metric: str = "killed", quote: str = "Seven were killed.") -> list:
    return [figure_id, metric, "civilians", 7, 7, 7, "SY07", "Idlib", "admin1", "2024-12-02"] + [
        "white-helmets",
        "upi-2024-12-06",
        quote,
    ]


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "store.db"
    invoke(path, "init", "--example")
    return path


def invoke(db: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


@pytest.fixture
def one_bad_figure(tmp_path) -> Path:
    """Two good figures and one whose metric is not in the vocabulary (row 3)."""
    path = tmp_path / "figures.csv"
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(FIGURE_COLUMNS)
        writer.writerow(figure_row("kv-good-1"))
        writer.writerow(figure_row("kv-bad", metric="exploded", quote="=HYPERLINK(1) 7 killed"))
        writer.writerow(figure_row("kv-good-2", quote="Eight were killed."))
    return path


@pytest.fixture
def two_bad_tables(tmp_path) -> Path:
    """A workbook whose Sources sheet and Figures sheet each hold a bad row."""
    book = Workbook()
    sources = book.active
    sources.title = "Sources"
    sources.append(["id", "name", "kind", "reliability"])
    sources.append(["kv-ngo", "A good NGO", "ngo", "low"])
    sources.append(["kv-alien", "An alien NGO", "alien", "low"])
    figures = book.create_sheet("Figures")
    figures.append(list(FIGURE_COLUMNS))
    figures.append(figure_row("kv-good-1"))
    figures.append(figure_row("kv-bad", metric="exploded"))
    path = tmp_path / "entry.xlsx"
    book.save(path)
    return path


def refused(db: Path, *args: str, code: int = 1) -> str:
    """The import's error output, after checking its exit code and that no row moved."""
    before = store_digest(db)
    result = invoke(db, "import", *args)
    assert result.exit_code == code, result.output
    assert store_digest(db) == before
    return result.output


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_keep_valid_stores_the_good_rows_and_writes_the_bad_one(db, one_bad_figure, tmp_path):
    rejects = tmp_path / "rejects.csv"
    result = invoke(db, "import", str(one_bad_figure), "--keep-valid", str(rejects))
    assert result.exit_code == 0, result.output
    assert "1 rows rejected" in result.output and str(rejects) in result.output
    rows = list(csv.reader(io.StringIO(rejects.read_bytes().decode(), newline="")))
    assert rows[0][-1] == REASON_COLUMN
    assert [r[0] for r in rows[1:]] == ["kv-bad"]
    assert "metric" in rows[1][-1] and "exploded" in rows[1][-1]
    assert rows[1][FIGURE_COLUMNS.index("quote")] == "'=HYPERLINK(1) 7 killed"  # inert
    listed = invoke(db, "list", "--format", "csv").output
    assert "kv-good-1" in listed and "kv-good-2" in listed and "kv-bad" not in listed
    assert leftovers(tmp_path) == []


def test_keep_valid_into_a_missing_folder_stores_nothing(db, one_bad_figure, tmp_path):
    rejects = tmp_path / "missing" / "rejects.csv"
    output = refused(db, str(one_bad_figure), "--keep-valid", str(rejects))
    assert f"cannot write {rejects}" in output and "does not exist" in output
    assert "Traceback" not in output
    assert not rejects.parent.exists()


def test_keep_valid_xlsx_into_a_missing_folder_stores_nothing(db, one_bad_figure, tmp_path):
    rejects = tmp_path / "missing" / "rejects.xlsx"
    output = refused(db, str(one_bad_figure), "--keep-valid", str(rejects))
    assert str(rejects) in output and "does not exist" in output


def test_keep_valid_on_a_full_disk_stores_nothing(db, one_bad_figure, tmp_path, monkeypatch):
    def full(self, write):
        def filling(at: str) -> None:
            write(at)  # the rows written, then the disk fills up at the last block
            raise OSError(errno.ENOSPC, "No space left on device", at)

        return original(self, filling)

    original = PendingFile.write
    monkeypatch.setattr(PendingFile, "write", full)
    rejects = tmp_path / "rejects.csv"
    output = refused(db, str(one_bad_figure), "--keep-valid", str(rejects))
    assert f"cannot write {rejects}: the disk is full" in output
    assert not rejects.exists() and leftovers(tmp_path) == []


def test_two_tables_rejects_to_one_csv_store_nothing(db, two_bad_tables, tmp_path):
    rejects = tmp_path / "rejects.csv"
    output = refused(db, str(two_bad_tables), "--keep-valid", str(rejects))
    assert str(rejects) in output and "Sources" in output and "Figures" in output
    assert "nothing was stored" in output and ".xlsx" in output
    assert not rejects.exists() and leftovers(tmp_path) == []


def test_two_tables_rejects_to_an_xlsx_a_sheet_each(db, two_bad_tables, tmp_path):
    rejects = tmp_path / "rejects.xlsx"
    result = invoke(db, "import", str(two_bad_tables), "--keep-valid", str(rejects))
    assert result.exit_code == 0, result.output
    book = load_workbook(rejects)
    assert set(book.sheetnames) == {"Sources", "Figures"}
    assert book["Sources"]["A2"].value == "kv-alien"
    assert "kind" in book["Sources"]["E2"].value
    assert "kv-good-1" in invoke(db, "list", "--format", "csv").output


def test_rejects_workbook_holds_formula_looking_text_as_text(db, one_bad_figure, tmp_path):
    rejects = tmp_path / "rejects.xlsx"
    assert invoke(db, "import", str(one_bad_figure), "--keep-valid", str(rejects)).exit_code == 0
    sheet = load_workbook(rejects).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    quote = sheet.cell(row=2, column=FIGURE_COLUMNS.index("quote") + 1)
    assert quote.value == "=HYPERLINK(1) 7 killed" and quote.quotePrefix


def test_keep_valid_of_another_kind_is_a_usage_error(db, one_bad_figure, tmp_path):
    output = refused(db, str(one_bad_figure), "--keep-valid", str(tmp_path / "r.txt"), code=2)
    assert "r.txt" in output and ".csv or an .xlsx" in output


def test_keep_valid_onto_an_existing_file_is_a_usage_error(db, one_bad_figure, tmp_path):
    rejects = tmp_path / "rejects.csv"
    rejects.write_text("mine\n")
    output = refused(db, str(one_bad_figure), "--keep-valid", str(rejects), code=2)
    assert str(rejects) in output and rejects.read_text() == "mine\n"


def test_a_failed_commit_leaves_no_rejects(db, one_bad_figure, tmp_path, monkeypatch):
    import sqlite3

    from casualties.store.database import Store

    class Failing:
        def __init__(self, connection):
            self._connection = connection

        def __getattr__(self, name):
            return getattr(self._connection, name)

        def commit(self):
            raise sqlite3.OperationalError("disk I/O error")

    opened = Store.open

    def open_failing(path, *args, **kwargs):
        store = opened(path, *args, **kwargs)
        store.connection = Failing(store.connection)
        return store

    monkeypatch.setattr(Store, "open", staticmethod(open_failing))
    rejects = tmp_path / "rejects.csv"
    output = refused(db, str(one_bad_figure), "--keep-valid", str(rejects))
    assert "disk I/O error" in output
    assert not rejects.exists() and leftovers(tmp_path) == []


def test_a_file_with_a_located_problem_and_no_keep_valid_names_row_and_column(db, one_bad_figure):
    output = refused(db, str(one_bad_figure))
    assert "figures.csv" in output and "row 3" in output and "metric" in output
