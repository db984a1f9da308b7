"""Numbers as news text writes them: digits, words, vague words, bounds and ranges.

"at least 25", "111", "1,200", "Ten", "two dozen", "a further 715", "between
40 and 50", "hundreds", "tens of thousands": each is found with its place in
the text, the words used, and the values and qualifier the store keeps
(`value_low`, `value_best`, `value_high`, `qualifier`). Vague words take their
ranges from `schemas/vague_numbers.yaml`, the vocabulary the store reads
`value_words` with. Whether a number counts people is not decided here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..model import contract

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
# Words before a number that bound it, longest first where they overlap.
QUALIFIERS = {
    "at least": "at_least",
    "no fewer than": "at_least",
    "a minimum of": "at_least",
    "more than": "more_than",
    "over": "more_than",
    "upwards of": "more_than",
    "in excess of": "more_than",
    "at most": "at_most",
    "up to": "at_most",
    "as many as": "at_most",
    "fewer than": "fewer_than",
    "less than": "fewer_than",
    "under": "fewer_than",
    "nearly": "about",
    "almost": "about",
    "about": "about",
    "around": "about",
    "some": "about",
    "roughly": "about",
    "approximately": "about",
    "an estimated": "about",
    "close to": "about",
}
WORD_NUMBER = (
    r"(?:(?:" + "|".join(sorted([*UNITS, *TENS], key=len, reverse=True)) + r")"
    r"(?:[- ](?:" + "|".join(UNITS) + r"))?"
    r"(?:\s+(?:hundred|thousand|million)(?:\s+(?:and\s+)?(?:"
    + "|".join(sorted([*UNITS, *TENS], key=len, reverse=True))
    + r")(?:[- ](?:"
    + "|".join(UNITS)
    + r"))?)?)*)"
)
DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s+(?:million|thousand))?"
SINGLE = (
    rf"(?:(?:a|one|two|three|four)\s+dozen|(?:half\s+a|a)\s+(?:million|thousand|hundred)"
    rf"|{DIGITS}|{WORD_NUMBER})"
)


@dataclass(frozen=True)
class Mention:
    """A number in the text: where it is, the words used, and what they bound."""

    start: int
    end: int
    words: str
    low: int | None
    best: int | None
    high: int | None
    qualifier: str
    vague: bool = False


@cache
def _vague_words() -> dict[str, tuple[int, int]]:
    """Every spelling of a vague number and its range, longest first."""
    table = contract.read_yaml(contract.SCHEMAS_DIR / "vague_numbers.yaml")["words"]
    ranges = {}
    for word, entry in table.items():
        for spelling in [word, *entry.get("also", [])]:
            ranges[spelling.lower()] = (entry["low"], entry["high"])
    return dict(sorted(ranges.items(), key=lambda kv: -len(kv[0])))


@cache
def _pattern() -> re.Pattern:
    qualifiers = "|".join(re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True))
    vague = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in _vague_words())
    return re.compile(
        rf"\b(?:(?P<qualifier>{qualifiers})\s+)?(?:a\s+further\s+|another\s+)?"
        rf"(?:between\s+(?P<from>{SINGLE})\s+and\s+(?P<to>{SINGLE})"
        rf"|(?P<low>{DIGITS})\s*(?:-|–|to)\s*(?P<high>{DIGITS})(?![\d,])"
        rf"|(?P<vague>{vague})"
        rf"|(?P<single>{SINGLE}))\b",
        re.IGNORECASE,
    )


def mentions(text: str) -> list[Mention]:
    """Every number in the text, in order, with its bounds."""
    found = []
    for match in _pattern().finditer(text):
        mention = _mention(match)
        if mention is not None:
            found.append(mention)
    return found


def _mention(match: re.Match) -> Mention | None:
    qualifier_words = (match.group("qualifier") or "").lower()
    qualifier = QUALIFIERS.get(" ".join(qualifier_words.split()))
    start, end, words = match.start(), match.end(), match.group(0)
    if match.group("from") or match.group("low"):
        low = number_value(match.group("from") or match.group("low"))
        high = number_value(match.group("to") or match.group("high"))
        if low is None or high is None or low >= high:
            return None
        return Mention(start, end, words, low, None, high, "between")
    if match.group("vague"):
        spelled = " ".join(match.group("vague").lower().split())
        low, high = _vague_words()[spelled]
        return Mention(start, end, words, low, None, high, "vague", vague=True)
    value = number_value(match.group("single"))
    if value is None:
        return None
    if qualifier in ("at_least", "more_than"):
        return Mention(start, end, words, value, None, None, qualifier)
    if qualifier in ("at_most", "fewer_than"):
        return Mention(start, end, words, None, None, value, qualifier)
    if qualifier == "about":
        return Mention(start, end, words, None, value, None, "about")
    return Mention(start, end, words, value, value, value, "exact")


def number_value(words: str) -> int | None:
    """The whole number that digits or words say ("1,200", "Ten", "two dozen", "1.5 million")."""
    text = " ".join(words.lower().replace("-", " ").split())
    scaled = re.fullmatch(r"([\d.,]+)\s+(million|thousand)", text)
    if scaled:
        amount = float(scaled.group(1).replace(",", ""))
        return round(amount * SCALES[scaled.group(2)])
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", text):
        return int(text.replace(",", ""))
    if re.fullmatch(r"[\d.]+", text):
        return None  # a decimal is not a count of people
    round_number = re.fullmatch(r"(half a|a) (million|thousand|hundred)", text)
    if round_number:
        return SCALES[round_number.group(2)] // (2 if round_number.group(1) == "half a" else 1)
    dozen = re.fullmatch(r"(a|one|two|three|four)\s+dozen", text)
    if dozen:
        return {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4}[dozen.group(1)] * 12
    return _spelled(text.replace(" and ", " ").split())


def _spelled(tokens: list[str]) -> int | None:
    total, current = 0, 0
    for token in tokens:
        if token in UNITS:
            current += UNITS[token]
        elif token in TENS:
            current += TENS[token]
        elif token == "hundred":
            current = max(current, 1) * 100
        elif token in ("thousand", "million"):
            total += max(current, 1) * SCALES[token]
            current = 0
        else:
            return None
    return total + current
