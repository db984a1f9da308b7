"""Several commands at once on one store, and one killed mid-write, as real processes.

Writers queue (a busy timeout) instead of failing; a store opened for the
first time by several processes is migrated once; an import killed while it
writes leaves the store as it was.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from benchmarks.generate import synthetic_figures
from casualties.files.exports import write_figures_csv
from casualties.store.database import Store
from casualties.store.ledger import add_figures, add_publications, add_sources
from casualties.store.migrations import SCHEMA_VERSION
from casualties.store.query import FigureQuery
from tests.conftest import store_digest

COMMAND = [sys.executable, "-m", "casualties"]


def casualties(db, *args: str, **options) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*COMMAND, "--db", str(db), *args], capture_output=True, text=True, timeout=300, **options
    )


def add_args(n: int) -> list[str]:
    """A figure of its own for writer `n` (its value and quote differ)."""
    return [
        "add",
        "--metric",
        "injured",
        "--group",
        "civilians",
        "--value",
        str(n + 1),
        "--source",
        "sohr",
        "--publication",
        "tdt-afp-2024-12-06",
        "--place",
        "SY07",
        "--start",
        f"2024-12-0{n % 5 + 1}",
        "--quote",
        f"{n + 1} civilians were injured",
    ]


def test_writers_at_once_all_land(tmp_path):
    db = tmp_path / "shared.db"
    assert casualties(db, "init", "--example").returncode == 0
    writers = 8
    with ThreadPoolExecutor(writers) as pool:
        done = list(pool.map(lambda n: casualties(db, *add_args(n)), range(writers)))
    assert [d.stderr for d in done if d.returncode] == []
    store = Store.open(db)
    injured = store.figures()
    injured = injured[injured["metric"] == "injured"]
    assert sorted(injured["value_low"].tolist()) == list(range(1, writers + 1))
    assert store.connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_new_store_opened_by_several_processes_is_migrated_once(tmp_path):
    db = tmp_path / "new.db"
    with ThreadPoolExecutor(6) as pool:
        done = list(pool.map(lambda _: casualties(db, "init"), range(6)))
    assert [d.stderr for d in done if d.returncode] == []
    connection = sqlite3.connect(db)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    assert len(tables) == len(set(tables))


@pytest.fixture
def large_import(tmp_path):
    """A store holding the references of 20,000 generated figures, and those figures as a CSV."""
    sources, publications, figures = synthetic_figures(20_000, seed=3)
    made = Store.create(tmp_path / "made.db")
    add_sources(made, sources)
    add_publications(made, publications)
    add_figures(made, figures)
    path = tmp_path / "figures.csv"
    write_figures_csv(made, FigureQuery(), path)
    made.close()
    target = Store.create(tmp_path / "target.db")
    add_sources(target, sources)
    add_publications(target, publications)
    target.close()
    return tmp_path / "target.db", path


def test_an_import_killed_while_it_writes_leaves_the_store_unchanged(large_import):
    db, path = large_import
    before = store_digest(db)
    journal = db.with_name(db.name + "-journal")
    process = subprocess.Popen([*COMMAND, "--db", str(db), "import", str(path)])
    waited = time.monotonic()
    # Killed once it has begun writing (its rollback journal exists), not before.
    while not journal.exists() and process.poll() is None and time.monotonic() - waited < 120:
        time.sleep(0.005)
    assert process.poll() is None, "the import ended before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert store_digest(db) == before
    store = Store.open(db)
    assert store.connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.close()
    # The next command finds the store whole and can write to it.
    assert casualties(db, "import", str(path)).returncode == 0
    assert Store.open(db).counts()["figures"] == 20_000


def test_a_writer_kept_waiting_too_long_is_told_the_store_is_busy(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from casualties.cli.app import cli
    from casualties.store import database

    db = tmp_path / "busy.db"
    assert casualties(db, "init", "--example").returncode == 0
    before = store_digest(db)
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another command, in the middle of its write
    try:
        result = CliRunner().invoke(cli, ["--db", str(db), *add_args(0)], catch_exceptions=False)
    finally:
        holder.rollback()
    assert result.exit_code == 1
    assert f"the store {db} is busy" in result.output and "nothing was written" in result.output
    assert store_digest(db) == before
