"""Figures out to files others read: CSV (one column per field) and JSON (every table)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from . import contract
from .files import write_whole
from .missing import plain

if TYPE_CHECKING:
    import pandas as pd

    from .query import FigureQuery
    from .store import Store


def write_figures_csv(store: Store, query: FigureQuery, path: Path) -> int:
    """The matching figures as CSV, streamed a batch at a time; returns how many."""
    from .query import matching_rows
    from .render import csv_lines

    written = 0

    def counted(batches):
        nonlocal written
        for batch in batches:
            written += len(batch)
            yield batch

    def write(at: str) -> None:
        names = contract.table("figures").column_names
        with open(at, "w", encoding="utf-8", newline="") as out:
            for text in csv_lines(names, counted(matching_rows(store, query))):
                out.write(text)

    write_whole(Path(path), write, suffix=".csv")
    return written


def related_tables(store: Store, query: FigureQuery) -> dict[str, pd.DataFrame]:
    """The matching figures with the sources, publications and citations they name."""
    from .query import matching_figures

    figures = matching_figures(store, query)
    sep = contract.LIST_SEPARATOR
    publications = {p for listed in figures["publication_ids"] for p in listed.split(sep)}
    citations = store.table("citations", figures["id"].tolist())
    publications |= set(citations["publication_id"])
    return {
        "sources": store.table("sources", sorted(set(figures["source_id"]))),
        "publications": store.table("publications", sorted(publications)),
        "figures": figures,
        "citations": citations,
    }


def write_json(tables: dict[str, pd.DataFrame], path: Path) -> None:
    """One JSON object: each table as a list of records, missing values as null."""
    document = {name: _records(frame) for name, frame in tables.items()}
    text = json.dumps(document, ensure_ascii=False, indent=1)
    write_whole(Path(path), lambda at: Path(at).write_text(text + "\n", encoding="utf-8"))


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]
