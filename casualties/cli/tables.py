"""Commands on who counted and who reported: sources and publications, list and add."""

from __future__ import annotations

import click

from .options import FORMAT
from .shell import emit, open_store, terminal


def keyed_table_group(table: str, fields: list[tuple[str, str, str]], example: str):
    """A `sources` or `publications` command group with list and add."""

    @click.group(table)
    def group() -> None:
        pass

    group.help = f"List or add {table}.\n\n\b\nExample:\n  casualties {table} list\n  {example}"

    @group.command("list")
    @FORMAT
    @click.pass_context
    def list_rows(ctx: click.Context, fmt: str) -> None:
        from ..reporting.render import render

        emit(render(open_store(ctx).table(table), fmt, terminal()))

    list_rows.help = (
        f"List every stored row of {table}.\n\n\b\nExample:\n  casualties {table} list --format csv"
    )

    def add_rows(ctx: click.Context, **values) -> None:
        from ..model.frames import pd
        from ..store import ledger

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
