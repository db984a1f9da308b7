"""Event datasets as figures: ACLED and UCDP GED exports, mapped by files in schemas/datasets/.

Each mapping file says which of the dataset's columns hold the event id, the
dates, the places (the first the gazetteer knows is used), the words of the
place, the text kept as the quote, and which counts become figures (UCDP's
civilian deaths as a subset of its deaths). Another dataset is added by
writing one more file, not code. The dataset is the figures' source and the
file their publication, so its totals sit beside the monitors' in the summary
and the charts, never added to them.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CasualtiesError, UnknownPlace
from ..model import contract
from ..model.gazetteer import default_gazetteer

if TYPE_CHECKING:
    from ..model.frames import pd

DATASETS_DIR = contract.SCHEMAS_DIR / "datasets"


class UnknownDataset(CasualtiesError):
    def __init__(self, name: str):
        known = ", ".join(dataset_names())
        super().__init__(f"no mapping for the dataset {name!r} in {DATASETS_DIR} ({known})")


def dataset_names() -> list[str]:
    """The datasets a mapping file exists for."""
    return sorted(p.stem for p in DATASETS_DIR.glob("*.yaml"))


def mapping(name: str) -> dict:
    path = DATASETS_DIR / f"{name}.yaml"
    if not path.is_file():
        raise UnknownDataset(name)
    return contract.read_yaml(path)


def dataset_tables(records: list[dict], name: str, file_name: str) -> dict[str, pd.DataFrame]:
    """Sources, publications and figures from a dataset's rows (a dict per row, by column)."""
    from ..model.frames import pd
    from .cells import iso_day

    spec = mapping(name)
    source = spec["source"]
    ends = [iso_day(r.get(spec["end"])) for r in records]
    days = [d for d in ends if isinstance(d, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", d)]
    published = max(days) if days else date.today().isoformat()
    publication = {
        "id": _slug(f"{source['id']}-{Path(file_name).stem}"),
        "published_on": published,
        **spec["publication"],
    }
    figures = [
        figure
        for number, record in enumerate(records)
        for figure in _event_figures(record, spec, publication, number)
    ]
    return {
        "sources": pd.DataFrame([source]),
        "publications": pd.DataFrame([publication]),
        "figures": pd.DataFrame(figures),
    }


def _event_figures(record: dict, spec: dict, publication: dict, number: int) -> list[dict]:
    """The figures of one event (its counts that are given and above zero)."""
    from .cells import is_blank, iso_day, whole_number

    event = _text(record.get(spec["event_id"])) or f"row{number + 1}"
    codes, precision = _place(record, spec["places"])
    common = {
        "place_reported": _first(record, spec["place_reported"]),
        "place_codes": codes,
        "place_precision": precision,
        "period_start": iso_day(record.get(spec["start"])),
        "period_end": iso_day(record.get(spec["end"])),
        "reported_on": publication["published_on"],
        "source_id": spec["source"]["id"],
        "publication_ids": publication["id"],
        "quote": _text(record.get(spec["quote"])) or f"{spec['name']} event {event}",
        "source_term": " / ".join(t for c in spec["source_term"] if (t := _text(record.get(c)))),
        "notes": f"{spec['name']} event {event}",
        "basis": "incident",
    }
    made: dict[int, str] = {}
    figures = []
    for position, counted in enumerate(spec["figures"]):
        values = {p: record.get(counted[p]) for p in ("low", "best", "high")}
        if is_blank(values["best"]) and is_blank(values["low"]):
            continue
        counts = {p: None if is_blank(v) else whole_number(v) for p, v in values.items()}
        if all(c == 0 for c in counts.values() if c is not None):
            continue  # no one counted: an event, not a casualty figure (text is kept, to report)
        low, best, high = counts["low"], counts["best"], counts["high"]
        exact = low is not None and low == best == high
        # The dataset's estimates: one count, or its low-to-high range.
        qualifier = "exact" if exact else ("between" if low is not None and high else None)
        figure_id = _slug(f"{spec['source']['id']}-{event}-{counted['population_group']}")
        made[position] = figure_id
        parent = made.get(counted["part_of"]) if "part_of" in counted else None
        figures.append(
            {
                "id": figure_id,
                "metric": counted["metric"],
                "population_group": counted["population_group"],
                **{f"value_{p}": c for p, c in counts.items()},
                "qualifier": qualifier,
                "part_of": parent,
                "_row": number,
                **common,
            }
        )
    return figures


def _place(record: dict, columns: list[str]) -> tuple[str | None, str | None]:
    """The code and precision of the first place column the gazetteer knows."""
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


def _first(record: dict, columns: list[str]) -> str | None:
    return next((t for c in columns if (t := _text(record.get(c)))), None)


def _text(value) -> str:
    from .cells import is_blank

    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _slug(text: str) -> str:
    """An id the contract allows: lower case, letters, digits, . _ -; 64 at most."""
    slug = re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-._")
    return slug[:64] or "dataset"
