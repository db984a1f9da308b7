"""The shell every command runs in: the core's errors as one line, the store, the output.

Heavy libraries (pandas, pandera) are imported by the commands that need
them, inside the core modules, so `casualties --help` starts at once.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
from pathlib import Path

import click

from ..errors import CasualtiesError, ValidationFailed

DEFAULT_DB = Path("data") / "casualties.db"


class Shell(click.Group):
    """Turns the core's errors into one line on stderr and exit code 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ValidationFailed as failed:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            for problem in failed.problems:
                click.echo(f"Error: {problem}", err=True)
            click.echo(f"Nothing was written ({len(failed.problems)} problems).", err=True)
            sys.exit(1)
        except (CasualtiesError, sqlite3.Error) as error:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"Error: {_said(error, ctx.obj['db'])}", err=True)
            sys.exit(1)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as error:
            # A failure no check foresaw is a bug: one line, never a traceback. The
            # store's writes are transactions and files are written whole, so what
            # failed left nothing half-done.
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"Error: {UNFORESEEN} ({type(error).__name__}: {error}).", err=True)
            click.echo("Run it again with --debug to see where, and report it.", err=True)
            sys.exit(1)


# What a test looks for to tell a bug from an error foreseen.
UNFORESEEN = "a failure casualties did not foresee"


def _said(error: Exception, db: str) -> str:
    """The error as a user reads it: the store's own errors name the store."""
    if isinstance(error, CasualtiesError):
        return str(error)
    if isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
        from ..store.database import BUSY_TIMEOUT_MS

        return (
            f"the store {db} is busy: another command has been writing to it for"
            f" {BUSY_TIMEOUT_MS // 1000} s; nothing was written, try again when it ends"
        )
    return f"the store {db}: {error}"


def open_store(ctx: click.Context):
    from ..store.database import Store

    return Store.open(ctx.obj["db"])


class OutputNotWritten(CasualtiesError):
    def __init__(self, reason: str):
        super().__init__(f"cannot write the output: {reason}")


def emit(text: str, nl: bool = True) -> None:
    """Print `text`; an output that cannot take it (a full disk) is an error of one line."""
    try:
        click.echo(text, nl=nl)
    except OSError as error:
        from ..files.atomic import reason_of

        _silence_stdout()  # what is left in its buffer would fail again at exit
        raise OutputNotWritten(reason_of(error, Path("-"))) from error


def _silence_stdout() -> None:
    # Not a file (a test's captured output): nothing flushes it at exit.
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def terminal() -> bool:
    return sys.stdout.isatty()
