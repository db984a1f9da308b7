"""Writing a file whole: beside its target first, then moved into place.

A write that fails (a missing folder, a full disk, no permission) leaves no
partial file, an existing file as it was, and says which file and why in one
line (`NotWritten`). `PendingFile` splits the two steps, for a file that must
be written before something else is committed and put in place only after.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..errors import CasualtiesError

# What the usual failures mean for someone naming a file to write.
REASONS = {
    errno.ENOENT: "the folder {folder} does not exist",
    errno.ENOTDIR: "a part of the folder {folder} is a file, not a folder",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the disk is read-only",
    errno.EISDIR: "it is a folder",
}


class NotWritten(CasualtiesError):
    """A file could not be written; nothing of it was left behind."""

    def __init__(self, path: Path, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"cannot write {path}: {reason}; nothing was written")


def reason_of(error: OSError, path: Path) -> str:
    """The cause of a failed write of `path` as a user reads it."""
    known = REASONS.get(error.errno or 0)
    if known is None:
        return error.strerror or str(error)
    return known.format(folder=path.parent)


class PendingFile:
    """A file written to a temporary path beside `path`, moved onto it by `place()`.

    Made as soon as the target is named, so that a folder that is missing or
    not writable is found before any work. Used as a context manager, it is
    placed when the block ends normally (if something was written) and
    discarded when it ends by an exception.
    """

    def __init__(self, path: Path, suffix: str = ""):
        self.path = Path(path)
        self.written = False
        try:
            handle, temporary = tempfile.mkstemp(
                suffix=suffix, prefix=f".{self.path.name}.", dir=self.path.parent
            )
        except OSError as error:
            raise NotWritten(self.path, reason_of(error, self.path)) from error
        os.close(handle)
        self.temporary = Path(temporary)

    def write(self, write: Callable[[str], None]) -> None:
        """Call `write` with the temporary path; a failure discards it and says why."""
        try:
            write(str(self.temporary))
        except OSError as error:
            self.discard()
            raise NotWritten(self.path, reason_of(error, self.path)) from error
        except BaseException:
            self.discard()
            raise
        self.written = True

    def place(self) -> None:
        """Move what was written onto the target, with a new file's permissions (the umask's)."""
        try:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self.temporary, 0o666 & ~umask)
            os.replace(self.temporary, self.path)
        except OSError as error:
            raise NotWritten(self.path, reason_of(error, self.path)) from error
        finally:
            self.discard()

    def discard(self) -> None:
        """Remove the temporary file (nothing of it reaches the target)."""
        self.temporary.unlink(missing_ok=True)

    def __enter__(self) -> PendingFile:
        return self

    def __exit__(self, kind, error, trace) -> None:
        if kind is None and self.written:
            self.place()
        else:
            self.discard()


def write_whole(path: Path, write: Callable[[str], None], suffix: str = "") -> None:
    """Call `write` with a temporary path beside `path`, then move the result onto `path`.

    A failure leaves no partial file, and an existing file as it was; an
    `OSError` becomes `NotWritten`, naming the file and the reason. The
    file gets the permissions a newly created file would (the umask's).
    """
    with PendingFile(path, suffix) as pending:
        pending.write(write)
