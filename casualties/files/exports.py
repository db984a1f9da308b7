"""Figures out to files others read: CSV (one column per field), JSON (every table), Parquet."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import MissingExtra
from ..model import contract
from ..model.missing import plain
from .atomic import write_whole

if TYPE_CHECKING:
    import pyarrow as pa

    from ..model.frames import pd
    from ..store.database import Store
    from ..store.query import FigureQuery


def write_figures_csv(store: Store, query: FigureQuery, path: Path, excel: bool = False) -> int:
    """The matching figures as CSV, streamed a batch at a time; returns how many.

    `excel`: with a byte-order mark, without which Excel reads UTF-8 as its
    own code page ("≥25" as "â‰¥25").
    """
    from ..store.query import matching_rows
    from .csv_text import csv_encoding, csv_lines

    written = 0

    def counted(batches):
        nonlocal written
        for batch in batches:
            written += len(batch)
            yield batch

    def write(at: str) -> None:
        names = contract.table("figures").column_names
        with open(at, "w", encoding=csv_encoding(excel), newline="") as out:
            for text in csv_lines(names, counted(matching_rows(store, query))):
                out.write(text)

    write_whole(Path(path), write, suffix=".csv")
    return written


def write_figures_parquet(store: Store, query: FigureQuery, path: Path) -> int:
    """The matching figures as Parquet typed by the contract, a batch at a time; returns how many.

    Needs pyarrow (the `parquet` extra).
    """
    try:
        import pyarrow.parquet as pq
    except ImportError as error:
        raise MissingExtra("export parquet", "pyarrow", "parquet") from error
    from ..store.query import matching_rows

    schema = parquet_schema()
    written = 0

    def write(at: str) -> None:
        nonlocal written
        with pq.ParquetWriter(at, schema) as out:
            for batch in matching_rows(store, query):
                if batch:
                    out.write_batch(_record_batch(schema, batch))
                    written += len(batch)

    write_whole(Path(path), write, suffix=".parquet")
    return written


def parquet_schema() -> pa.Schema:
    """The figures' columns as Arrow types from the contract, each with its description.

    Dates are Parquet DATEs; `entered_at` stays ISO 8601 text as stored (its
    offset is written as entered: `Z` or `+02:00`).
    """
    import pyarrow as pa

    types = {
        "string": pa.string(),
        "integer": pa.int64(),
        "number": pa.float64(),
        "date": pa.date32(),
        "datetime": pa.string(),
    }
    figures = contract.table("figures")
    fields = [
        pa.field(c.name, types[c.type], metadata={"description": c.description})
        for c in figures.columns
    ]
    return pa.schema(fields, metadata={"table": "figures", "description": figures.description})


def _record_batch(schema: pa.Schema, rows: list[tuple]) -> pa.RecordBatch:
    import pyarrow as pa
    import pyarrow.compute as pc

    arrays = []
    for field, values in zip(schema, zip(*rows, strict=True), strict=True):
        if field.type == pa.date32():
            # The store keeps ISO text; one made before date columns were checked whole
            # may hold a time after the day.
            text = pc.utf8_slice_codeunits(pa.array(values, pa.string()), 0, 10)
            arrays.append(text.cast(pa.date32()))
        else:
            arrays.append(pa.array(values, field.type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def related_tables(store: Store, query: FigureQuery) -> dict[str, pd.DataFrame]:
    """The matching figures with the sources, publications and citations they name."""
    from ..store.query import matching_figures

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
