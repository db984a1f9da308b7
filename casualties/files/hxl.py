"""HXL: the figures with the hashtag row HDX reads, and that row read back on import.

The hashtags are declared in `schemas/hxl.yaml`: one per field of the figures
table, so a file's hashtag row says which field each column holds whatever its
text header says; and, for tools that expect HDX's wide layout, one value
column per metric and population group present (#affected+killed+children).
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import contract
from ..model.missing import is_missing, plain
from .atomic import write_whole
from .csv_text import inert

if TYPE_CHECKING:
    from ..model.frames import pd


@cache
def hashtags() -> dict:
    """The mapping of schemas/hxl.yaml: columns, metrics and groups to hashtags."""
    return contract.read_yaml(contract.SCHEMAS_DIR / "hxl.yaml")


def hxl_rows(figures: pd.DataFrame) -> list[list]:
    """Header, hashtag row, then a row per figure: every field, then the wide value columns."""
    tags = hashtags()
    names = contract.table("figures").column_names
    metrics, groups = contract.terms("metric"), contract.terms("population_group")
    present = set(zip(figures["metric"], figures["population_group"], strict=True))
    pairs = [(m, g) for m in metrics for g in groups if (m, g) in present]
    header = [*names, *(f"{m} {g}" for m, g in pairs)]
    tag_row = [tags["columns"][n] for n in names]
    tag_row += [tags["metrics"][m] + tags["groups"][g] for m, g in pairs]
    rows = [header, tag_row]
    for record in figures[names].to_dict("records"):
        values = [_text(record[n]) for n in names]
        best, low = record["value_best"], record["value_low"]
        shown = low if is_missing(best) else best
        wide = [
            _text(shown) if (record["metric"], record["population_group"]) == pair else ""
            for pair in pairs
        ]
        rows.append([*values, *wide])
    return rows


def write_hxl(figures: pd.DataFrame, path: Path) -> None:
    """The figures as an HXL-tagged CSV, text that could run as a formula made inert."""
    rows = hxl_rows(figures)

    def write(at: str) -> None:
        with open(at, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerows(rows[:2])
            writer.writerows([[inert(v) for v in row] for row in rows[2:]])

    write_whole(Path(path), write, suffix=".csv")


def is_hashtag_row(row: list) -> bool:
    """Whether a row is HXL's: most of its filled cells are hashtags."""
    cells = [str(v).strip() for v in row if not is_missing(v) and str(v).strip()]
    return bool(cells) and sum(c.startswith("#") for c in cells) * 2 > len(cells)


def fields_of(row: list) -> list[str]:
    """The figures field each hashtag names ('' for the wide value columns and unknown tags)."""
    known = {tag_key(tag): name for name, tag in hashtags()["columns"].items()}
    return [known.get(tag_key(str(v)), "") if not is_missing(v) else "" for v in row]


def tag_key(tag: str) -> tuple[str, frozenset[str]]:
    """A hashtag as HXL compares them: case apart, attributes in any order."""
    name, *attributes = tag.strip().lower().replace(" ", "").split("+")
    return name, frozenset(attributes)


def _text(value) -> object:
    value = plain(value)
    return "" if value is None else value
