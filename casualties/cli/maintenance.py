"""Commands that set up and check the store: init, load-example, load-gaza, validate."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .shell import emit, open_store


@click.command()
@click.option("--example", is_flag=True, help="Also load the example data.")
@click.pass_context
def init(ctx: click.Context, example: bool) -> None:
    """Create the store, or bring an old one to the current schema.

    \b
    Example:
      casualties init --example
      casualties --db data/syria.db init
    """
    from ..store.database import Store

    store = Store.create(ctx.obj["db"])
    emit(f"Store ready at {ctx.obj['db']} (schema version {store.schema_version()}).")
    if example:
        ctx.invoke(load_example)


@click.command("load-example")
@click.pass_context
def load_example(ctx: click.Context) -> None:
    """Load every figure of the two seed articles; already loaded rows are kept as they are.

    \b
    Example:
      casualties load-example
    """
    from ..bundled.examples import load_example as load
    from ..store.database import Store

    loaded = load(Store.create(ctx.obj["db"]))
    emit(
        f"Example data: {loaded.figures} figures, {loaded.sources} sources and "
        f"{loaded.publications} publications added (rows already there are left alone)."
    )


@click.command("load-gaza")
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
    from ..bundled.gaza_daily import DEFAULT_PATH, load_gaza_daily
    from ..store.database import Store

    loaded = load_gaza_daily(Store.create(ctx.obj["db"]), Path(path) if path else DEFAULT_PATH)
    emit(
        f"Gaza daily series: {loaded.figures} figures, {loaded.sources} sources and "
        f"{loaded.publications} publications added (rows already there are left alone)."
    )
    if loaded.retracted:
        emit(
            f"{loaded.retracted} civil-defence figures an earlier load filed as aid workers"
            " were retracted (`casualties history ID` shows why)."
        )


@click.command()
@click.pass_context
def validate(ctx: click.Context) -> None:
    """Check the whole store against the data contract; list every violation.

    \b
    Example:
      casualties validate
    """
    from ..store.ledger import store_problems

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
