"""A round trip is the identity (issue 13): an unchanged export imported again adds no version."""

import pytest
from click.testing import CliRunner

from casualties.cli.app import cli
from casualties.files.csv_text import FORMULA_STARTS, inert, revived
from tests.conftest import store_digest

AWKWARD_QUOTES = [
    "  spaces before and after  ",
    "'quoted in apostrophes'",
    "ends with a line break\n",
    "=SUM(A1)",
    "'=SUM(A1) typed with Excel's apostrophe",
    "-12 on the day",
    "@mention",
    "\ttab first",
    "قتل 25 مدنيا في إدلب",
]


def run(db: str, *args: str):
    result = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def awkward_store(tmp_path_factory) -> str:
    """The example store and a figure for each awkward quote (notes awkward too)."""
    db = str(tmp_path_factory.mktemp("round") / "store.db")
    run(db, "init", "--example")
    for day, quote in enumerate(AWKWARD_QUOTES, start=1):
        run(
            db, "add", "--metric", "killed", "--group", "civilians", "--value", str(day),
            "--source", "sohr", "--publication", "upi-2024-12-06", "--place", "SY07",
            "--start", f"2024-11-{day:02d}", "--quote", quote, "--notes", f" {quote}",
        )  # fmt: skip
    return db


def history(db: str) -> list[str]:
    from pathlib import Path

    from casualties.store.database import Store

    store = Store.open(Path(db))
    ids = sorted(store.figures()["id"])
    store.close()
    return [run(db, "history", figure_id).output for figure_id in ids]


@pytest.mark.parametrize(
    ("kind", "suffix"), [("csv", ".csv"), ("json", ".json"), ("hxl", ".csv"), ("xlsx", ".xlsx")]
)
def test_an_unchanged_export_imports_as_no_change(awkward_store, tmp_path, kind, suffix):
    db = str(tmp_path / "copy.db")
    with open(awkward_store, "rb") as source, open(db, "wb") as copy:
        copy.write(source.read())
    before, told = store_digest(db), history(db)
    out = tmp_path / f"export{suffix}"
    run(db, "export", kind, "--out", str(out))
    result = run(db, "import", str(out))
    assert "amended" not in result.output
    assert store_digest(db) == before
    assert history(db) == told


@pytest.mark.parametrize(
    "text", [*AWKWARD_QUOTES, "'", "'x", "''", "", "a'=b", "''=x", "'=x", "'-5"]
)
def test_the_apostrophe_a_writer_adds_is_the_one_taken_off(text):
    assert revived(inert(text)) == text


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_only_one_apostrophe_before_a_formula_start_is_taken_off(start):
    assert revived(f"'{start}1") == f"{start}1"
    assert revived(f"''{start}1") == f"'{start}1"  # what inert wrote for '{start}1
    assert revived(f" '{start}1") == f" '{start}1"
    assert revived(f"'x{start}1") == f"'x{start}1"
