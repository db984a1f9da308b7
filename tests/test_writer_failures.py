"""A writer that cannot write says so in one line: which file and why, exit 1, nothing left.

`--out` into a missing folder and a full disk, for every command that writes
a file, and a full disk under `--format csv` on standard output.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from casualties.cli.app import cli
from casualties.files.atomic import PendingFile
from tests.conftest import store_digest

WRITERS = {
    "export csv": ("export", "csv"),
    "export json": ("export", "json"),
    "export hxl": ("export", "hxl"),
    "export parquet": ("export", "parquet"),
    "export xlsx": ("export", "xlsx"),
    "template": ("template",),
}
SUFFIX = {"json": ".json", "parquet": ".parquet", "xlsx": ".xlsx", "template": ".xlsx"}


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "store.db"
    result = invoke(path, "init", "--example")
    assert result.exit_code == 0
    return path


def invoke(db: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def out_for(name: str, folder: Path) -> Path:
    return folder / f"out{SUFFIX.get(name.split()[-1], '.csv')}"


def failed(db: Path, *args: str) -> str:
    """The one line of a writer that could not write, after checking the exit code and store."""
    before = store_digest(db)
    result = invoke(db, *args)
    assert result.exit_code == 1, result.output
    assert store_digest(db) == before
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "Traceback" not in result.output
    return errors[0]


def full_disk(monkeypatch) -> None:
    """Every whole-file write runs to its end, then the disk is full."""
    original = PendingFile.write

    def full(self, write):
        def filling(at: str) -> None:
            write(at)
            raise OSError(errno.ENOSPC, "No space left on device", at)

        return original(self, filling)

    monkeypatch.setattr(PendingFile, "write", full)


@pytest.mark.parametrize("name", WRITERS)
def test_out_into_a_missing_folder_is_one_line(db, tmp_path, name):
    out = out_for(name, tmp_path / "missing")
    line = failed(db, *WRITERS[name], "--out", str(out))
    assert line == (
        f"Error: cannot write {out}: the folder {out.parent} does not exist; nothing was written"
    )
    assert not out.parent.exists()


@pytest.mark.parametrize("name", WRITERS)
def test_a_full_disk_is_one_line_and_leaves_nothing(db, tmp_path, monkeypatch, name):
    full_disk(monkeypatch)
    folder = tmp_path / "reports"
    folder.mkdir()
    out = out_for(name, folder)
    line = failed(db, *WRITERS[name], "--out", str(out))
    assert str(out) in line and "the disk is full" in line
    assert list(folder.iterdir()) == []


def test_a_full_disk_keeps_the_file_that_was_there(db, tmp_path, monkeypatch):
    out = tmp_path / "figures.csv"
    out.write_text("yesterday's export\n")
    full_disk(monkeypatch)
    failed(db, "export", "csv", "--out", str(out), "--force")
    assert out.read_text() == "yesterday's export\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".json"])
def test_extract_drafts_into_a_missing_folder_is_one_line(db, tmp_path, suffix):
    article = tmp_path / "article.txt"
    article.write_text("Five civilians were killed in Hama on Monday, the White Helmets said.\n")
    out = tmp_path / "missing" / f"drafts{suffix}"
    line = failed(db, "extract", str(article), "--published", "2024-12-06", "--out", str(out))
    assert str(out) in line and "does not exist" in line


def test_out_naming_a_folder_is_one_line(db, tmp_path):
    # `--out` takes a file: click refuses a folder as a usage error.
    result = invoke(db, "export", "csv", "--out", str(tmp_path))
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_a_read_only_folder_is_one_line(db, tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root writes into a read-only folder")
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        line = failed(db, "export", "csv", "--out", str(folder / "x.csv"))
    finally:
        folder.chmod(0o700)
    assert "permission denied" in line


@pytest.mark.parametrize("command", [("list",), ("sources", "list")])
def test_format_csv_onto_a_full_disk_is_one_line(db, command):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "casualties", "--db", str(db), *command, "--format", "csv"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert done.returncode == 1
    assert done.stderr == "Error: cannot write the output: the disk is full\n"
