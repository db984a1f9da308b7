"""The workbook's About sheet: where the workbook came from, what each sheet holds,
the aggregation rules in plain words and the definition of every term used.

The provenance rows come from the caller (the store, its time, the filters);
the rest is read from the data contract and the aggregation module's own
docstring, so the sheet cannot drift from what the code does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import contract
from . import aggregation
from .workbook import MAX_LINKS_PER_SHEET, url_columns

if TYPE_CHECKING:
    from ..model.frames import pd


SHEET_NOTES = {
    "Latest": "One row per series: each running total's or stock's latest active report, in "
    "its unit (people_low/best/high: households or families in people, where their size is "
    "known); and, for each source's incidents of a metric and group, its newest incident, "
    "with how many incidents there are (incidents) and the first one's start "
    "(incidents_from): every incident is on the Figures sheet. ids names the figure each "
    "row shows; place_names are the gazetteer's names of place_codes.",
    "Weekly": "One row per week and source, metric, group, unit and basis where something "
    "changed that week: the total standing at the week's end and the week's change, "
    "each with its bounds (low, best, high; a blank high is open), a change over more "
    "than a week dated in change_since, and any revision (a certain fall of a running "
    "total) with its bounds. The same rows as the summary's; nothing is added across "
    "sources. ids, change_ids and revision_ids name the figures behind each number. Weeks "
    "in which nothing changed have no row, so an old figure adds its own week, not the years "
    "between.",
    "Chart": "The week's change in people of each source, for the metric and group with the "
    "most weeks of change in the last 26 weeks: the Weekly sheet's change_best (else "
    "change_low), one column per source, drawn as a native Excel chart. A blank week had no "
    "new figure from that source; nothing is added across sources.",
    "Figures": "Every figure with its full provenance and verbatim quote; publication_url is "
    "where its first publication can be read.",
    "Sources": "Who counted.",
    "Publications": "Who reported.",
}


def provenance_rows(store_path: str, filters: dict[str, str], store_time: str) -> list[tuple]:
    """The About rows a caller gives: from which store, as it stood when, with which filters.

    The store's time, not the clock's: the same store time gives the same
    workbook (make it again with --as-stored STORE_TIME).
    """
    shown = "; ".join(f"{k} = {v}" for k, v in filters.items() if v) or "none: every figure"
    return [
        ("Workbook", "Casualty and displacement figures with their provenance (casualties)."),
        ("Store time", store_time),
        ("Store", store_path),
        ("Filters", shown),
    ]


def link_notes(tables: dict[str, pd.DataFrame]) -> list[tuple[str, str]]:
    """A note for each sheet holding more urls than Excel allows links on one sheet."""
    notes = []
    for name, frame in tables.items():
        count = sum(int(frame[c].notna().sum()) for c in url_columns(frame))
        if count > MAX_LINKS_PER_SHEET:
            notes.append(
                (
                    f"Links on {name.capitalize()}",
                    f"{count:,} urls, more than the {MAX_LINKS_PER_SHEET:,} links Excel allows on "
                    "one sheet: they are shown as plain text.",
                )
            )
    return notes


def rule_rows() -> list[tuple[str, str]]:
    """The aggregation rules in plain words, from the aggregation module's docstring."""
    summary, *paragraphs = (aggregation.__doc__ or "").strip().split("\n\n")
    lists = [p.strip() for p in paragraphs if p.strip().startswith("- ")]
    rules = [" ".join(item.split()) for p in lists for item in p[2:].split("\n- ")]
    return [("Aggregation", summary.strip())] + [("Aggregation rule", r) for r in rules]


def definition_rows(figures: pd.DataFrame) -> list[tuple[str, str]]:
    """The definitions of every metric, group, qualifier and basis the figures use."""
    vocabularies = contract.vocabularies()
    rows = []
    for column in ("metric", "population_group", "qualifier", "basis"):
        used = set(figures[column].dropna()) if column in figures else set()
        vocabulary = vocabularies[column]
        rows += [
            (f"{column}: {term}", vocabulary.definition(term))
            for term in vocabulary.terms
            if term in used
        ]
    return rows
