"""A summary asked again of a store in the same state is the answer made before; any
change to the store, by this tool or another, or to the code, makes it again."""

import sqlite3
import subprocess
import sys

import pytest
from click.testing import CliRunner

from casualties.cli import reports
from casualties.cli.app import cli
from casualties.store import answers


@pytest.fixture
def made(monkeypatch):
    """How many times the summary was made rather than remembered."""
    calls = []
    making = reports.summary_text

    def counted(*args):
        calls.append(args)
        return making(*args)

    monkeypatch.setattr(reports, "summary_text", counted)
    return calls


@pytest.fixture
def run(tmp_path):
    db = str(tmp_path / "answers.db")

    def invoke(*args: str) -> str:
        result = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    invoke("init", "--example")
    invoke.db = db
    return invoke


def test_the_same_question_of_the_same_store_is_answered_from_memory(run, made):
    first = run("summary")
    assert run("summary") == first and len(made) == 1
    assert "white-helmets" in first
    # Another question is made, and remembered, on its own.
    as_csv = run("summary", "--format", "csv")
    assert run("summary", "--format", "csv") == as_csv != first and len(made) == 2


def test_a_write_through_the_tool_makes_the_answer_again(run, made, monkeypatch):
    figure = "syr-sohr-combatants-killed-2024-12-06"
    assert figure in run("summary", "--ids")
    run("retract", figure, "--reason", "a test of remembered answers")
    after = run("summary", "--ids")
    assert len(made) == 2 and figure not in after
    monkeypatch.setenv("CASUALTIES_NO_CACHE", "1")
    assert run("summary", "--ids") == after and len(made) == 3


def test_a_write_by_another_program_makes_the_answer_again(run, made):
    assert "combatants\tsohr\t715\t" in run("summary")
    # The same number of bytes, in the same second: only the store's state tells.
    with sqlite3.connect(run.db) as connection:
        connection.execute(
            "UPDATE figures SET value_low = 716, value_best = 716, value_high = 716,"
            " people_low = 716, people_best = 716, people_high = 716"
            " WHERE id = 'syr-sohr-combatants-killed-2024-12-06'"
        )
    assert "combatants\tsohr\t716\t" in run("summary") and len(made) == 2


def test_a_store_being_written_is_not_answered_from_memory(run, made, tmp_path):
    run("summary")
    journal = tmp_path / "answers.db-journal"
    journal.write_bytes(b"")  # a write under way (or a crash's hot journal)
    assert answers.answer_key("summary", {}, run.db, False) is None
    journal.unlink()
    assert answers.answer_key("summary", {}, run.db, False) is not None


def test_an_edit_of_the_code_or_a_gazetteer_makes_the_answer_again(run, tmp_path, monkeypatch):
    code = tmp_path / "code"
    code.mkdir()
    (code / "module.py").write_text("x = 1\n")
    monkeypatch.setattr(answers, "MADE_FROM", (code,))
    key = answers.answer_key("summary", {}, run.db, False)
    assert answers.answer_key("summary", {}, run.db, False) == key
    (code / "module.py").write_text("x = 22\n")
    edited = answers.answer_key("summary", {}, run.db, False)
    assert edited != key
    mine = tmp_path / "my_places.csv"
    mine.write_text("code,name,level,country,admin1,admin2,iso_3166_2,aliases\n")
    monkeypatch.setenv("CASUALTIES_GAZETTEER", str(mine))
    assert answers.answer_key("summary", {}, run.db, False) != edited


def test_an_unwritable_memory_costs_the_time_never_the_answer(run, made, tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    monkeypatch.setenv("CASUALTIES_CACHE_DIR", str(blocked))
    first = run("summary")
    assert run("summary") == first and len(made) == 2


def test_a_remembered_summary_starts_no_pandas(run):
    command = [sys.executable, "-X", "importtime", "-m", "casualties", "--db", run.db, "summary"]
    made = subprocess.run(command, capture_output=True, text=True, check=True)
    again = subprocess.run(command, capture_output=True, text=True, check=True)
    assert again.stdout == made.stdout and "white-helmets" in again.stdout
    assert " pandas" in made.stderr and " pandas" not in again.stderr
