"""Writing a file whole: beside its target first, then moved into place."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_whole(path: Path, write: Callable[[str], None], suffix: str = "") -> None:
    """Call `write` with a temporary path beside `path`, then move the result onto `path`.

    A failure leaves no partial file, and an existing file as it was. The
    file gets the permissions a newly created file would (the umask's).
    """
    path = Path(path)
    handle, temporary = tempfile.mkstemp(suffix=suffix, dir=path.parent or None)
    os.close(handle)
    try:
        write(temporary)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
