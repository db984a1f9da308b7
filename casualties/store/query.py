"""Reading figures back: filtered lists, one figure in full, its history."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

from ..model import contract
from ..model.gazetteer import default_gazetteer
from ..model.missing import is_missing, plain_row
from ..model.notation import value_text
from .database import FigureFilter, Store

if TYPE_CHECKING:
    from ..model.frames import pd

LIST_COLUMNS = [
    "id",
    "metric",
    "population_group",
    "value",
    "place_codes",
    "period_start",
    "period_end",
    "basis",
    "source_id",
    "reported_on",
    "status",
]


@dataclass(frozen=True)
class FigureQuery:
    """A figure filter as a user states it: places by any name the gazetteer knows.

    `stored_at` (UTC, as entered_at is written) reads the store as it stood
    then: each figure's newest version entered by that moment.
    """

    where: FigureFilter = FigureFilter()
    places: tuple[str, ...] = ()
    stored_at: str | None = None


def matching_figures(
    store: Store, query: FigureQuery, columns: list[str] | None = None, ordered: bool = True
) -> pd.DataFrame:
    """Current figures matching the query; a place matches the places inside it too."""
    names = list(columns or contract.table("figures").column_names)
    wanted = [*names, *place_column(query, names)]
    if query.stored_at:
        frame = store.figures_as_stored(query.stored_at, query.where, wanted, ordered)
    else:
        frame = store.figures(query.where, wanted, ordered)
    if not query.places:
        return frame
    inside = inside_places(query.places)
    return frame[frame["place_codes"].map(inside).astype(bool)][names]


def matching_rows(store: Store, query: FigureQuery) -> Iterator[list[tuple]]:
    """Every field of the matching figures as tuples, a batch at a time, for streaming."""
    names = contract.table("figures").column_names
    at = names.index("place_codes")
    inside = inside_places(query.places) if query.places else None
    for batch in store.figure_batches(query.where, stored_at=query.stored_at):
        yield batch if inside is None else [row for row in batch if inside(row[at])]


def listed_rows(store: Store, query: FigureQuery) -> list[list]:
    """The matching figures as `list` shows them (LIST_COLUMNS, the value as an analyst
    writes it), as plain values: listing a few figures needs no pandas."""
    names = contract.table("figures").column_names
    rows = []
    for batch in matching_rows(store, query):
        for row in batch:
            record = dict(zip(names, row, strict=True))
            record["value"] = value_text(record)
            rows.append([record[c] for c in LIST_COLUMNS])
    return rows


def latest_day(store: Store, query: FigureQuery, as_of: date | None = None) -> date | None:
    """The last day a matching active figure counts (of those reported by `as_of`)."""
    if query == FigureQuery():
        return store.latest_period_end(as_of)
    columns = ["status", "reported_on", "period_end"]
    figures = matching_figures(store, query, columns, ordered=False)
    known = figures[figures["status"] == "active"]
    if as_of is not None:
        known = known[known["reported_on"] <= as_of.isoformat()]
    return None if known.empty else date.fromisoformat(known["period_end"].max())


def place_column(query: FigureQuery, names: list[str]) -> list[str]:
    return ["place_codes"] if query.places and "place_codes" not in names else []


def inside_places(places: tuple[str, ...]) -> Callable[[str], bool]:
    """A test that a figure's place codes lie in one of `places`, remembered per value."""
    gazetteer = default_gazetteer()
    areas = [gazetteer.resolve(p, broadest=True).code for p in places]
    sep = contract.LIST_SEPARATOR

    @cache
    def inside(codes: str) -> bool:
        return any(gazetteer.within(c, a) for c in codes.split(sep) for a in areas)

    return inside


def figure_card(store: Store, figure_id: str) -> dict:
    """Everything about one figure: its fields, source, publications, quotes, links."""
    # Plain rows, no pandas: showing one figure should answer at once.
    figure, versions = store.figure_record(figure_id)
    publication_ids = figure["publication_ids"].split(contract.LIST_SEPARATOR)
    publications = store.records("publications", publication_ids)
    citations = store.records("citations", [figure_id])
    quotes = {
        publication_ids[0]: figure["quote"],
        **{c["publication_id"]: c["quote"] for c in citations},
    }
    return {
        "figure": figure,
        "value": value_text(figure),
        "places": place_descriptions(figure["place_codes"]),
        "report_lag_days": report_lag_days(figure),
        "source": store.records("sources", [figure["source_id"]])[0],
        "publications": [{**p, "quote": quotes.get(p["id"])} for p in publications],
        "subsets": [{**s, "value": value_text(s)} for s in store.subset_records(figure_id)],
        "versions": versions,
    }


def place_descriptions(place_codes: str) -> list[str]:
    """Each place code with its name, level, ISO 3166-2 code and the areas it lies in."""
    gazetteer = default_gazetteer()
    described = []
    for code in place_codes.split(contract.LIST_SEPARATOR):
        place = gazetteer.places.get(code)
        if place is None:
            described.append(f"{code} (not in the gazetteer)")
            continue
        iso = f", ISO {place.iso_3166_2}" if place.iso_3166_2 else ""
        areas = [gazetteer.places[c].name for c in place.ancestors[1:] if c in gazetteer]
        inside = f", in {', '.join(areas)}" if areas else ""
        described.append(f"{code}: {place.name} ({place.level}{iso}{inside})")
    return described


def report_lag_days(figure: dict) -> int | None:
    """Days from the end of the counted period to the report (reported_on − period_end)."""
    from datetime import date

    try:
        end = date.fromisoformat(figure["period_end"])
        reported = date.fromisoformat(figure["reported_on"])
    except (TypeError, ValueError):
        return None
    return (reported - end).days


def version_changes(versions: pd.DataFrame) -> list[dict]:
    """Each version with what it changed from the one before."""
    skip = {"version", "entered_by", "entered_at", "change_reason"}
    rows, previous = [], None
    for row in versions.to_dict("records"):
        row = plain_row(row)
        changed = []
        if previous is not None:
            for name, value in row.items():
                if name not in skip and value != previous[name]:
                    changed.append(f"{name}: {_shown(previous[name])} → {_shown(value)}")
        rows.append({**row, "changes": "; ".join(changed) if previous else "first entered"})
        previous = row
    return rows


def _shown(value) -> str:
    return "∅" if is_missing(value) else str(value)
