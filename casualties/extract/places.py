"""Places: where a sentence says its counts happened, as places the gazetteer knows.

The capitalised runs of a sentence are looked up, the longest known name in
each; a name several places share is read as the city where the text says
city, else as the broadest. The wire's dateline is set aside first: it says
where the reporter filed from, not where it happened. The places together
are as precise as the broadest of them, or a region when they span countries.
"""

from __future__ import annotations

import re

from ..model.gazetteer import LEVELS, Gazetteer

# "BEIRUT, Lebanon (AFP) —", "Dec. 6 (UPI) --": the wire's dateline.
DATELINE = re.compile(r"^[^—\n]{0,60}\((?:AFP|AP|UPI|Reuters|dpa|AA|ANI|IANS)\)\s*(?:—|--|-)\s*")


def places_in(sentence: str, gazetteer: Gazetteer) -> tuple[list, str | None]:
    """The places the gazetteer knows among the sentence's capitalised words, and their words."""
    sentence = DATELINE.sub("", sentence)  # where the reporter filed from, not where it happened
    found, words = [], []
    tokens = list(re.finditer(r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3}", sentence))
    for token in tokens:
        phrase = token.group(0).split()
        # The longest known name inside the capitalised run.
        for size in range(len(phrase), 0, -1):
            hit = None
            for first in range(0, len(phrase) - size + 1):
                candidate = " ".join(phrase[first : first + size])
                if len(candidate) < 4 or candidate.isupper():
                    continue
                matches = gazetteer.matches(candidate)
                if matches:
                    hit = (candidate, _likeliest(matches, sentence, token.start()))
                    break
            if hit:
                if hit[1] not in found:
                    found.append(hit[1])
                    words.append(hit[0])
                break
    return found, " and ".join(words) or None


def _likeliest(matches: list, sentence: str, at: int):
    """Of the places a name may mean, the city where the text says city, else the broadest."""
    cities = [p for p in matches if p.level == "city"]
    said_city = re.search(r"\b(?:city|town)\b(?: of)?[^.,;]{0,25}$", sentence[:at], re.I)
    if cities and (said_city or re.match(r"\S+\s+(?:city|town)\b", sentence[at:], re.I)):
        return cities[0]
    return min(matches, key=lambda p: LEVELS.index(p.level))


def precision_of(places: list) -> str | None:
    """How precise the places are together: the broadest level, a region across countries."""
    if not places:
        return None
    if len({p.country for p in places}) > 1:
        return "region"
    return min((p.level for p in places), key=LEVELS.index)
