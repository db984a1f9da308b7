from pathlib import Path

import pytest

from casualties.bundled.examples import example_tables, load_example
from casualties.store import ledger
from casualties.store.database import Store

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"


@pytest.fixture(autouse=True)
def answers_of_this_test(tmp_path, monkeypatch):
    """Answers remembered by commands (the summary's) in a folder of each test's own."""
    monkeypatch.setenv("CASUALTIES_CACHE_DIR", str(tmp_path / "answers"))


@pytest.fixture
def store(tmp_path) -> Store:
    """An empty, initialised store in a temporary file."""
    return Store.create(tmp_path / "test.db")


@pytest.fixture
def example_store(store) -> Store:
    """A store holding the example data from the seed articles."""
    load_example(store)
    return store


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The two seed articles, as they are in ../shared/seeds."""
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))


def store_dump(store: Store) -> dict:
    """Every row of every table, to prove a write changed nothing."""
    tables = ("sources", "publications", "figures", "citations")
    return {
        t: store.connection.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables
    }


def store_digest(path: str | Path) -> str:
    """A hash of every row of every table of the store at `path` (bad input must not move it)."""
    import hashlib

    store = Store.open(Path(path))
    try:
        return hashlib.sha256(repr(store_dump(store)).encode()).hexdigest()
    finally:
        store.close()


@pytest.fixture
def with_references(tmp_path) -> Store:
    """A store holding the example's sources and publications, but no figures."""
    store = Store.create(tmp_path / "target.db")
    tables = example_tables()
    ledger.add_sources(store, tables["sources"])
    ledger.add_publications(store, tables["publications"])
    return store


def libreoffice(tmp_path: Path) -> list[str]:
    """The command that runs LibreOffice headless, with a profile of its own.

    Its own profile: a LibreOffice already running (another test, the user's
    own) holds the default one, and a second conversion then waits forever.
    Skips where LibreOffice is not installed, unless CI requires it.
    """
    import os
    import shutil

    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        assert not os.environ.get("CASUALTIES_REQUIRE_LIBREOFFICE"), "LibreOffice is missing"
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
    profile = (tmp_path / "libreoffice-profile").resolve().as_uri()
    return [office, f"-env:UserInstallation={profile}", "--headless"]


def chromium(tmp_path: Path) -> list[str]:
    """The command that runs Chromium headless, with a profile of its own.

    No sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    Skips where Chromium is not installed, unless CI requires it.
    """
    import os
    import shutil

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        assert not os.environ.get("CASUALTIES_REQUIRE_CHROMIUM"), "Chromium is missing"
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    profile = tmp_path / "chromium-profile"
    return [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        f"--user-data-dir={profile}",
    ]
