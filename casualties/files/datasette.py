"""The store as a browsable, read-only site: Datasette's metadata from the data contract.

Datasette (an optional extra) shows a SQLite file as web pages an analyst can
filter, facet and link to; given this metadata, each table and column carries
its description from `schemas/tables/*.yaml`, and the store's internal key
table is hidden.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..model import contract
from .atomic import write_whole

# Kept beside the figures for the weekly summary's speed: not for reading.
INTERNAL_TABLES = ("figure_keys",)


def datasette_metadata(store_path: Path) -> dict:
    """Metadata for `datasette serve --immutable STORE --metadata FILE`."""
    tables = {
        name: {
            "description": _one_line(table.description),
            "columns": {c.name: _one_line(c.description) for c in table.columns},
        }
        for name, table in ((n, contract.table(n)) for n in contract.TABLE_NAMES)
    }
    tables.update({name: {"hidden": True} for name in INTERNAL_TABLES})
    return {
        "title": "casualties",
        "description": "Casualty and displacement figures, each kept with its source, "
        "publication, definition, uncertainty and quote (read-only).",
        "databases": {Path(store_path).stem: {"tables": tables}},
    }


def write_datasette_metadata(store_path: Path, path: Path) -> None:
    """The metadata as JSON, written whole."""
    text = json.dumps(datasette_metadata(store_path), indent=2, ensure_ascii=False) + "\n"
    write_whole(Path(path), lambda at: Path(at).write_text(text, encoding="utf-8"), ".json")


def _one_line(text: str) -> str:
    return " ".join(text.split())
