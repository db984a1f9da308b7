"""Exceptions the core raises; the CLI turns each into one line and exit code 1."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


class CasualtiesError(Exception):
    """Base of every error a user can cause and mend."""


@dataclass(frozen=True)
class Problem:
    """One violation of the data contract, located as a user would look for it."""

    table: str
    row: str  # the figure id, or the row number in the file or batch
    column: str
    value: object
    reason: str
    file: str | None = None

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.table, self.row, self.column) if p)
        value = "" if self.value is None else f" (value: {self.value!r})"
        return f"{where}: {self.reason}{value}"


class ValidationFailed(CasualtiesError):
    """A write or a store check found violations; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        count = len(problems)
        first = problems[0] if problems else "no details"
        more = f" (and {count - 1} more)" if count > 1 else ""
        super().__init__(f"{first}{more}")


class UnknownFigure(CasualtiesError):
    def __init__(self, figure_id: str):
        super().__init__(f"no figure with id {figure_id!r} in the store")


class UnknownPlace(CasualtiesError):
    """A place the gazetteer does not know; names like it are looked for only when the
    message is read (an import that skips unknown places never asks)."""

    def __init__(self, place: str, suggest: Callable[[], list[str]] | None = None):
        self.place = place
        self._suggest = suggest
        super().__init__(f"place {place!r} is not in the gazetteer (data/gazetteer/*.csv)")

    def __str__(self) -> str:
        suggestions = self._suggest() if self._suggest else []
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        return super().__str__() + hint


class AlreadyStored(CasualtiesError):
    def __init__(self, table: str, ids: list[str]):
        shown = ", ".join(ids[:5]) + (" …" if len(ids) > 5 else "")
        super().__init__(f"{len(ids)} {table} already stored with the same id: {shown}")


class StoreNotInitialised(CasualtiesError):
    def __init__(self, path: str):
        super().__init__(f"no casualties store at {path}: run `casualties init` first")


class StoreTooNew(CasualtiesError):
    def __init__(self, path: str, found: int, known: int):
        super().__init__(
            f"the store at {path} has schema version {found}, newer than this "
            f"casualties ({known}): upgrade casualties"
        )


class InvalidInput(CasualtiesError):
    """An option or a field given by the user cannot be read."""


class StoreUnreadable(CasualtiesError):
    def __init__(self, path: str, reason: str):
        super().__init__(f"cannot use {path} as a casualties store: {reason}")


class AlreadyRetracted(CasualtiesError):
    def __init__(self, figure_id: str, reason: str | None):
        super().__init__(f"figure {figure_id} is already retracted ({reason})")


class FileExists(CasualtiesError):
    """A file the user named is there already, and --force was not given."""

    def __init__(self, path):
        super().__init__(f"{path} already exists: pass --force to overwrite it")


class MissingExtra(CasualtiesError):
    """A command needs a package that only an optional extra installs."""

    def __init__(self, what: str, package: str, extra: str):
        super().__init__(f"{what} needs {package}: pip install 'casualties[{extra}]'")


class UnreadableFile(CasualtiesError):
    """A file to import that cannot be read as a table: missing, empty, damaged or unsafe."""

    def __init__(self, path: object, reason: str):
        super().__init__(f"{path}: {reason}")
