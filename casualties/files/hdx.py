"""HDX datasets tagged by others: each count of the wide layout becomes a figure.

An HDX file carries an HXL hashtag row but none of this tool's fields: a row
per place and date, a column per count (#affected+killed,
#affected+killed+children, #affected+idps). It says nothing of who counted,
where it was published, or whether its counts run from an anchor or cover
the day, so the analyst says those (`--source`, `--publication`, `--basis`,
`--since`) and every count cell becomes a figure with that provenance, its
quote naming the file, row and column it came from. Which hashtag means which
metric and group is `schemas/hxl.yaml`'s, as for the export.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import CasualtiesError, InvalidInput, UnknownPlace
from .hxl import hashtags, is_hashtag_row, tag_key

if TYPE_CHECKING:
    from ..model.frames import pd

# Where a row says its day and its place, the finest first.
DATE_TAGS = {
    "start": ("#date+start",),
    "end": ("#date+end", "#date", "#date+reported", "#date+occurred"),
    "reported": ("#date+reported",),
}
PLACE_CODE_TAGS = ("#adm3+code", "#adm2+code", "#adm1+code", "#adm+code", "#loc+code")
PLACE_CODE_TAGS += ("#country+code",)
PLACE_NAME_TAGS = ("#adm3+name", "#adm2+name", "#adm1+name", "#adm+name", "#loc+name")
PLACE_NAME_TAGS += ("#country+name",)
BASES = ("incident", "cumulative", "stock")
# Attributes HDX files add to a count that say nothing of whom it counts.
NEUTRAL_ATTRIBUTES = frozenset({"num", "total", "ind"})


@dataclass(frozen=True)
class Provenance:
    """What an HDX file does not say about its counts, as the analyst tells it."""

    source_id: str
    publication_id: str
    basis: str  # incident: each row's own day; cumulative: running totals
    since: str | None = None  # the anchor of cumulative counts, unless the file has #date+start

    def __post_init__(self):
        if self.basis not in BASES:
            raise InvalidInput(f"--basis must be one of {', '.join(BASES)}, not {self.basis!r}")


class NotAnHdxFile(CasualtiesError):
    pass


def hdx_figures(rows: list[list], provenance: Provenance, file_name: str) -> pd.DataFrame:
    """A figure per count cell of the tagged rows, with `_row`, the position of its row."""
    from ..model.frames import pd
    from .cells import whole_number

    at = hashtag_row(rows, file_name)
    tags = [tag_key(str(v)) if str(v or "").strip() else None for v in rows[at]]
    labels = rows[at - 1] if at > 0 else rows[at]
    counts = _count_columns(tags, rows[at], file_name)
    if not counts:
        wanted = ", ".join(hashtags()["metrics"].values())
        raise NotAnHdxFile(f"{file_name}: no column of counts ({wanted}, with group attributes)")
    where = _Columns(tags)
    if provenance.basis == "cumulative" and provenance.since is None and where.start is None:
        raise InvalidInput(
            f"{file_name}: cumulative counts run from an anchor: give --since DATE "
            "(the file has no #date+start)"
        )
    figures = []
    for position, row in enumerate(rows[at + 1 :]):
        number = at + 2 + position  # as a spreadsheet numbers the row
        common = where.row_fields(row, provenance)
        for column, (metric, group) in counts.items():
            cell = row[column] if column < len(row) else None
            if cell is None or str(cell).strip() == "":
                continue
            label = str(labels[column] or "").strip() or str(rows[at][column]).strip()
            count = whole_number(str(cell).strip())  # what is not a count stays, to report
            figures.append(
                {
                    "metric": metric,
                    "population_group": group,
                    "value_low": count,
                    "value_best": count,
                    "value_high": count,
                    "quote": f"{label}: {str(cell).strip()} ({file_name}, row {number})",
                    "source_term": label,
                    "notes": f"HDX column {str(rows[at][column]).strip()}",
                    "_row": position,
                    **common,
                }
            )
    return pd.DataFrame(figures)


def hashtag_row(rows: list[list], file_name: str) -> int:
    """Where the file's hashtag row is, from 0."""
    at = next((n for n, r in enumerate(rows[:20]) if is_hashtag_row(r)), None)
    if at is None:
        raise NotAnHdxFile(f"{file_name}: no HXL hashtag row in the first 20 rows")
    return at


def _count_columns(tags: list, row: list, file_name: str) -> dict[int, tuple[str, str]]:
    """Column position → (metric, population group) for each column of counts."""
    mapping = hashtags()
    metrics = {tag_key(tag): metric for metric, tag in mapping["metrics"].items()}
    groups = {frozenset(tag_key("#x" + attrs)[1]): g for g, attrs in mapping["groups"].items()}
    found = {}
    for position, tag in enumerate(tags):
        if tag is None:
            continue
        name, attributes = tag
        metric = next((m for (n, a), m in metrics.items() if n == name and a <= attributes), None)
        if metric is None:
            continue
        own = next(a for (n, a), m in metrics.items() if m == metric)
        group = groups.get(frozenset(attributes - own - NEUTRAL_ATTRIBUTES))
        if group is None:
            known = ", ".join(f"+{'+'.join(sorted(a))}" for a in groups if a)
            raise NotAnHdxFile(
                f"{file_name}: column {position + 1} ({str(row[position]).strip()}): no "
                f"population group in schemas/hxl.yaml has those attributes ({known})"
            )
        found[position] = (metric, group)
    return found


class _Columns:
    """Where a row's dates and place are, by their hashtags."""

    def __init__(self, tags: list):
        where = {tag: n for n, tag in enumerate(tags) if tag is not None}

        def first(candidates):
            return next((where[tag_key(t)] for t in candidates if tag_key(t) in where), None)

        self.start = first(DATE_TAGS["start"])
        self.end = first(DATE_TAGS["end"])
        self.reported = first(DATE_TAGS["reported"])
        self.codes = [where[tag_key(t)] for t in PLACE_CODE_TAGS if tag_key(t) in where]
        self.names = [where[tag_key(t)] for t in PLACE_NAME_TAGS if tag_key(t) in where]

    def row_fields(self, row: list, provenance: Provenance) -> dict:
        from .cells import iso_day

        def cell(position):
            if position is None or position >= len(row):
                return None
            value = row[position]
            return None if value is None or str(value).strip() == "" else value

        end = iso_day(cell(self.end)) if cell(self.end) is not None else None
        start = iso_day(cell(self.start)) if cell(self.start) is not None else None
        if start is None:
            # A toll of the day, or a level standing on it, runs from the day itself.
            start = end if provenance.basis in ("incident", "stock") else provenance.since
        reported = cell(self.reported)
        code, precision, name = _place([cell(p) for p in self.codes], [cell(p) for p in self.names])
        return {
            "period_start": start,
            "period_end": end,
            "date_precision": "day",
            "reported_on": iso_day(reported) if reported is not None else end,
            "place_reported": name,
            "place_codes": code,
            "place_precision": precision,
            "basis": provenance.basis,
            "source_id": provenance.source_id,
            "publication_ids": provenance.publication_id,
        }


def _place(codes: list, names: list) -> tuple[str | None, str | None, str | None]:
    """The finest place the gazetteer knows by code, else by name; and its words."""
    from ..model.gazetteer import default_gazetteer

    gazetteer = default_gazetteer()
    words = next((str(n).strip() for n in names if n is not None), None)
    for text in [*codes, *names]:
        if text is None:
            continue
        try:
            place = gazetteer.resolve(str(text).strip(), broadest=True)
        except (UnknownPlace, InvalidInput):
            continue
        return place.code, place.level, words or place.name
    # Left empty: validation names the row, with the place it could not find.
    return None, None, words or next((str(c) for c in codes if c is not None), None)
