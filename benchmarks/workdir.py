"""What the cases and the runner share: a bench run's work directory, a process's last word.

The insert case writes a store per size (`library_db`) that every later case reads;
`existing` turns a missing store into a clear error instead of an empty result, and
`fresh` clears an output path so a case never times the overwrite of a stale file.
"""

from __future__ import annotations

from pathlib import Path


def fresh(path: Path) -> Path:
    """`path`, its file from an earlier run removed."""
    path.unlink(missing_ok=True)
    return path


def library_db(work: Path, rows: int) -> Path:
    """The store the insert case writes and the list case reads."""
    return work / f"library-{rows}.db"


def existing(path: Path) -> Path:
    """`path`, or FileNotFoundError if the insert case did not write it."""
    if not path.is_file():
        raise FileNotFoundError(f"{path}: the insert case did not leave its store")
    return path


def last_line(text: str) -> str:
    """The last line of a process's output that says anything ('' if none does)."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""
