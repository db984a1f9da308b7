"""Garbage refused at the door, corrections and subsets kept sound, commands that never crash.

Each case runs a command against a copy of the example store and asserts the
exit code, that the message names where the problem is (table, row or
option, column) and why, and that not one row of the store moved.
"""

import csv
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from casualties.cli.app import cli
from casualties.model.contract import LONGEST_TEXT
from tests.conftest import store_digest

TOMORROW_BUT_ONE = (date.today() + timedelta(days=2)).isoformat()


@pytest.fixture
def example_db(tmp_path) -> str:
    db = str(tmp_path / "example.db")
    assert CliRunner().invoke(cli, ["--db", db, "init", "--example"]).exit_code == 0
    return db


def run(db: str, *args: str):
    return CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)


def add(*changes: str) -> list[str]:
    """`add` of a valid figure (a White Helmets toll in Idlib), with `changes` after it."""
    return [
        "add",
        *("--metric", "injured", "--group", "civilians", "--value", "12"),
        *("--source", "white-helmets", "--publication", "upi-2024-12-06", "--place", "SY07"),
        *("--start", "2024-12-01", "--quote", "12 civilians were injured"),
        *changes,
    ]


# (case, command, exit code, words the message must hold)
REFUSED = [
    (
        "a year-zero day is no date",
        add("--start", "0000-01-01"),
        1,
        ["period_start", "is not between 1900-01-01"],
    ),
    (
        "a day in the year 9999 is a typo",
        add("--start", "9999-12-31", "--reported-on", "9999-12-31"),
        1,
        ["period_start", "is not between 1900-01-01 and"],
    ),
    (
        "a day before 1900 is a typo",
        add("--start", "1899-12-31", "--reported-on", "1899-12-31"),
        1,
        ["reported_on", "is not between 1900-01-01"],
    ),
    (
        "a report from the future is a typo",
        add("--start", "2024-12-01", "--reported-on", TOMORROW_BUT_ONE),
        1,
        ["reported_on", TOMORROW_BUT_ONE],
    ),
    (
        "a count cannot end after the day it was reported",
        add("--start", "2024-12-01", "--end", "2024-12-10", "--reported-on", "2024-12-05"),
        1,
        ["reported_on", "reported_on ≥ period_end"],
    ),
    ("an empty quote is no quote", add("--quote", ""), 1, ["quote", "is blank"]),
    ("a quote of spaces is no quote", add("--quote", "   \t "), 1, ["quote", "is blank"]),
    (
        "a quote longer than a spreadsheet cell is refused, not cut",
        add("--quote", "x" * (LONGEST_TEXT + 1)),
        1,
        ["quote", "is longer than 32,767 characters"],
    ),
    ("blank notes are not notes", add("--notes", " "), 1, ["notes", "is blank"]),
    (
        "a correction of another source's figure is no correction",
        add("--supersedes", "syr-sohr-civilians-killed-2024-12-06"),
        1,
        ["supersedes", "same source, metric and population group"],
    ),
    (
        "a correction of another group's figure is no correction",
        add(
            "--source",
            "sohr",
            "--metric",
            "killed",
            "--group",
            "combatants",
            "--supersedes",
            "syr-sohr-civilians-killed-2024-12-06",
        ),
        1,
        ["supersedes", "syr-sohr-civilians-killed-2024-12-06"],
    ),
    (
        "a subset of its own subset is a circle",
        [
            "amend",
            "syr-wh-civilians-killed-2024-12-01",
            "--part-of",
            "syr-wh-children-killed-2024-12-01",
            "--reason",
            "linked by mistake",
        ],
        1,
        ["part_of", "never leads back to it"],
    ),
    (
        "a retraction without a reason",
        ["retract", "syr-afp-homs-killed-2014-04", "--reason", " "],
        1,
        ["change_reason", "is blank"],
    ),
    (
        "an amendment with an empty reason",
        ["amend", "syr-afp-homs-killed-2014-04", "--low", "101", "--reason", ""],
        1,
        ["change_reason", "is blank"],
    ),
    (
        "a source without a name",
        ["sources", "add", "--id", "nobody", "--name", " ", "--kind", "ngo"],
        1,
        ["name", "is blank"],
    ),
    ("add with no publication", add()[:8] + add()[10:], 2, ["Missing option '--publication'"]),
    (
        "a weekly chart of minus five weeks",
        ["chart", "weekly", "--metric", "killed", "--group", "civilians", "--weeks", "-5"],
        2,
        ["--weeks", "-5 is not in the range x>=1"],
    ),
    (
        "a weekly chart of no weeks",
        ["chart", "weekly", "--metric", "killed", "--group", "civilians", "--weeks", "0"],
        2,
        ["--weeks", "0 is not in the range"],
    ),
]


@pytest.mark.parametrize(
    ("command", "code", "words"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED]
)
def test_refused_with_its_place_and_reason_and_nothing_stored(example_db, command, code, words):
    if command[0] == "chart":
        command = [*command, "--out", str(Path(example_db).with_name("chart.png"))]
    before = store_digest(example_db)
    result = run(example_db, *command)
    assert result.exit_code == code, result.output
    for word in words:
        assert word in result.output
    assert store_digest(example_db) == before


def exported_with(db: str, tmp_path: Path, **changes: str) -> Path:
    """The store's figures as `export csv` writes them, the first row changed."""
    path = tmp_path / "figures.csv"
    assert run(db, "export", "csv", "--out", str(path)).exit_code == 0
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    rows[0].update(changes, id="a-new-figure", version="1")
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"period_start": "9999-12-31"}, [":period_start:", "is not between 1900-01-01"]),
        ({"reported_on": "1066-10-14"}, [":reported_on:", "is not between 1900-01-01"]),
        # A cell of spaces reads as empty, or as text that says nothing.
        ({"quote": "  "}, [":quote:", ("is required", "is blank")]),
        ({"quote": "y" * (LONGEST_TEXT + 5)}, [":quote:", "is longer than 32,767"]),
        ({"period_end": "2024-12-31"}, [":reported_on:", "reported_on ≥ period_end"]),
        (
            {"source_id": "sohr", "supersedes": "syr-wh-civilians-killed-2024-12-01"},
            [":supersedes:"],
        ),
    ],
    ids=[
        "year 9999",
        "year 1066",
        "blank quote",
        "overlong quote",
        "ends after reported",
        "other source",
    ],
)
def test_an_import_is_refused_at_the_file_row_and_column(example_db, tmp_path, changes, words):
    path = exported_with(example_db, tmp_path, **changes)
    before = store_digest(example_db)
    result = run(example_db, "import", str(path))
    assert result.exit_code == 1, result.output
    assert "figures.csv:figures:row 2" in result.output
    for word in words:
        assert any(w in result.output for w in ((word,) if isinstance(word, str) else word))
    assert store_digest(example_db) == before


def test_validate_reports_a_correction_of_another_source_and_a_circle_in_a_store(example_db):
    """A store written before these rules (or by hand) is checked for both."""
    connection = sqlite3.connect(example_db)
    with connection:
        connection.execute(
            "UPDATE figures SET supersedes = 'syr-sohr-civilians-killed-2024-12-06'"
            " WHERE id = 'syr-afp-homs-killed-2014-04'"
        )
        connection.execute(
            "UPDATE figures SET part_of = 'syr-wh-children-killed-2024-12-01'"
            " WHERE id = 'syr-wh-civilians-killed-2024-12-01'"
        )
    connection.close()
    result = run(example_db, "validate")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(
        "syr-afp-homs-killed-2014-04:supersedes" in line and "same source" in line for line in lines
    )
    assert any(
        "syr-wh-children-killed-2024-12-01:part_of" in line and "leads back" in line
        for line in lines
    )


def test_a_chart_never_overwrites_its_manifest_unasked(example_db, tmp_path):
    manifest = tmp_path / "toll.json"
    manifest.write_text("{} kept\n", encoding="utf-8")
    args = ["chart", "toll", "--metric", "killed", "--group", "civilians"]
    result = run(example_db, *args, "--out", str(tmp_path / "toll.png"))
    assert result.exit_code == 2
    assert f"{manifest} exists; pass --force" in result.output
    assert manifest.read_text(encoding="utf-8") == "{} kept\n"
    assert not (tmp_path / "toll.png").exists()
    assert run(example_db, *args, "--out", str(tmp_path / "toll.png"), "--force").exit_code == 0
    assert manifest.read_text(encoding="utf-8").startswith("{\n")
