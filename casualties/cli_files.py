"""Commands that move figures between the store and files: the entry template."""

from __future__ import annotations

from pathlib import Path

import click

from .cli import cli, emit


@cli.command()
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="The .xlsx to write.")
@click.option("--force", is_flag=True, help="Overwrite --out if it exists.")
@click.pass_context
def template(ctx: click.Context, out: str, force: bool) -> None:
    """An Excel workbook for entering figures, ready for `casualties import`.

    One sheet per table (Figures, Sources, Publications, Citations) with the
    store's columns, drop-down lists for every controlled value and for the
    source and publication ids, date cells, and an Instructions sheet with every
    column's meaning and an example. The store's sources and publications come
    filled in when the store exists.

    \b
    Example:
      casualties template --out entry.xlsx
    """
    from .errors import StoreNotInitialised
    from .store import Store
    from .template import write_template

    try:
        store = Store.open(ctx.obj["db"])
    except StoreNotInitialised:
        sources = publications = None
    else:
        sources, publications = store.table("sources"), store.table("publications")
        store.close()
    write_template(Path(out), sources, publications, overwrite=force)
    known = 0 if sources is None else len(sources)
    emit(f"Wrote {out}: the entry sheets, with {known} sources already filled in.")
