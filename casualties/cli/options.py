"""Options and choices shared by several commands: formats, filters, weeks, output files."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from .shell import open_store

FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="table: aligned on a terminal, tab-separated when piped.",
)


def week_options(command):
    """--week, --week-start, --as-of and --as-stored, shared by the weekly outputs."""
    command = as_stored_option(command)
    command = click.option(
        "--as-of", help="Replay the report as it stood on this day: figures reported by then."
    )(command)
    command = click.option(
        "--week-start", default="monday", show_default=True, help="First day of a week."
    )(command)
    return click.option(
        "--week", help="2024-W49, or any day in the week (default: the latest week with figures)."
    )(command)


def as_stored_option(command):
    """--as-stored: the store as it stood at a moment, to make a report again exactly."""
    return click.option(
        "--as-stored",
        help="Read the store as it stood at this moment (UTC, e.g. a pack manifest's "
        "store_time): later amendments, retractions and corrections are not yet there.",
    )(command)


def output_file(kind: str):
    """--out FILE and --force, shared by the commands that write one file."""

    def decorate(command):
        command = click.option("--force", is_flag=True, help="Overwrite --out if it exists.")(
            command
        )
        help_text = f"The {kind} to write (- for standard output)."
        out = click.option("--out", type=click.Path(dir_okay=False), required=True, help=help_text)
        return out(command)

    return decorate


STDOUT = "-"


@contextmanager
def output_path(out: str, force: bool, suffix: str) -> Iterator[Path]:
    """Where to write --out: the file (refused if there without --force), or for `-`
    a temporary file whose bytes go to standard output once written whole."""
    if out != STDOUT:
        yield new_file(out, force)
        return
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"out{suffix}"
        yield path
        with path.open("rb") as written:
            shutil.copyfileobj(written, sys.stdout.buffer)
        sys.stdout.buffer.flush()


@contextmanager
def steps_bar(label: str, steps: tuple[str, ...]) -> Iterator:
    """A bar on the terminal over a job's steps, each named as it begins (nothing when piped)."""
    if not sys.stderr.isatty():
        yield lambda _: None
        return
    named = {"step": ""}
    with click.progressbar(
        length=len(steps), label=label, file=sys.stderr, item_show_func=lambda _: named["step"]
    ) as bar:

        def step(name: str) -> None:
            # A step begun means the one before it is done.
            bar.update(steps.index(name) - bar.pos)
            named["step"] = name
            bar.render_progress()

        yield step
        bar.update(len(steps) - bar.pos)


def tell(out: str, text: str) -> None:
    """A tally of what was written: on standard error when the output itself went to stdout."""
    click.echo(text, err=out == STDOUT)


def new_file(out: str, force: bool) -> Path:
    """The --out path, refused if it is there and --force was not given."""
    path = Path(out)
    if path.exists() and not force:
        raise click.UsageError(f"{path} exists; pass --force to overwrite it")
    return path


def figure_filters(command):
    """--metric, --group, --source and --place, shared by the weekly outputs."""
    for flag, name, text in reversed(
        [
            ("--metric", "metrics", "Only these metrics (repeatable)."),
            ("--group", "groups", "Only these population groups."),
            ("--source", "sources", "Only these sources."),
            ("--place", "places", "Only figures in this place or inside it (SY-HM, Hama…)."),
        ]
    ):
        command = click.option(flag, name, multiple=True, help=text)(command)
    return command


def selected(
    ctx: click.Context,
    metrics,
    groups,
    sources,
    places,
    week,
    week_start,
    as_of,
    as_stored=None,
    columns=None,
):
    """The figures, week and as-of day the weekly outputs work on."""
    from ..reporting.summary import default_week
    from ..store.query import matching_figures

    store = open_store(ctx)
    query = checked(store, figure_query(metrics, groups, sources, places, as_stored))
    figures = matching_figures(store, query, columns, ordered=False)
    as_of_day, start, chosen = week_choice(week, week_start, as_of)
    return store, figures, chosen or default_week(figures, as_of_day, start), as_of_day


def checked(store, query):
    """The query, every filter value known: a term of its vocabulary, a stored source, a day.

    A typo (`--metric kills`, `--source SOHR`) would otherwise select nothing
    and print an empty table as if there were no figures.
    """
    from ..model import contract

    where = query.where
    for option, values, known in (
        ("--metric", where.metrics, lambda: contract.terms("metric")),
        ("--group", where.groups, lambda: contract.terms("population_group")),
        ("--status", where.statuses, lambda: contract.terms("status")),
        ("--source", where.sources, store.source_ids),
    ):
        if values:
            _all_known(option, values, known())
    for option, day in (("--from", where.start), ("--to", where.end)):
        if day:
            _a_day(option, day)
    return query


def _all_known(option: str, values: tuple[str, ...], known: list[str]) -> None:
    import difflib

    for value in values:
        if value in known:
            continue
        by_case = [k for k in known if k.lower() == value.lower()]
        close = by_case or difflib.get_close_matches(value, known, n=3, cutoff=0.6)
        hint = f"did you mean {' or '.join(close)}?" if close else f"known: {', '.join(known)}"
        raise click.BadParameter(f"{value!r} is not known; {hint}", param_hint=f"'{option}'")


def _a_day(option: str, text: str) -> None:
    from datetime import date

    try:
        date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is not a day in the form YYYY-MM-DD", param_hint=f"'{option}'"
        ) from None


def query_of(options: dict):
    """The figure query the filter options (and --as-stored) of a command state."""
    names = ("metrics", "groups", "sources", "places", "as_stored")
    return figure_query(*(options.get(k) for k in names))


def figure_query(metrics, groups, sources, places, as_stored=None):
    from ..model.weeks import parse_moment
    from ..store.database import FigureFilter
    from ..store.query import FigureQuery

    stored_at = parse_moment(as_stored, "--as-stored") if as_stored else None
    where = FigureFilter(metrics=metrics, groups=groups, sources=sources)
    return FigureQuery(where, places, stored_at)


def week_choice(week, week_start, as_of):
    """--as-of as a day, --week-start as a weekday number, --week as a Week (None if not given)."""
    from ..model.weeks import parse_day, parse_week, parse_week_start

    as_of_day = parse_day(as_of, "--as-of") if as_of else None
    start = parse_week_start(week_start)
    return as_of_day, start, parse_week(week, start) if week else None
