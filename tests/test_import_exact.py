"""The bad-input corpus of issue 13: an import stores exactly what the file says, or refuses it.

Each refused case asserts the exit code, that the message names the place
(file, sheet, row, column) and that the store's rows are unchanged (a hash of
every row); each accepted one asserts exactly what was stored. Files are made
the way real tools make them: Python's own codecs for encodings, LibreOffice
for workbooks with error cells.
"""

import csv
import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from casualties.cli.app import cli
from casualties.store.database import Store
from tests.conftest import libreoffice, store_digest

ARABIC_QUOTE = "قتل 25 مدنيا في إدلب"
DATA = Path(__file__).parent / "data"


@pytest.fixture
def db(tmp_path) -> str:
    path = tmp_path / "store.db"
    assert run(str(path), "init", "--example").exit_code == 0
    return str(path)


def run(db: str, *args: str):
    return CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)


def figure_row(**changes) -> dict:
    """A figure the example store can take, as an entry CSV holds it."""
    row = {
        "id": "t-1",
        "metric": "killed",
        "population_group": "civilians",
        "value_low": "12",
        "value_best": "12",
        "value_high": "12",
        "qualifier": "exact",
        "unit": "people",
        "household_size": "",
        "place_reported": "Idlib",
        "place_codes": "SY07",
        "place_precision": "admin1",
        "period_start": "2024-12-03",
        "period_end": "2024-12-03",
        "date_precision": "day",
        "basis": "incident",
        "reported_on": "2024-12-06",
        "source_id": "white-helmets",
        "publication_ids": "upi-2024-12-06",
        "quote": "12 civilians were killed on Tuesday",
        "role": "recommended",
        "grade": "weak",
        "status": "active",
    }
    return {**row, **changes}


def households(**changes) -> dict:
    given = dict(metric="displaced", unit="households", household_size="5")
    counts = dict(value_low="1200", value_best="1200", value_high="1200")
    return figure_row(**{**given, **counts, **changes})


def write_csv(path: Path, rows: list[dict], encoding="utf-8", header=None) -> Path:
    header = header or list(rows[0])
    with path.open("w", encoding=encoding, newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows([[r.get(c, "") for c in header] for r in rows])
    return path


def write_json(path: Path, rows: list[dict], **typed) -> Path:
    records = [{k: (v if v != "" else None) for k, v in r.items()} | typed for r in rows]
    path.write_text(json.dumps({"figures": records}, ensure_ascii=False), encoding="utf-8")
    return path


def stored(db: str, figure_id: str) -> dict:
    store = Store.open(Path(db))
    try:
        figures = store.figures()
        return figures[figures["id"] == figure_id].iloc[0].to_dict()
    finally:
        store.close()


def refused(db: str, path: Path, *located: str, args=(), code=1) -> str:
    """Import `path`, assert it refused with `located` in the message and changed nothing."""
    before = store_digest(db)
    result = run(db, "import", str(path), *args)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    for text in located:
        assert text in result.output, result.output
    assert store_digest(db) == before
    return result.output


# Numbers ---------------------------------------------------------------------


def test_a_decimal_comma_without_the_option_is_refused_not_read_as_25(db, tmp_path):
    path = write_csv(tmp_path / "hh.csv", [households(household_size="2,5")])
    out = refused(db, path, "hh.csv:figures:row 2:household_size:", "--decimal-comma")
    assert "'2,5'" in out


def test_a_decimal_comma_with_the_option_is_two_and_a_half(db, tmp_path):
    path = write_csv(tmp_path / "hh.csv", [households(household_size="2,5")])
    assert run(db, "import", str(path), "--decimal-comma").exit_code == 0
    figure = stored(db, "t-1")
    assert figure["household_size"] == 2.5 and figure["people_best"] == 3000


def test_a_decimal_point_in_a_decimal_comma_file_is_refused(db, tmp_path):
    path = write_csv(tmp_path / "hh.csv", [households(household_size="2.5")])
    refused(db, path, "hh.csv:figures:row 2:household_size:", args=["--decimal-comma"])


def test_a_thousands_separator_in_a_household_size_is_still_read(db, tmp_path):
    path = write_csv(tmp_path / "hh.csv", [households(household_size="1,000.5")])
    assert run(db, "import", str(path)).exit_code == 0
    assert stored(db, "t-1")["household_size"] == 1000.5


def test_json_true_is_no_count(db, tmp_path):
    path = write_json(tmp_path / "t.json", [figure_row()], value_low=True)
    refused(db, path, "t.json:figures:row 2:value_low: true is a yes-or-no")


def test_json_false_is_no_text(db, tmp_path):
    path = write_json(tmp_path / "t.json", [figure_row()], notes=False)
    refused(db, path, "t.json:figures:row 2:notes: false is a yes-or-no")


def test_two_to_the_53_plus_one_is_refused_not_rounded(db, tmp_path):
    big = 2**53 + 1
    path = write_json(tmp_path / "t.json", [figure_row()], value_high=big, value_low=1)
    out = refused(db, path, "t.json:figures:row 2:value_high:", "9,007,199,254,740,992")
    assert str(big) in out


def test_two_to_the_53_is_stored_exactly(db, tmp_path):
    path = write_json(tmp_path / "t.json", [figure_row(qualifier="at_least")], value_low=2**53)
    path.write_text(path.read_text().replace('"value_best": "12"', '"value_best": null'))
    path.write_text(path.read_text().replace('"value_high": "12"', '"value_high": null'))
    result = run(db, "import", str(path))
    assert result.exit_code == 0, result.output
    assert int(stored(db, "t-1")["value_low"]) == 2**53


@pytest.mark.parametrize("digits", [20, 30, 400])
def test_a_count_of_many_digits_in_a_csv_is_refused(db, tmp_path, digits):
    count = "1" + "0" * digits
    path = write_csv(tmp_path / "big.csv", [figure_row(value_high=count, value_best=count)])
    refused(db, path, "big.csv:figures:row 2:value_best:", "largest count")


def test_infinity_in_json_is_refused(db, tmp_path):
    path = write_json(tmp_path / "t.json", [households()])
    path.write_text(path.read_text().replace('"household_size": "5"', '"household_size": Infinity'))
    refused(db, path, "t.json:figures:row 2:household_size: not a finite number")


@pytest.mark.parametrize("text", ["inf", "-Infinity", "nan", "1e400"])
def test_infinity_in_a_csv_is_refused(db, tmp_path, text):
    path = write_csv(tmp_path / "inf.csv", [households(household_size=text)])
    refused(db, path, "inf.csv:figures:row 2:household_size:")


def test_a_json_list_in_a_cell_is_refused(db, tmp_path):
    path = write_json(tmp_path / "t.json", [figure_row()], place_reported=["Idlib", "Aleppo"])
    refused(db, path, "t.json:figures:row 2:place_reported: a list")


# Columns and quoting --------------------------------------------------------


def test_two_quote_columns_are_refused_not_one_dropped(db, tmp_path):
    row = figure_row()
    header = [*row, "quote"]
    path = tmp_path / "twice.csv"
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerow([*row.values(), "another sentence"])
    refused(db, path, "twice.csv:figures:row 1:quote: 2 columns hold it (T, X)")


def test_a_stray_quote_mark_swallowing_rows_is_refused(db, tmp_path):
    rows = [figure_row(id=f"t-{n}", quote=f"{n} killed") for n in range(3)]
    header = [c for c in rows[0] if c != "quote"] + ["quote"]
    lines = [",".join(header)]
    for n, row in enumerate(rows):
        row["quote"] = ['"stray opening', "no quote", 'one "closing" quote"'][n]
        lines.append(",".join(row[c] for c in header))
    path = tmp_path / "stray.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    refused(db, path, "stray.csv:figures:row 2:quote:", "swallows 2 rows")


def test_a_quote_mark_that_never_closes_is_refused_at_its_row(db, tmp_path):
    rows = [figure_row(id=f"t-{n}", period_start="2024-12-0" + str(n + 1)) for n in range(3)]
    rows[1]["place_reported"] = '"Idlib'
    lines = [",".join(rows[0])] + [",".join(r.values()) for r in rows]
    path = tmp_path / "open.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    refused(db, path, "open.csv:figures:row 3:", "never closes")


def test_a_multi_line_quote_is_not_a_stray_quote(db, tmp_path):
    quote = "first line, with a comma\nsecond line\n"
    path = write_csv(tmp_path / "lines.csv", [figure_row(quote=quote)])
    assert run(db, "import", str(path)).exit_code == 0
    assert stored(db, "t-1")["quote"] == quote


def test_an_import_without_publication_ids_names_the_column(db, tmp_path):
    row = figure_row()
    del row["publication_ids"]
    path = write_csv(tmp_path / "nopub.csv", [row])
    refused(db, path, "nopub.csv:figures:row 2:publication_ids: is required")


def test_stored_figures_without_publication_ids_are_left_as_they_are(db, tmp_path):
    export = tmp_path / "all.csv"
    assert run(db, "export", "csv", "--out", str(export)).exit_code == 0
    rows = list(csv.DictReader(export.open(encoding="utf-8")))
    for row in rows:
        del row["publication_ids"]
    path = write_csv(tmp_path / "nopub.csv", rows)
    before = store_digest(db)
    result = run(db, "import", str(path))
    assert result.exit_code == 0 and "nothing added" in result.output
    assert store_digest(db) == before


# Encodings ------------------------------------------------------------------


def test_a_windows_arabic_csv_reads_as_arabic(db, tmp_path):
    row = figure_row(quote=ARABIC_QUOTE, place_reported="إدلب")
    path = write_csv(tmp_path / "idlib.csv", [row], encoding="cp1256")
    result = run(db, "import", str(path))
    assert result.exit_code == 0, result.output
    figure = stored(db, "t-1")
    assert figure["quote"] == ARABIC_QUOTE and figure["place_reported"] == "إدلب"


def test_the_encoding_can_be_told(db, tmp_path):
    row = figure_row(quote="Ωμέγα 12 νεκροί")
    path = write_csv(tmp_path / "greek.csv", [row], encoding="cp1253")
    assert run(db, "import", str(path), "--encoding", "cp1253").exit_code == 0
    assert stored(db, "t-1")["quote"] == "Ωμέγα 12 νεκροί"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "utf-8", "utf-32"])
def test_unicode_csvs_read_as_written(db, tmp_path, encoding):
    row = figure_row(quote=ARABIC_QUOTE + " — Ḩimş")
    path = write_csv(tmp_path / "u.csv", [row], encoding=encoding)
    assert run(db, "import", str(path)).exit_code == 0
    assert stored(db, "t-1")["quote"] == ARABIC_QUOTE + " — Ḩimş"


def test_a_western_windows_csv_reads_as_cp1252(db, tmp_path):
    row = figure_row(quote="“Déjà vu” in Alep — 12 tués", place_reported="Zürich")
    path = write_csv(tmp_path / "fr.csv", [row], encoding="cp1252")
    assert run(db, "import", str(path)).exit_code == 0
    assert stored(db, "t-1")["quote"] == "“Déjà vu” in Alep — 12 tués"


def test_a_byte_cp1252_lacks_is_refused_with_its_line(db, tmp_path):
    path = write_csv(tmp_path / "odd.csv", [figure_row(quote="Caf\xe9")], encoding="cp1252")
    path.write_bytes(path.read_bytes().replace(b"Caf\xe9", b"Caf\xe9\x81"))
    refused(db, path, "odd.csv: line 2: byte 0x81", "--encoding")


def test_an_unknown_encoding_is_a_usage_error(db, tmp_path):
    path = write_csv(tmp_path / "a.csv", [figure_row()])
    refused(db, path, "--encoding", args=["--encoding", "klingon"], code=2)


@pytest.mark.parametrize(
    "content",
    [
        bytes(range(256)) * 8,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64),
        b"PK\x03\x04" + bytes(300),
    ],
    ids=["bytes", "png", "zip"],
)
def test_a_binary_file_named_csv_is_refused(db, tmp_path, content):
    path = tmp_path / "figures.csv"
    path.write_bytes(content)
    refused(db, path, "figures.csv: is not text")


# Workbooks made by LibreOffice ----------------------------------------------


def libreoffice_workbook(tmp_path: Path, rows: list[list[str]], name="entry") -> Path:
    """The rows (formulas evaluated) as LibreOffice saves them to .xlsx."""
    source = tmp_path / f"{name}.csv"
    with source.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(rows)
    command = libreoffice(tmp_path)
    subprocess.run(
        [*command, "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir",
         str(tmp_path / "lo"), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return tmp_path / "lo" / f"{name}.xlsx"


@pytest.fixture(scope="module")
def error_workbook(tmp_path_factory) -> Path:
    tmp_path = tmp_path_factory.mktemp("lo")
    good = figure_row(id="t-1")
    bad = figure_row(id="t-2", period_start="2024-12-02", period_end="2024-12-02")
    rows = [list(good), list(good.values()), list(bad.values())]
    rows[2][list(good).index("value_low")] = "=1/0"
    rows[2][list(good).index("quote")] = "=NA()"
    return libreoffice_workbook(tmp_path, rows)


def test_excel_error_cells_are_refused_where_they_are(db, error_workbook):
    out = refused(db, error_workbook, "entry.xlsx:entry:row 3:value_low:", "#DIV/0!")
    assert "entry.xlsx:entry:row 3:quote: a spreadsheet error (#N/A)" in out


def test_a_libreoffice_workbook_without_errors_imports_as_typed(db, tmp_path):
    row = figure_row(quote="  twelve, as typed  ", value_low="=6*2")
    path = libreoffice_workbook(tmp_path, [list(row), list(row.values())])
    result = run(db, "import", str(path))
    assert result.exit_code == 0, result.output
    figure = stored(db, "t-1")
    assert figure["value_low"] == 12 and figure["quote"] == "  twelve, as typed  "


@pytest.mark.parametrize("serial", ["3000000", "-5", "0"])
def test_an_excel_date_serial_out_of_range_is_refused(db, tmp_path, serial):
    row = figure_row(period_end=f"={serial}")
    path = libreoffice_workbook(tmp_path, [list(row), list(row.values())])
    refused(db, path, "entry.xlsx:entry:row 2:period_end: a date serial outside")


def test_an_excel_date_serial_in_range_is_its_day(db, tmp_path):
    row = figure_row(period_end="=45629")  # 2024-12-03
    path = libreoffice_workbook(tmp_path, [list(row), list(row.values())])
    assert run(db, "import", str(path)).exit_code == 0
    assert stored(db, "t-1")["period_end"] == "2024-12-03"


# Event datasets -------------------------------------------------------------


def acled_file(tmp_path: Path, **changes) -> Path:
    with (DATA / "acled_sudan_myanmar.csv").open(encoding="utf-8-sig") as handle:
        records = list(csv.DictReader(handle))
    first = {**records[0], **changes}
    return write_csv(tmp_path / "acled.csv", [first])


@pytest.mark.parametrize(
    "fatalities",
    ["abc", "2.5", "inf", "1" + "0" * 30, "-5"],
    ids=["text", "half", "inf", "huge", "neg"],
)
def test_bad_acled_fatalities_are_named_by_row_and_column(db, tmp_path, fatalities):
    path = acled_file(tmp_path, fatalities=fatalities)
    refused(db, path, "acled.csv:figures:row 2:", args=["--from", "acled"])


@pytest.mark.parametrize("day", ["99999999", "not a date", "2024-13-45"])
def test_bad_acled_dates_are_named_by_row_and_column(db, tmp_path, day):
    path = acled_file(tmp_path, event_date=day)
    out = refused(db, path, "acled.csv:", repr(day), args=["--from", "acled"])
    assert ":row " in out and ("period_start" in out or "published_on" in out)
