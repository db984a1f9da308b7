"""Event datasets as figures: ACLED and UCDP GED exports, mapped by files in schemas/datasets/.

Each mapping file says which of the dataset's columns hold the event id, the
dates, the words of the place, the text kept as the quote, and which counts
become figures (UCDP's civilian deaths as a subset of its deaths);
`event_columns` adds what the files do not say yet (the country and admin
names an event is placed by, its precision, report day and cause). The
dataset is the figures' source and the file their publication, so its totals
sit beside the monitors' in the summary and the charts, never added to them.

A file is read as its publisher gives it: HDX's copy with its HXL hashtag
row, or the export without one. Every event is its own incident: the place is
its admin2 area, else its admin1, else its country (`event_places`), with
the coordinates kept in its notes. What is odd in an event (counts out of
order, an admin name the gazetteer lacks) is mended or left coarser, said in
the figure's notes, and warned of with its rows (`DatasetWarning`); the event
is kept.
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CasualtiesError, Problem, UnknownPlace
from ..model import contract
from ..model.gazetteer import default_gazetteer
from .event_columns import with_extra_columns
from .event_counts import event_counts, qualifier_of
from .event_places import depth_of, locate

if TYPE_CHECKING:
    from ..model.frames import pd

DATASETS_DIR = contract.SCHEMAS_DIR / "datasets"
ROWS_SHOWN = 5  # rows a warning names before "and N more"


class UnknownDataset(CasualtiesError):
    def __init__(self, name: str):
        known = ", ".join(dataset_names())
        super().__init__(f"no mapping for the dataset {name!r} in {DATASETS_DIR} ({known})")


class DatasetWarning(UserWarning):
    """Something odd in an event dataset's rows, and what the import made of it."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def dataset_names() -> list[str]:
    """The datasets a mapping file exists for."""
    return sorted(p.stem for p in DATASETS_DIR.glob("*.yaml"))


def mapping(name: str) -> dict:
    path = DATASETS_DIR / f"{name}.yaml"
    if not path.is_file():
        raise UnknownDataset(name)
    return contract.read_yaml(path)


def dataset_tables(records: list[dict], name: str, file_name: str) -> dict[str, pd.DataFrame]:
    """Sources, publications and figures from a dataset's rows (a dict per row, by column).

    The first row is the file's second (its header is the first); an HXL
    hashtag row is skipped. What is odd is warned of (`DatasetWarning`) once
    per kind and name, with its rows.
    """
    from ..model.frames import pd
    from .cells import iso_day
    from .hxl import is_hashtag_row

    spec = with_extra_columns(name, mapping(name))
    source = spec["source"]
    events = [(n, r) for n, r in enumerate(records) if not is_hashtag_row(list(r.values()))]
    ends = [iso_day(r.get(spec["end"])) for _, r in events]
    days = [d for d in ends if isinstance(d, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", d)]
    published = max(days) if days else date.today().isoformat()
    publication = {
        "id": _slug(f"{source['id']}-{Path(file_name).stem}"),
        "published_on": published,
        **spec["publication"],
    }
    odd = _Oddities(file_name)
    figures = [
        figure
        for number, record in events
        for figure in _event_figures(record, spec, publication, number, odd)
    ]
    odd.warn()
    return {
        "sources": pd.DataFrame([source]),
        "publications": pd.DataFrame([publication]),
        "figures": pd.DataFrame(figures),
    }


class _Oddities:
    """What is odd in a file's events, by column, value and reason, with the rows it is in."""

    def __init__(self, file_name: str):
        self.file_name = file_name
        self.rows: dict[tuple[str, str | None, str], list[int]] = {}

    def add(self, row: int, column: str, value: str | None, reason: str) -> None:
        self.rows.setdefault((column, value, reason), []).append(row)

    def warn(self) -> None:
        for (column, value, reason), rows in self.rows.items():
            shown = ", ".join(str(r) for r in rows[:ROWS_SHOWN])
            more = f" and {len(rows) - ROWS_SHOWN} more" if len(rows) > ROWS_SHOWN else ""
            where = f"row {shown}" if len(rows) == 1 else f"rows {shown}{more}"
            problem = Problem("", where, column, value, reason, self.file_name)
            warnings.warn(DatasetWarning(problem), stacklevel=2)


def _event_figures(
    record: dict, spec: dict, publication: dict, number: int, odd: _Oddities
) -> list[dict]:
    """The figures of one event (its counts that are given and above zero)."""
    from .cells import iso_day

    event = _text(record.get(spec["event_id"])) or f"row{number + 1}"
    row = number + 2  # as a spreadsheet numbers it: the header is row 1
    start, end = iso_day(record.get(spec["start"])), iso_day(record.get(spec["end"]))
    codes, precision, notes = _event_place(record, spec, row, odd)
    reported, when = _reported_on(record, spec, start, end)
    notes = [f"{spec['name']} event {event}", *notes, *when, *_told(record, spec)]
    common = {
        "place_reported": _place_words(record, spec),
        "place_codes": codes,
        "place_precision": precision,
        "period_start": start,
        "period_end": end,
        # Unsaid, the dates are days (the store's default: said, so a second import matches).
        "date_precision": _term(record, spec.get("date_precision")) or "day",
        "reported_on": reported,
        "source_id": spec["source"]["id"],
        "publication_ids": publication["id"],
        "quote": _text(record.get(spec["quote"])) or f"{spec['name']} event {event}",
        "source_term": " / ".join(t for c in spec["source_term"] if (t := _text(record.get(c)))),
        "cause": _cause(record, spec.get("cause")),
        "basis": "incident",
    }
    made: dict[int, str] = {}
    figures = []
    for position, counted in enumerate(spec["figures"]):
        counts, mended = event_counts(record, counted, spec["name"])
        if counts is None:
            continue  # no one counted: an event, not a casualty figure
        if mended:
            columns = "/".join(counted[p] for p in ("low", "best", "high") if p in counted)
            odd.add(row, columns, None, f"event {event}: {mended}")
        figure_id = _slug(f"{spec['source']['id']}-{event}-{counted['population_group']}")
        made[position] = figure_id
        parent = made.get(counted["part_of"]) if "part_of" in counted else None
        figures.append(
            {
                "id": figure_id,
                "metric": counted["metric"],
                "population_group": counted["population_group"],
                **{f"value_{p}": c for p, c in counts.items()},
                "qualifier": qualifier_of(counts),
                "part_of": parent,
                "_row": number,
                **common,
                "notes": "; ".join([*notes, *([mended] if mended else [])]),
            }
        )
    return figures


def _event_place(
    record: dict, spec: dict, row: int, odd: _Oddities
) -> tuple[str | None, str | None, list[str]]:
    """The event's place codes, precision and notes (where it lies, how it was found)."""
    precision = _term(record, spec.get("precision"))
    if "admin1" not in spec and "admin2" not in spec:
        code, level = _first_known(record, spec["places"])
        return code, precision or level, []
    columns = (spec.get("admin1", ""), spec.get("admin2", ""))
    admin1, admin2 = (_text(record.get(c)) for c in columns)
    countries = [_text(record.get(c)) for c in spec.get("country", [])]
    found = locate(countries, admin1, admin2, depth_of(precision), columns)
    for column, value, reason in found.warnings:
        odd.add(row, column, value, reason)
    return found.code, precision or found.level, [*_where(record, spec), *found.notes]


def _where(record: dict, spec: dict) -> list[str]:
    """The coordinates, and the precision in the dataset's words ('where_prec 1: exact …')."""
    said = spec.get("precision") or {}
    code = _text(record.get(said.get("column")))
    words = said.get("words", {}).get(code)
    at = [_text(record.get(c)) for c in spec.get("coordinates", [])]
    where = f"at {','.join(at)}" if at and all(at) else ""
    precision = f"{said['column']} {code}: {words}" if words else ""
    if where and precision:
        return [f"{where} ({precision})"]
    return [t for t in (where, precision) if t]


def _first_known(record: dict, columns: list[str]) -> tuple[str | None, str | None]:
    """The code and level of the first place column the gazetteer knows."""
    gazetteer = default_gazetteer()
    for column in columns:
        name = _text(record.get(column))
        if not name:
            continue
        try:
            place = gazetteer.resolve(name, broadest=True)
        except UnknownPlace:
            continue
        return place.code, place.level
    return None, None


def _reported_on(record: dict, spec: dict, start, end) -> tuple[str | None, list[str]]:
    """The first day the whole event had been reported, and a note if several days are given.

    An event spanning days may be reported while it goes on (UCDP's event
    273526 of 16-17 October 2018 was first reported on the 16th); its count,
    made of every day, stood only from the first report after its last day.
    """
    for column in spec.get("reported_on", []):
        given = (_day(part) for part in _text(record.get(column)).split(";"))
        days = sorted({d for d in given if d and (not isinstance(start, str) or d >= start)})
        if not days:
            continue
        whole = [d for d in days if not isinstance(end, str) or d >= end]
        if not whole:
            return end, [f"reported {', '.join(days)}, before its last day: taken as {end}"]
        if len(days) == 1:
            return days[0], []
        taken = "the first" if whole[0] == days[0] else "the first after its last day"
        return whole[0], [f"reported {', '.join(days)}: {taken} taken"]
    return None, []


def _day(text: str) -> str | None:
    """A day from ISO text (a time after it allowed) or a Unix time (ACLED's timestamp)."""
    text = text.strip()
    if re.fullmatch(r"\d{9,11}", text):
        return datetime.fromtimestamp(int(text), UTC).date().isoformat()
    iso = re.match(r"(\d{4}-\d{2}-\d{2})(?:[ T]|$)", text)
    return iso.group(1) if iso else None


def _told(record: dict, spec: dict) -> list[str]:
    """The outlets the dataset read, each once, and the original source they quoted."""
    outlets = _text(record.get(spec.get("outlets")))
    named = dict.fromkeys(o.strip() for o in outlets.split(";") if o.strip())
    told = f"sources: {', '.join(named)}" if named else ""
    original = _text(record.get(spec.get("told_by")))
    told = "; ".join(t for t in (told, original and f"original source: {original}") if t)
    return [told] if told else []


def _cause(record: dict, said: dict | None) -> str | None:
    """The kind of violence in words, and the parties ('one-sided violence: JSS/SB - Civilians')."""
    if not said:
        return None
    kind = _term(record, said)
    parties = [p for c in said.get("parties", []) if (p := _text(record.get(c)))]
    who = said.get("between", " - ").join(parties)
    return ": ".join(t for t in (kind, who) if t) or None


def _term(record: dict, said: dict | None) -> str | None:
    """A coded column's value as the contract's term ('1' → 'point'), None if not coded."""
    if not said or "terms" not in said:
        return None
    return said["terms"].get(_text(record.get(said.get("column"))))


def _place_words(record: dict, spec: dict) -> str | None:
    """The place as the dataset words it: its place columns, each wording once."""
    if "place_words" not in spec:
        return next((t for c in spec["place_reported"] if (t := _text(record.get(c)))), None)
    words = [t for c in spec["place_words"] if (t := _text(record.get(c)))]
    return ", ".join(dict.fromkeys(words)) or None


def _text(value) -> str:
    from .cells import is_blank

    if value is None or is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _slug(text: str) -> str:
    """An id the contract allows: lower case, letters, digits, . _ -; 64 at most."""
    slug = re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-._")
    return slug[:64] or "dataset"
