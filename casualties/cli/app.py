"""The `casualties` command: the group, and every command registered on it.

The command modules know nothing of the group; this module adds their
commands, so the group is built in one place and nothing imports it back.
"""

from __future__ import annotations

import click

from . import extract, figures, files, maintenance, reference, reports, tables
from .shell import DEFAULT_DB, Shell


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


@click.group()
def export() -> None:
    """Write the store's figures to a file for others.

    \b
    Example:
      casualties export xlsx --out reports/figures.xlsx
    """


for command in (
    maintenance.init,
    maintenance.load_example,
    maintenance.load_gaza,
    maintenance.validate,
    tables.sources,
    tables.publications,
    reference.vocab,
    reference.place,
    figures.add,
    figures.amend,
    figures.retract,
    figures.cite,
    figures.list_,
    figures.show,
    figures.history,
    files.template,
    files.import_,
    reports.summary,
    reports.chart,
    reports.report,
    extract.extract,
    export,
):
    cli.add_command(command)
for command in (
    reports.export_xlsx,
    files.export_csv,
    files.export_json,
    files.export_parquet,
    files.export_hxl,
    files.export_datasette_metadata,
):
    export.add_command(command)


def main() -> None:
    cli(prog_name="casualties")
