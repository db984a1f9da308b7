"""`casualties extract`: draft figures from news articles, for review before import."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from .options import STDOUT, output_path, tell
from .shell import emit


@click.command()
@click.argument("articles", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--published",
    multiple=True,
    required=True,
    help="Publication date (YYYY-MM-DD): once for all articles, or once per article in order.",
)
@click.option(
    "--publisher", multiple=True, help="Who published each article (default: the file's name)."
)
@click.option("--url", multiple=True, help="Each article's address.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    help="drafts.xlsx (the entry workbook), .csv or .json; without it, a table here.",
)
@click.option("--force", is_flag=True, help="Overwrite --out if it exists.")
@click.pass_context
def extract(ctx, articles, published, publisher, url, out, force) -> None:
    """Propose the figures of news articles (text or HTML), each with its quote.

    Every count of people the articles state becomes a draft: metric, group,
    value and bounds with the qualifier, place, period (relative dates read
    against the publication date, the rule kept), the source the sentence
    names, subset links and the exact quote. A draft the reader is unsure of
    says why, with a lower confidence. The same figure in two articles is
    proposed once with both publications. Nothing is stored: review the
    drafts, then `casualties import` them.

    \b
    Example:
      casualties extract upi.txt afp.html --published 2024-12-06 \\
          --publisher UPI --publisher "AFP via TDT" --out drafts.xlsx
      casualties import drafts.xlsx
    """
    from ..errors import StoreNotInitialised
    from ..extract.drafting import Article, extract
    from ..extract.drafts import (
        draft_frames,
        draft_records,
        known_sources,
        publication_id,
        write_drafts,
    )
    from ..extract.merging import merged
    from ..files.encodings import text_encoding
    from ..store.database import Store

    try:
        store = Store.open(ctx.obj["db"])
    except StoreNotInitialised:
        store = None
    # Plain rows: drafting one article and showing its drafts needs no pandas.
    known = known_sources(store.records("sources")) if store is not None else []
    read, urls = [], {}
    for number, path in enumerate(articles):
        day = _nth(published, number, "--published", len(articles))
        try:
            when = date.fromisoformat(day)
        except ValueError as error:
            raise click.BadParameter(
                f"{day!r} is not a date YYYY-MM-DD", param_hint="--published"
            ) from error
        name = _nth(publisher, number, "--publisher", len(articles)) or Path(path).stem
        # A page saved from a browser on Windows may be cp1252, not UTF-8.
        text = Path(path).read_text(encoding=text_encoding(Path(path)))
        article = Article(text, when, publication_id(name, day), name)
        read.append(article)
        if url:
            urls[article.publication_id] = _nth(url, number, "--url", len(articles))
    drafts = merged([d for article in read for d in extract(article, known)])
    records = draft_records(drafts, read, urls)
    if out:
        from ..model.frames import pd

        tables = draft_frames(records)
        known_sources_table = store.table("sources") if store is not None else pd.DataFrame()
        # To standard output, the figures' CSV (a workbook is a file to open).
        suffix = ".csv" if out == STDOUT else Path(out).suffix
        with output_path(out, force, suffix) as path:
            write_drafts(path, tables, known_sources_table, overwrite=True)
        doubtful = sum(1 for d in drafts if d.doubts)
        tell(out, f"Wrote {out}: {len(drafts)} draft figures ({doubtful} with doubts) to review.")
        return
    _show(records["figures"])


def _nth(values: tuple, number: int, option: str, count: int) -> str | None:
    """The option's value for the n-th article: the one given for all, or the n-th."""
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    if len(values) != count:
        raise click.BadParameter(f"give it once, or once per article ({count})", param_hint=option)
    return values[number]


def _show(figures: list[dict]) -> None:
    from ..model.missing import plain

    if not figures:
        emit("No figures found.")
        return
    for row in figures:
        values = "/".join(
            "-" if plain(row[c]) is None else str(row[c])
            for c in ("value_low", "value_best", "value_high")
        )
        emit(
            f"{row['id']}: {row['metric'] or '?'} {row['population_group']} {values} "
            f"({row['qualifier']}, {row['value_words']!r}) source {row['source_id'] or '?'}, "
            f"{row['place_codes'] or '?'}, {row['period_start'] or '?'}..{row['period_end']}, "
            f"confidence {row['confidence']}"
            + (f"\n    doubts: {row['doubts']}" if plain(row["doubts"]) else "")
        )
