"""Places: codes, names and spellings, read from `data/gazetteer/*.csv`.

A figure names its places by gazetteer code: OCHA P-codes for admin areas
(SY07), ISO 3166-1 alpha-3 for countries (SYR), `CCC.slug` for the cities and
regions the gazetteer defines (SYR.homs). Users extend it by adding a CSV with
the same header to the folder, or naming one in CASUALTIES_GAZETTEER.
"""

from __future__ import annotations

import csv
import difflib
import os
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import InvalidInput, UnknownPlace
from .contract import LIST_SEPARATOR

GAZETTEER_DIR = Path(__file__).resolve().parents[2] / "data" / "gazetteer"
LEVELS = ("country", "region", "admin1", "admin2", "city", "point")


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    level: str
    country: str
    admin1: str
    admin2: str
    iso_3166_2: str
    aliases: tuple[str, ...]

    @property
    def ancestors(self) -> tuple[str, ...]:
        """Codes of the areas this place lies in, itself first."""
        chain = (self.code, self.admin2, self.admin1, self.country)
        return tuple(dict.fromkeys(c for c in chain if c))


def fold(text: str) -> str:
    """Lower case without accents, apostrophes or hyphens, so Ḩimş finds Hims."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    for mark in ("'", "’", "`", "ʿ", "ʾ"):
        plain = plain.replace(mark, "")
    return " ".join(plain.replace("-", " ").split())


def gazetteer_files() -> list[Path]:
    """The CSV files the gazetteer is read from, in reading order."""
    files = sorted(GAZETTEER_DIR.glob("*.csv"))
    extra = os.environ.get("CASUALTIES_GAZETTEER")
    if extra:
        files.append(Path(extra))
    return files


class Gazetteer:
    """Every known place, found by code, ISO 3166-2 code, name or alias."""

    def __init__(self, places: list[Place]):
        self.places = {p.code: p for p in places}
        self._names: dict[str, list[Place]] = {}
        for place in places:
            keys = {place.code, place.iso_3166_2, place.name, *place.aliases}
            for key in filter(None, keys):
                bucket = self._names.setdefault(fold(key), [])
                if place not in bucket:
                    bucket.append(place)

    @classmethod
    def from_files(cls, files: list[Path]) -> Gazetteer:
        places: list[Place] = []
        for path in files:
            places.extend(_read_places(path))
        return cls(places)

    def __contains__(self, code: str) -> bool:
        return code in self.places

    def resolve(self, text: str, precision: str | None = None, broadest: bool = False) -> Place:
        """The place a code, name or alias means.

        `precision` settles Homs city against Homs governorate; `broadest`
        takes the largest of the places a name shares (for filters, which
        take in what lies inside).
        """
        matches = self.matches(text)
        if precision:
            preferred = [p for p in matches if p.level == precision]
            matches = preferred or matches
        if broadest and len(matches) > 1:
            top = min(LEVELS.index(p.level) for p in matches)
            matches = [p for p in matches if LEVELS.index(p.level) == top]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            close = difflib.get_close_matches(fold(text), list(self._names), n=3)
            raise UnknownPlace(text, [self._names[c][0].name for c in close])
        options = ", ".join(f"{p.code} ({p.name}, {p.level})" for p in matches)
        raise InvalidInput(f"place {text!r} is ambiguous: {options}; give a code or a precision")

    def matches(self, text: str) -> list[Place]:
        """Every place a code, name or alias may mean."""
        if text in self.places:
            return [self.places[text]]
        return list(self._names.get(fold(text), []))

    def within(self, code: str, area: str) -> bool:
        """Whether the place `code` is the area `area` or lies inside it."""
        place = self.places.get(code)
        return place is not None and area in place.ancestors


def _read_places(path: Path) -> list[Place]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as error:
        raise InvalidInput(f"cannot read gazetteer file {path}: {error.strerror}") from error
    places = []
    for number, row in enumerate(rows, start=2):
        if row.get("level") not in LEVELS or not row.get("code"):
            raise InvalidInput(
                f"{path}:{number}: a gazetteer row needs a code and a level "
                f"({', '.join(LEVELS)}), got {row.get('code')!r} / {row.get('level')!r}"
            )
        aliases = tuple(a.strip() for a in (row.get("aliases") or "").split(";") if a.strip())
        places.append(
            Place(
                code=row["code"].strip(),
                name=row["name"].strip(),
                level=row["level"],
                country=(row.get("country") or "").strip(),
                admin1=(row.get("admin1") or "").strip(),
                admin2=(row.get("admin2") or "").strip(),
                iso_3166_2=(row.get("iso_3166_2") or "").strip(),
                aliases=aliases,
            )
        )
    return places


@cache
def default_gazetteer() -> Gazetteer:
    """The gazetteer from the shipped files and the user's own."""
    return Gazetteer.from_files(gazetteer_files())


@cache
def places_within(inner: str, outer: str) -> bool:
    """Whether every place of `inner` lies in one of `outer` (codes ';'-separated)."""
    gazetteer = default_gazetteer()
    areas = outer.split(LIST_SEPARATOR)
    return all(any(gazetteer.within(c, a) for a in areas) for c in inner.split(LIST_SEPARATOR))


def places_overlap(first: str, second: str) -> bool:
    """Whether two place lists share any ground (one place inside the other)."""
    gazetteer = default_gazetteer()
    return any(
        gazetteer.within(a, b) or gazetteer.within(b, a)
        for a in first.split(LIST_SEPARATOR)
        for b in second.split(LIST_SEPARATOR)
    )


def place_fields(texts: list[str], precision: str | None = None) -> dict[str, str]:
    """place_codes, place_precision and place_reported for places named by a user."""
    gazetteer = default_gazetteer()
    places = [gazetteer.resolve(text, precision) for text in texts]
    if precision is None:
        levels = {p.level for p in places}
        countries = {p.country for p in places}
        coarsest = min(levels, key=LEVELS.index)
        precision = "region" if len(countries) > 1 else coarsest
    return {
        "place_codes": ";".join(dict.fromkeys(p.code for p in places)),
        "place_precision": precision,
        "place_reported": " and ".join(texts),
    }
