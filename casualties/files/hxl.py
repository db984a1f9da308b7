"""HXL: the figures with the hashtag row HDX reads, and that row read back on import.

The hashtags are declared in `schemas/hxl.yaml`, all standard HXL. A row per
figure, in three parts:

- every field of the figures table, so a file's hashtag row says which field
  each column holds whatever its text header says (the counts long: metric,
  group, count and bounds, whatever kind of figure);
- the figure's ground at each admin level from the gazetteer (#country+code,
  #adm1+code, #adm2+code and their names), to join to boundaries;
- one column per summed metric (#affected+killed) holding the count only of a
  top-level incident that counts, so an HXL user's `sum(#affected+killed)`
  adds each incident once and never a running total, a level or a subset.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import contract
from ..model.missing import is_missing, plain
from .atomic import write_whole
from .csv_text import csv_encoding, csv_text

if TYPE_CHECKING:
    import numpy as np

    from ..model.frames import pd

# The admin levels of the place columns and the gazetteer field each reads.
LEVELS = {"country": "country", "adm1": "admin1", "adm2": "admin2"}


@cache
def hashtags() -> dict:
    """The mapping of schemas/hxl.yaml: columns, places, summed metrics, metrics and groups."""
    return contract.read_yaml(contract.SCHEMAS_DIR / "hxl.yaml")


def hxl_rows(figures: pd.DataFrame) -> list[list]:
    """Header, hashtag row, then a row per figure: its fields, its ground, its summed counts."""
    tags = hashtags()
    names = contract.table("figures").column_names
    metrics = [m for m in tags["summed"] if m in set(figures["metric"])]
    header = [*names, *tags["places"], *(summed_header(m) for m in metrics)]
    tag_row = [tags["columns"][n] for n in names]
    tag_row += [*tags["places"].values(), *(tags["metrics"][m] for m in metrics)]
    records = figures[names].to_dict("records")
    grounds = [ground(codes) for codes in figures["place_codes"]]
    rows = [header, tag_row]
    for record, place, count in zip(records, grounds, summed_counts(figures), strict=True):
        wide = [count if metric == record["metric"] else "" for metric in metrics]
        rows.append([*(_text(record[n]) for n in names), *place, *wide])
    return rows


def summed_header(metric: str) -> str:
    """The text header of a summed metric's column."""
    return f"{metric} (top-level incidents)"


def summed_mask(figures: pd.DataFrame) -> np.ndarray:
    """Which figures an HXL sum may add: top-level incidents that count, in people."""
    from ..model.counting import counts_mask

    top = (figures["part_of"].isna() | (figures["part_of"] == "")).to_numpy()
    incident = (figures["basis"] == "incident").to_numpy()
    active = (figures["status"] == "active").to_numpy()
    in_people = ((figures["unit"] == "people") | figures["household_size"].notna()).to_numpy()
    return counts_mask(figures) & top & incident & active & in_people


def summed_counts(figures: pd.DataFrame) -> list:
    """Each figure's count in people for the summed column ('' where it must not be added).

    The best figure where known, else the lowest; the bounds stay in the long columns.
    """
    from ..model.counting import counting_view

    people = counting_view(figures)
    shown = people["value_best"].astype("Int64").fillna(people["value_low"].astype("Int64"))
    return [
        _text(value) if summed else ""
        for value, summed in zip(shown, summed_mask(figures), strict=True)
    ]


@cache
def ground(codes: str | None) -> tuple[str, ...]:
    """Code and name of the ground at each level (country, adm1, adm2) of ';'-separated places.

    Several places give their codes ';'-joined; a level some place does not
    reach (a country-wide figure has no adm1) is left empty.
    """
    from ..model.gazetteer import default_gazetteer

    gazetteer = default_gazetteer()
    texts = [] if is_missing(codes) else str(codes).split(contract.LIST_SEPARATOR)
    places = [gazetteer.places.get(code.strip()) for code in texts]
    cells: list[str] = []
    for field in LEVELS.values():
        found = [getattr(place, field) if place else "" for place in places]
        at_level = list(dict.fromkeys(found)) if found and all(found) else []
        named = [gazetteer.places.get(code) for code in at_level]
        cells.append(contract.LIST_SEPARATOR.join(at_level))
        cells.append(contract.LIST_SEPARATOR.join(p.name if p else "" for p in named))
    return tuple(cells)


def write_hxl(figures: pd.DataFrame, path: Path, excel: bool = False) -> None:
    """The figures as an HXL-tagged CSV, text that could run as a formula made inert
    (`excel`: with a byte-order mark, see `csv_text.csv_encoding`)."""
    text = csv_text(hxl_rows(figures))

    def write(at: str) -> None:
        with open(at, "w", encoding=csv_encoding(excel), newline="") as out:
            out.write(text)

    write_whole(Path(path), write, suffix=".csv")


def is_hashtag_row(row: list) -> bool:
    """Whether a row is HXL's: most of its filled cells are hashtags."""
    cells = [str(v).strip() for v in row if not is_missing(v) and str(v).strip()]
    return bool(cells) and sum(c.startswith("#") for c in cells) * 2 > len(cells)


def fields_of(row: list) -> list[str]:
    """The figures field each hashtag names ('' for places, summed counts and unknown tags).

    Hashtags earlier exports wrote (`read_also`) are read as well.
    """
    tags = hashtags()
    known = {tag_key(tag): name for tag, name in tags["read_also"].items()}
    known |= {tag_key(tag): name for name, tag in tags["columns"].items()}
    return [known.get(tag_key(str(v)), "") if not is_missing(v) else "" for v in row]


def tag_key(tag: str) -> tuple[str, frozenset[str]]:
    """A hashtag as HXL compares them: case apart, attributes in any order."""
    name, *attributes = tag.strip().lower().replace(" ", "").split("+")
    return name, frozenset(attributes)


def _text(value) -> object:
    value = plain(value)
    return "" if value is None else value
