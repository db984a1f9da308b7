"""Places: codes, names and spellings, read from `data/gazetteer/*.csv`.

A figure names its places by gazetteer code: OCHA P-codes for admin areas
(SY07), ISO 3166-1 alpha-3 for countries (SYR), `CCC.slug` for the cities and
regions the gazetteer defines (SYR.homs). Users extend it by adding a CSV with
the same header to the folder, or naming one in CASUALTIES_GAZETTEER.
"""

from __future__ import annotations

import csv
import os
import unicodedata
import zlib
from collections.abc import Callable, Iterator, Mapping
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
    plain = text.strip().lower()
    if not plain.isascii():  # ASCII has no accents to take off: OCHA's 33,000 names
        decomposed = unicodedata.normalize("NFKD", plain)
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    for mark in ("'", "’", "`", "ʿ", "ʾ"):
        plain = plain.replace(mark, "")
    return " ".join(plain.replace("-", " ").split())


# OCHA's admin1 and admin2 P-codes of every country it publishes (build_world_pcodes.py).
WORLD_FILE = "world_pcodes.csv"
# Every key of the world file (folded code, name, alias), under the digest of the file
# they were read from: a look-up that misses them all need not read 33,000 places.
WORLD_KEYS_FILE = "world_pcodes_keys.txt"


def gazetteer_files() -> list[Path]:
    """The hand-made CSV files the gazetteer is read from, in reading order."""
    files = sorted(p for p in GAZETTEER_DIR.glob("*.csv") if p.name != WORLD_FILE)
    extra = os.environ.get("CASUALTIES_GAZETTEER")
    if extra:
        files.append(Path(extra))
    return files


class _Index:
    """Places by code and by folded name or alias."""

    def __init__(self, places: list[Place]):
        self.codes = {p.code: p for p in places}
        self.names: dict[str, list[Place]] = {}
        for place in places:
            for key in _keys_of(place):
                bucket = self.names.setdefault(fold(key), [])
                if place not in bucket:
                    bucket.append(place)


def _keys_of(place: Place) -> set[str]:
    """What a place is found by, before folding: code, ISO 3166-2 code, name, aliases."""
    return set(filter(None, {place.code, place.iso_3166_2, place.name, *place.aliases}))


class _Layered(Mapping):
    """Places by code: the hand-made ones, then the world's P-codes, read on first need."""

    def __init__(self, gazetteer: Gazetteer):
        self._gazetteer = gazetteer

    def __getitem__(self, code: str) -> Place:
        found = self._gazetteer.curated.codes.get(code)
        if found is None:
            if not self._gazetteer.may_be_in_world(fold(code)):
                raise KeyError(code)
            return self._gazetteer.world.codes[code]
        return found

    def __iter__(self):
        return iter({**self._gazetteer.world.codes, **self._gazetteer.curated.codes})

    def __len__(self) -> int:
        return len({**self._gazetteer.world.codes, **self._gazetteer.curated.codes})


class Gazetteer:
    """Every known place, found by code, ISO 3166-2 code, name or alias.

    Two layers: the hand-made files (Syria's governorates and districts with
    their spellings, countries, regions), and OCHA's P-codes of every country,
    read only when a code or name is not among the first (reading 33,000
    places takes longer than most commands). A name the hand-made files know
    means their place: their spellings stay on top.
    """

    def __init__(
        self,
        places: list[Place],
        world: Callable[[], list[Place]] = list,
        world_keys: Callable[[], str | None] = lambda: None,
    ):
        self.curated = _Index(places)
        self._world_places = world
        self._world: _Index | None = None
        self._world_keys = cache(world_keys)
        self.places: Mapping[str, Place] = _Layered(self)

    @property
    def world_read(self) -> bool:
        """Whether the world's P-codes have been read (a command on Syria never needs them)."""
        return self._world is not None

    @property
    def world(self) -> _Index:
        if self._world is None:
            known = self.curated.codes
            self._world = _Index([p for p in self._world_places() if p.code not in known])
        return self._world

    def may_be_in_world(self, folded: str) -> bool:
        """Whether the world's places may hold this folded key: False only when the
        world's keys file, made from the very world file, does not list it."""
        if self._world is not None:
            return True
        keys = self._world_keys()
        # One search of the keys' text, a line each: building a set of 64,000 keys
        # costs more than the ten look-ups an article asks for.
        return keys is None or f"\n{folded}\n" in keys

    @classmethod
    def from_files(cls, files: list[Path], world: Path | None = None) -> Gazetteer:
        places: list[Place] = []
        for path in files:
            places.extend(_read_places(path))
        if world is None:
            return cls(places)
        return cls(places, lambda: _read_places(world), lambda: _world_keys(world))

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
            raise UnknownPlace(text, lambda: self.close_names(text))
        raise InvalidInput(
            f"place {text!r} is ambiguous: {_options(matches)}; give a code or a precision"
        )

    def matches(self, text: str) -> list[Place]:
        """Every place a code, name or alias may mean (the hand-made places', if any)."""
        folded = fold(text)
        for layer in self._layers(folded):
            if text in layer.codes:
                return [layer.codes[text]]
            if folded in layer.names:
                return list(layer.names[folded])
        return []

    def named_in(self, name: str, country: str, levels: tuple[str, ...]) -> list[Place]:
        """The places of `country` at these levels a name or code means: the hand-made
        ones if any, else OCHA's (read only then).

        A hand-made name of another level must not hide OCHA's area: Gaza the
        Strip (a region) beside Gaza the governorate (PS0260, admin2).
        """
        if not name:
            return []
        folded = fold(name)
        for layer in self._layers(folded):
            named = [layer.codes[name]] if name in layer.codes else layer.names.get(folded, [])
            found = [p for p in named if p.country == country and p.level in levels]
            if found:
                return found
        return []

    def _layers(self, folded: str) -> Iterator[_Index]:
        """The hand-made places, then (only if asked for, and it may be there) the world's."""
        yield self.curated
        if self.may_be_in_world(folded):
            yield self.world

    def close_names(self, text: str, limit: int = 3) -> list[str]:
        """The names most like `text` (for a user who mistyped one)."""
        import difflib

        # A tenth of a second over 65,000 names: asked only when a message is shown.
        names = {**self.world.names, **self.curated.names}
        found = difflib.get_close_matches(fold(text), list(names), n=limit)
        return list(dict.fromkeys(names[key][0].name for key in found))

    def within(self, code: str, area: str) -> bool:
        """Whether the place `code` is the area `area` or lies inside it.

        A region that names an admin1 area (the Gaza Strip, PS02) is that
        area's ground: what lies in one lies in the other.
        """
        place = self.places.get(code)
        if place is None:
            return False
        if area in place.ancestors:
            return True
        around = self.places.get(area)
        return around is not None and around.level == "region" and around.admin1 in place.ancestors


def _options(places: list[Place], shown: int = 8) -> str:
    """The places a name may mean, with their country: "North" names dozens."""
    listed = ", ".join(f"{p.code} ({p.name}, {p.level}, {p.country})" for p in places[:shown])
    more = len(places) - shown
    return listed + (f" and {more} more" if more > 0 else "")


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


def world_keys_text(world: Path) -> str:
    """The keys file of a world file: the file's digest, then every folded key, sorted."""
    keys = sorted({fold(key) for place in _read_places(world) for key in _keys_of(place)})
    return _digest(world) + "\n" + "\n".join(keys) + "\n"


def _world_keys(world: Path) -> str | None:
    """The world file's keys from the file beside it, each on a line of its own (the
    text starts with a newline); None unless they were made from this very file (an
    edited world file is read whole, as before there was a keys file)."""
    try:
        text = (world.parent / WORLD_KEYS_FILE).read_text(encoding="utf-8")
        digest = _digest(world)
    except OSError:
        return None
    first, newline, keys = text.partition("\n")
    return newline + keys if first == digest else None


def _digest(path: Path) -> str:
    """The file's size and CRC-32: enough to tell an edited world file (hashlib alone
    takes longer to import than the whole look-up)."""
    data = path.read_bytes()
    return f"crc32:{zlib.crc32(data):08x}:{len(data)}"


@cache
def default_gazetteer() -> Gazetteer:
    """The gazetteer from the shipped files and the user's own."""
    return Gazetteer.from_files(gazetteer_files(), GAZETTEER_DIR / WORLD_FILE)


@cache
def _code_lengths() -> dict[str, list[tuple[str, int, int]]]:
    """Per P-code prefix: (country, prefix length, admin1 length, admin2 lengths), from
    OCHA's lengths and the codes its countries use (Chad's prefix is TCD, Haiti's HT)."""
    with (GAZETTEER_DIR / "lengths" / "pcode_lengths.csv").open(encoding="utf-8") as handle:
        lengths = {row["country"]: row for row in csv.DictReader(handle)}
    prefixes: dict[str, list] = {}
    # The gazetteer's own places, already read: hand-made and OCHA's alike.
    for place in default_gazetteer().places.values():
        given = lengths.get(place.country)
        if place.level != "admin1" or given is None:
            continue
        prefix = place.code[: int(given["country_length"] or 0)]
        entry = (place.country, len(prefix), given["admin1_length"], given["admin2_length"])
        if entry not in prefixes.setdefault(prefix, []):
            prefixes[prefix].append(entry)
    return prefixes


def pcode_level(code: str) -> tuple[str, str] | None:
    """The country and admin level a P-code has by its length (OCHA's lengths), known or not.

    AF0199 is an admin2 code of Afghanistan (2 + 2 + 2 characters) even where no
    such district is listed; None for a code of no country's shape.
    """
    for size in (3, 2, 0):
        for country, prefix, admin1, admin2 in _code_lengths().get(code[:size], []):
            if not code[prefix:].isalnum() or not admin1.isdigit():
                continue
            first = prefix + int(admin1)
            if len(code) == first:
                return country, "admin1"
            seconds = [int(n) for n in admin2.split("|") if n.isdigit()]
            if any(len(code) == first + n for n in seconds):
                return country, "admin2"
    return None


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
