"""Draft figures as tables an analyst reviews, then imports: the entry workbook's layout.

The drafts of one run become the Figures sheet (each with an id, its subset
link, and three review columns the import sets aside: confidence, doubts and
where its quote sits in the article), the articles the Publications sheet,
the store's sources the Sources sheet, and a second article's words for the
same figure a Citations row. Review is: open, correct, `casualties import`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CasualtiesError, FileExists
from ..model import contract

if TYPE_CHECKING:
    from ..model.frames import pd
    from .attribution import KnownSource
    from .drafting import Article
    from .merging import Draft

REVIEW_COLUMNS = ("confidence", "doubts", "quote_at")


def known_sources(sources: list[dict]) -> list[KnownSource]:
    """The store's sources (rows of the sources table) as the extractor looks for them in text."""
    from .attribution import KnownSource

    return [
        KnownSource(
            row["id"],
            row["name"],
            row["kind"],
            tuple(a.strip() for a in str(row.get("aliases") or "").split(";") if a.strip()),
        )
        for row in sources
    ]


def publication_id(publisher: str, published: str) -> str:
    """An id for an article: its publisher and day, as the contract allows ids."""
    slug = re.sub(r"[^a-z0-9]+", "-", publisher.lower()).strip("-") or "article"
    return f"{slug[:40]}-{published}"


def draft_tables(drafts: list[Draft], articles: list[Article], urls: dict[str, str]) -> dict:
    """figures (with the review columns), publications and citations of a run's drafts."""
    return draft_frames(draft_records(drafts, articles, urls))


def draft_frames(records: dict[str, list[dict]]) -> dict:
    """The tables of `draft_records` as frames, counts as nullable integers."""
    from ..model.frames import pd

    names = [*contract.table("figures").column_names, *REVIEW_COLUMNS]
    frame = pd.DataFrame(records["figures"], columns=names)
    for column in ("value_low", "value_best", "value_high"):
        frame[column] = frame[column].astype("Int64")
    return {
        "figures": frame,
        "publications": pd.DataFrame(records["publications"]),
        "citations": pd.DataFrame(
            records["citations"], columns=["figure_id", "publication_id", "quote"]
        ),
    }


def draft_records(
    drafts: list[Draft], articles: list[Article], urls: dict[str, str]
) -> dict[str, list[dict]]:
    """figures, publications and citations of a run's drafts as plain rows (no pandas:
    showing the drafts of one article answers at once)."""
    names = [*contract.table("figures").column_names, *REVIEW_COLUMNS]
    ids = [_draft_id(d, n) for n, d in enumerate(drafts, start=1)]
    figures = []
    citations = []
    for number, draft in enumerate(drafts):
        total = draft.total  # its position among the drafts, as merged() leaves it
        row = {"id": ids[number], **draft.fields, "part_of": None if total is None else ids[total]}
        row["confidence"] = draft.confidence
        row["doubts"] = "; ".join(draft.doubts) or None
        row["quote_at"] = f"{draft.quote_start}-{draft.quote_end}"
        figures.append({n: row.get(n) for n in names})
        for publication, quote in draft.cited_in:
            citations.append(
                {"figure_id": ids[number], "publication_id": publication, "quote": quote}
            )
    publications = [
        {
            "id": a.publication_id,
            "publisher": a.publisher,
            "url": urls.get(a.publication_id),
            "published_on": a.published.isoformat(),
        }
        for a in articles
    ]
    return {"figures": figures, "publications": publications, "citations": citations}


def _draft_id(draft: Draft, number: int) -> str:
    fields = draft.fields
    first = fields["publication_ids"].split(";")[0]
    parts = [first, fields["metric"] or "unclear", fields["population_group"], f"d{number}"]
    return re.sub(r"[^a-z0-9._-]+", "-", "-".join(parts).lower())[:64]


def write_drafts(path: Path, tables: dict, sources: pd.DataFrame, overwrite: bool) -> None:
    """The drafts as an entry workbook (.xlsx), or CSV of the figures, or JSON of every table."""
    from ..files.atomic import write_whole
    from ..files.exports import write_json
    from ..files.template import write_template

    path = Path(path)
    suffix = path.suffix.lower()
    if path.exists() and not overwrite:
        raise FileExists(path)
    if suffix == ".xlsx":
        write_template(
            path,
            sources,
            tables["publications"],
            overwrite=True,
            figures=tables["figures"],
            citations=tables["citations"],
        )
    elif suffix == ".json":
        write_json({"sources": sources, **tables}, path)
    elif suffix == ".csv":
        from ..files.csv_text import to_csv

        text = to_csv(tables["figures"])
        write_whole(path, lambda at: Path(at).write_text(text, encoding="utf-8"), suffix=".csv")
    else:
        raise CasualtiesError(f"{path}: drafts are written as .xlsx, .csv or .json")
