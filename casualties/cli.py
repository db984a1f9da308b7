"""The `casualties` command: a thin shell over the library.

Heavy libraries (pandas, pandera) are imported by the commands that need
them, inside the core modules, so `casualties --help` starts at once.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import click

from .errors import CasualtiesError, ValidationFailed

DEFAULT_DB = Path("data") / "casualties.db"
FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="table: aligned on a terminal, tab-separated when piped.",
)


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
            where = "" if isinstance(error, CasualtiesError) else f"the store {ctx.obj['db']}: "
            click.echo(f"Error: {where}{error}", err=True)
            sys.exit(1)


@click.group(cls=Shell)
@click.option(
    "--db",
    type=click.Path(dir_okay=False),
    envvar="CASUALTIES_DB",
    default=str(DEFAULT_DB),
    show_default=True,
    help="The store (also CASUALTIES_DB).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.version_option(package_name="casualties")
@click.pass_context
def cli(ctx: click.Context, db: str, debug: bool) -> None:
    """Casualty and displacement figures, kept with their provenance.

    \b
    Example:
      casualties init --example
      casualties list --metric killed --format csv
    """
    ctx.obj = {"db": db, "debug": debug}


def open_store(ctx: click.Context):
    from .store import Store

    return Store.open(ctx.obj["db"])


def emit(text: str) -> None:
    click.echo(text)


def terminal() -> bool:
    return sys.stdout.isatty()


def main() -> None:
    cli(prog_name="casualties")


# -- the store ---------------------------------------------------------------


@cli.command()
@click.option("--example", is_flag=True, help="Also load the example data.")
@click.pass_context
def init(ctx: click.Context, example: bool) -> None:
    """Create the store, or bring an old one to the current schema.

    \b
    Example:
      casualties init --example
      casualties --db data/syria.db init
    """
    from .store import Store

    store = Store.create(ctx.obj["db"])
    emit(f"Store ready at {ctx.obj['db']} (schema version {store.schema_version()}).")
    if example:
        ctx.invoke(load_example)


@cli.command("load-example")
@click.pass_context
def load_example(ctx: click.Context) -> None:
    """Load every figure of the two seed articles; already loaded rows are kept as they are.

    \b
    Example:
      casualties load-example
    """
    from .examples import load_example as load
    from .store import Store

    loaded = load(Store.create(ctx.obj["db"]))
    emit(
        f"Example data: {loaded.figures} figures, {loaded.sources} sources and "
        f"{loaded.publications} publications added (rows already there are left alone)."
    )


@cli.command("load-gaza")
@click.argument("path", type=click.Path(exists=True, dir_okay=False), required=False)
@click.pass_context
def load_gaza(ctx: click.Context, path: str | None) -> None:
    """Load the real Gaza daily series (Ministry of Health and Government Media Office).

    PATH defaults to ../shared/data/tfp_gaza_casualties_daily.json
    (TechForPalestine/palestine-datasets, Unlicense).

    \b
    Example:
      casualties load-gaza
      casualties --db data/gaza.db load-gaza ../shared/data/tfp_gaza_casualties_daily.json
    """
    from .gaza_daily import DEFAULT_PATH, load_gaza_daily
    from .store import Store

    loaded = load_gaza_daily(Store.create(ctx.obj["db"]), Path(path) if path else DEFAULT_PATH)
    emit(
        f"Gaza daily series: {loaded.figures} figures, {loaded.sources} sources and "
        f"{loaded.publications} publications added (rows already there are left alone)."
    )


@cli.command()
@click.pass_context
def validate(ctx: click.Context) -> None:
    """Check the whole store against the data contract; list every violation.

    \b
    Example:
      casualties validate
    """
    from .ledger import store_problems

    problems = store_problems(open_store(ctx))
    for problem in problems:
        click.echo(f"Error: {problem}", err=True)
    if problems:
        click.echo(f"{len(problems)} problems found.", err=True)
        sys.exit(1)
    counts = open_store(ctx).counts()
    emit(
        f"The store is valid: {counts['figures']} figures, {counts['sources']} sources, "
        f"{counts['publications']} publications."
    )


# -- sources and publications ----------------------------------------------------


def keyed_table_group(table: str, fields: list[tuple[str, str, str]], example: str):
    """A `sources` or `publications` command group with list and add."""

    @cli.group(table)
    def group() -> None:
        pass

    group.help = f"List or add {table}.\n\n\b\nExample:\n  casualties {table} list\n  {example}"

    @group.command("list")
    @FORMAT
    @click.pass_context
    def list_rows(ctx: click.Context, fmt: str) -> None:
        from .render import render

        emit(render(open_store(ctx).table(table), fmt, terminal()))

    list_rows.help = (
        f"List every stored row of {table}.\n\n\b\nExample:\n  casualties {table} list --format csv"
    )

    def add_rows(ctx: click.Context, **values) -> None:
        from . import ledger
        from .frames import pd

        adder = getattr(ledger, f"add_{table}")
        row = {column: value for column, value in values.items() if value is not None}
        adder(open_store(ctx), pd.DataFrame([row]))
        emit(f"Added to {table}: {row['id']}")

    for flag, column, text in reversed(fields):
        add_rows = click.option(flag, column, help=text)(add_rows)
    add_rows.__doc__ = f"Add one row to {table}.\n\n\b\nExample:\n  {example}"
    group.command("add")(click.pass_context(add_rows))
    return group


sources = keyed_table_group(
    "sources",
    [
        ("--id", "id", "Short id, lower case (sohr)."),
        ("--name", "name", "Full name."),
        ("--aliases", "aliases", "Other names, ';'-separated."),
        (
            "--kind",
            "kind",
            "local_monitor, ngo, un, government, party_to_conflict, media, dataset.",
        ),
        ("--reliability", "reliability", "low, medium or high."),
        ("--url", "url", "Website or methodology page."),
        ("--notes", "notes", "Method, coverage, bias."),
    ],
    'casualties sources add --id snhr --name "Syrian Network for Human Rights" '
    "--kind local_monitor --reliability medium",
)
publications = keyed_table_group(
    "publications",
    [
        ("--id", "id", "Short id, lower case (upi-2024-12-06)."),
        ("--publisher", "publisher", "Who published it (UPI, AFP via TDT)."),
        ("--title", "title", "Headline."),
        ("--url", "url", "Where it can be read."),
        ("--published-on", "published_on", "Publication date (YYYY-MM-DD)."),
        ("--retrieved-on", "retrieved_on", "When you read it (YYYY-MM-DD)."),
        ("--language", "language", "ISO 639 code (en, ar)."),
    ],
    "casualties publications add --id afp-2024-12-07 --publisher AFP --published-on 2024-12-07",
)


# -- reference -------------------------------------------------------------------


@cli.command()
@click.argument("name", required=False)
def vocab(name: str | None) -> None:
    """Show the controlled vocabularies with each term's definition.

    \b
    Example:
      casualties vocab metric
    """
    from .contract import vocabularies

    known = vocabularies()
    if name and name not in known:
        raise click.BadParameter(f"no vocabulary {name!r}; known: {', '.join(known)}")
    for vocabulary in [known[name]] if name else known.values():
        emit(f"{vocabulary.name}: {vocabulary.description}")
        for term in vocabulary.terms:
            emit(f"  {term:<16} {vocabulary.definition(term)}")


@cli.command()
@click.argument("text")
def place(text: str) -> None:
    """Look a place up in the gazetteer: code, level and the areas it lies in.

    \b
    Example:
      casualties place "Deir al-Zour"
    """
    from .errors import UnknownPlace
    from .gazetteer import default_gazetteer

    gazetteer = default_gazetteer()
    found = gazetteer.matches(text)
    if not found:
        gazetteer.resolve(text)  # raises UnknownPlace with suggestions
        raise UnknownPlace(text, [])
    for match in found:
        iso = f"  ISO {match.iso_3166_2}" if match.iso_3166_2 else ""
        within = [gazetteer.places[c] for c in match.ancestors[1:] if c in gazetteer]
        inside = ", ".join(f"{p.name} ({p.code})" for p in within)
        emit(
            f"{match.code}  {match.name}  {match.level}{iso}" + (f"  in {inside}" if inside else "")
        )


# The commands of these modules register themselves on `cli` when imported.
from . import cli_extract, cli_figures, cli_files, cli_reports  # noqa: E402,F401
