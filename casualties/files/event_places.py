"""An event's place from the admin names a dataset writes, as the gazetteer's codes.

Event datasets (UCDP GED, ACLED) name an event's country and its admin1 and
admin2 areas in words, each in its own spelling: "Chittagong Division",
"Cox’s Bāzār District", "Pabna Disctrict". A name is looked for among the
areas of the event's own country at its own level: as written, then without
the words that say its level (any country's: division, district, province,
governorate…), then, for a name of five letters or more, as the one area of
that level (inside the event's admin1, when known) a single letter away
("Jhenaidaha" for Jhenaidah). What is read by a letter, and what cannot be
found, is said in a note and a warning: never a silent coarsening.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache

from ..model.gazetteer import Gazetteer, Place, default_gazetteer, fold

# Words that say an area's level, in the languages event datasets write names in.
LEVEL_WORDS = frozenset(
    {
        *("division", "district", "subdistrict", "province", "provincia", "provincie"),
        *("governorate", "gouvernorat", "muhafazat", "region", "regiao", "state", "estado"),
        *("county", "department", "departement", "departamento", "municipality", "municipio"),
        *("municipal", "prefecture", "oblast", "raion", "rayon", "krai", "wilaya", "wilayah"),
        *("wilayat", "zone", "woreda", "upazila", "parish", "territory", "regency", "kabupaten"),
        *("kota", "canton", "cercle", "commune", "circle", "emirate", "dist", "prov", "dept"),
    }
)
LINKS = frozenset({"of", "de", "du", "des", "del", "da", "do", "d"})
# A word this close to a level word is that word misspelt ("Disctrict").
LEVEL_WORD_LIKENESS = 0.85
SHORTEST_READ_BY_A_LETTER = 5
DEPTH = {"point": "admin2", "city": "admin2", "admin2": "admin2", "admin1": "admin1"}


@dataclass
class Located:
    """The codes of an event's place, how it was found, and what to warn of."""

    code: str | None
    level: str | None
    notes: list[str] = field(default_factory=list)
    # (column, name as written, what is odd): one warning per name, grouped over the rows
    warnings: list[tuple[str, str, str]] = field(default_factory=list)


def locate(
    countries: list[str], admin1: str, admin2: str, depth: str, columns: tuple[str, str]
) -> Located:
    """The finest area known of an event: its admin2, else its admin1, else its country.

    `countries` are the texts that may name the country (an ISO3 code, a
    name), `depth` the finest level to look for ("admin2", "admin1" or
    "country"), `columns` the names of the admin1 and admin2 columns, for the
    warnings.
    """
    gazetteer = default_gazetteer()
    country = _country(gazetteer, countries)
    if country is None:
        named = " / ".join(c for c in countries if c) or "(none)"
        reason = "names no country the gazetteer knows: the event has no place"
        return Located(None, None, warnings=[("country", named, reason)])
    found = Located(country.code, "country")
    if depth == "country":
        return found
    first = _area(gazetteer, found, country.code, admin1, "admin1", None, columns[0])
    if first is not None:
        found.code, found.level = first.code, "admin1"
    second = None
    if depth == "admin2" and admin2:
        second = _area(gazetteer, found, country.code, admin2, "admin2", first, columns[1])
    if second is not None:
        _check_admin1(gazetteer, found, second, first, columns[1], admin2)
        found.code, found.level = second.code, "admin2"
    elif depth == "admin2" and admin2:
        found.notes.append(f"{columns[1]} '{admin2}' not found: placed in {found.code}")
    if admin1 and found.level == "country":
        found.notes.append(f"{columns[0]} '{admin1}' not found: placed in {found.code}")
    return found


def _check_admin1(
    gazetteer: Gazetteer, found: Located, area: Place, given: Place | None, column: str, name: str
) -> None:
    """Say so when an admin2 area lies outside the admin1 the event gives (boundaries move)."""
    if given is None or area.admin1 == given.code:
        return
    held = gazetteer.places.get(area.admin1)
    odd = f"{_named(area)} lies in {_named(held) if held else area.admin1}, "
    odd += f"not in {_named(given)}: kept"
    found.warnings.append((column, name, odd))
    found.notes.append(f"{column} '{name}' {odd}")


def depth_of(precision: str | None) -> str:
    """The finest admin level to look for, for a place known to this precision."""
    if precision is None:
        return "admin2"
    return DEPTH.get(precision, "country")


def _country(gazetteer: Gazetteer, texts: list[str]) -> Place | None:
    """The country the first of the texts names ("DR Congo (Zaire)": its name, then its other)."""
    for text in filter(None, texts):
        for name in (text, *_bracketed(text)):
            countries = [p for p in gazetteer.matches(name) if p.level == "country"]
            if len(countries) == 1:
                return countries[0]
    return None


def _bracketed(text: str) -> list[str]:
    """A name and its former one, as UCDP writes them: 'Myanmar (Burma)'."""
    pair = re.fullmatch(r"(.+?)\s*\((.+)\)", text.strip())
    return list(pair.groups()) if pair else []


def _area(
    gazetteer: Gazetteer,
    found: Located,
    country: str,
    name: str,
    level: str,
    within: Place | None,
    column: str,
) -> Place | None:
    """The area of the country and level a name means; notes and warnings on `found`."""
    if not name:
        return None
    for variant in _variants(name):
        places = _inside(_areas_named(gazetteer, variant, country, level), within)
        if len(places) == 1:
            return places[0]
        if len(places) > 1:
            shown = ", ".join(_named(p) for p in places)
            found.warnings.append((column, name, f"may be any of {shown}: left out"))
            return None
    close = _a_letter_away(gazetteer, _variants(name)[-1], country, level, within)
    if close is not None:
        note = f"{column} '{name}' read as {_named(close)}, a letter apart"
        found.notes.append(note)
        found.warnings.append((column, name, f"read as {_named(close)}, a letter apart"))
        return close
    where = f"{within.name} ({within.code})" if within else country
    found.warnings.append((column, name, f"is no {level} of {where} in the gazetteer"))
    return None


def _variants(name: str) -> list[str]:
    """The name as written, then without its level words ("Cox's Bazar District")."""
    words = fold(name).replace(".", ". ").split()
    while len(words) > 1 and (_is_level_word(words[-1])):
        words = words[:-1]
    while len(words) > 2 and _is_level_word(words[0]) and words[1] in LINKS:
        words = words[2:]
    if len(words) > 1 and _is_level_word(words[0]):
        words = words[1:]
    stripped = " ".join(words)
    return list(dict.fromkeys([name, stripped]))


def _is_level_word(word: str) -> bool:
    word = word.rstrip(".")
    if word in LEVEL_WORDS:
        return True
    return len(word) >= 6 and bool(
        difflib.get_close_matches(word, LEVEL_WORDS, n=1, cutoff=LEVEL_WORD_LIKENESS)
    )


def _areas_named(gazetteer: Gazetteer, name: str, country: str, level: str) -> list[Place]:
    """The country's areas of the level a name or code means (the world's, if hand-made miss)."""
    return gazetteer.named_in(name, country, (level,))


def _inside(places: list[Place], within: Place | None) -> list[Place]:
    """The places inside the admin1 area, when one is known and some are."""
    if within is None or len(places) < 2:
        return places
    return [p for p in places if p.admin1 == within.code] or places


def _a_letter_away(
    gazetteer: Gazetteer, name: str, country: str, level: str, within: Place | None
) -> Place | None:
    """The one area of the level whose name is a letter from `name` (in `within` if it is)."""
    folded = fold(name)
    if len(folded.replace(" ", "")) < SHORTEST_READ_BY_A_LETTER:
        return None
    close = [
        p for p in _areas_of(gazetteer, country, level) if _one_edit_apart(folded, fold(p.name))
    ]
    inside = [p for p in close if within is not None and p.admin1 == within.code]
    # Inside the event's admin1 first; then anywhere in the country (boundaries move).
    for places in (inside, close):
        if len(places) == 1:
            return places[0]
    return None


@cache
def _areas_of(gazetteer: Gazetteer, country: str, level: str) -> list[Place]:
    """Every area of a country at a level (read once per import)."""
    return [p for p in gazetteer.places.values() if p.country == country and p.level == level]


def _one_edit_apart(first: str, second: str) -> bool:
    """Whether one letter added, dropped, changed or two swapped turn one into the other."""
    if first == second or abs(len(first) - len(second)) > 1:
        return False
    if len(first) > len(second):
        first, second = second, first
    at = next((i for i, (a, b) in enumerate(zip(first, second, strict=False)) if a != b), None)
    if at is None:
        return True  # the longer one has one letter more at the end
    if len(first) < len(second):
        return first[at:] == second[at + 1 :]
    swapped = first[at + 1 : at + 2] + first[at : at + 1] + first[at + 2 :]
    return first[at + 1 :] == second[at + 1 :] or swapped == second[at:]


def _named(place: Place) -> str:
    return f"{place.name} ({place.code})"
