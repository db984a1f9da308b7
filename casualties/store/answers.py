"""Answers remembered: a read-only command's output, kept for a store in the same state.

The example's summary takes a second, most of it importing pandas, and asked
again of an unchanged store it is the same text. So the text is kept, under a
key made of everything it depends on: the command and its options; the store
file's state (SQLite's change counter and schema cookie from its header, its
size, modification time and inode); every file of the package's code,
contract and gazetteer, and the user's own gazetteer (size and modification
time); the installed libraries' folder; the CASUALTIES_* settings; today's date;
whether the output is a terminal. Any write to the store, by this tool or any
other, moves its change counter and its modification time, so an answer is
never given for a store it was not made from. A store being written (its
rollback journal present) is neither answered from memory nor remembered.

Answers live in CASUALTIES_CACHE_DIR (default `$XDG_CACHE_HOME/casualties`, or
`~/.cache/casualties`), the newest few dozen kept; CASUALTIES_NO_CACHE=1 turns
them off. Memory is a convenience: a folder that cannot be read or written
costs the time, never the answer.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from ..model.gazetteer import gazetteer_files

ROOT = Path(__file__).resolve().parents[2]
# What an answer's text is made from, besides the store: code, contract, places.
MADE_FROM = (ROOT / "casualties", ROOT / "schemas", ROOT / "data" / "gazetteer")
KEPT = 64  # answers kept; the oldest go first
SQLITE_HEADER = b"SQLite format 3\x00"


def recalled(key: str | None) -> str | None:
    """The answer kept under `key` (from answer_key), if any."""
    if key is None:
        return None
    try:
        kept = json.loads((_folder() / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return kept.get("text") if isinstance(kept, dict) else None


def remember(key: str | None, text: str) -> None:
    """Keep `text` under `key` (from answer_key, taken before the answer was made)."""
    if key is None:
        return
    folder = _folder()
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        # Written whole, then renamed: a reader never sees half an answer.
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump({"text": text}, out)
            os.replace(temporary, folder / f"{key}.json")
        finally:
            Path(temporary).unlink(missing_ok=True)
        _forget_the_oldest(folder)


def answer_key(command: str, options: dict, db: str, terminal: bool) -> str | None:
    """The key of an answer: None when answers are off or the store's state is unsure.

    Taken before the answer is made: a write landing while it is made moves the
    store's state, so the answer is kept under a key no later state has.
    """
    if os.environ.get("CASUALTIES_NO_CACHE"):
        return None
    store = _store_state(db)
    if store is None:
        return None
    facts = {
        "command": command,
        "options": options,
        "store": store,
        "made_from": _files_state(),
        "libraries": _libraries_state(),
        "settings": sorted((k, v) for k, v in os.environ.items() if k.startswith("CASUALTIES_")),
        "today": date.today().isoformat(),
        "terminal": terminal,
    }
    text = json.dumps(facts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _store_state(db: str) -> list | None:
    """What moves at every write: the header's change counter and schema cookie, the
    file's size, modification time and inode. None while a write is under way."""
    path = Path(db)
    if any(Path(f"{db}{suffix}").exists() for suffix in ("-journal", "-wal")):
        return None
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
        stat = path.stat()
    except OSError:
        return None
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        return None
    counter, cookie = header[24:28].hex(), header[40:44].hex()
    return [os.path.realpath(path), counter, cookie, stat.st_size, stat.st_mtime_ns, stat.st_ino]


def _files_state() -> list:
    """Size and modification time of every file an answer's text is made from."""
    state = []
    for folder in MADE_FROM:
        for parent, folders, files in os.walk(folder):
            folders[:] = sorted(f for f in folders if f != "__pycache__")
            state.extend(_file_state(os.path.join(parent, name)) for name in sorted(files))
    state.extend(_file_state(str(path)) for path in gazetteer_files())
    return state


def _file_state(path: str) -> tuple:
    try:
        stat = os.stat(path)
    except OSError:
        return (path, None)
    return (path, stat.st_size, stat.st_mtime_ns)


def _libraries_state() -> tuple:
    """The interpreter and the folder libraries are installed in (installing or
    upgrading one, pandas say, changes the folder)."""
    import click

    libraries = os.path.dirname(os.path.dirname(click.__file__))
    return (sys.version, _file_state(libraries))


def _folder() -> Path:
    given = os.environ.get("CASUALTIES_CACHE_DIR")
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "casualties"


def _forget_the_oldest(folder: Path) -> None:
    answers = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
    for old in answers[:-KEPT]:
        old.unlink(missing_ok=True)
