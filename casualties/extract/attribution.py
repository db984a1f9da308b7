"""Attribution: who a sentence says told its counts, as a source the store knows.

A sentence names its teller ("according to the White Helmets", "SOHR said"),
describes one ("a war monitor said", read as the monitor of that kind named
nearby), or names one in lower case ("the regional governor said"); a teller
the store does not know is kept in words with a doubt. A count the article
gives on no one's authority is read as the outlet's own: the known source
that published it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from ..model.gazetteer import fold

SOURCE_NAME = (
    r"(?:the\s+)?(?P<name>[A-Z][\w.'’&-]*(?:\s+(?:[A-Z][\w.'’&-]*|of|for|and|the|on|in))*)"
)
ATTRIBUTIONS = (
    re.compile(rf"\baccording to {SOURCE_NAME}"),
    re.compile(rf"\b{SOURCE_NAME}(?:,[^,]{{0,200}},)?\s+(?:said|says|reported|reports|stated|"
               r"announced|told|estimated|counted|recorded|documented)\b"),
    re.compile(rf"\b(?:said|reported|according to)\s+{SOURCE_NAME}"),
)  # fmt: skip
TELLING = re.compile(
    r"\b(?:said|says|reported|reports|stated|announced|told|acknowledged|estimated|confirmed)\b"
)
CLAUSE_BREAK = re.compile(r"[,;:“”\"()]|\s[-–—]\s|\bthat\b")
PRONOUN = re.compile(r"(?:he|she|it|they|we|i|officials|sources)", re.IGNORECASE)
# Capitalised words after "said" that name a day, not a teller.
NOT_A_NAME = re.compile(
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|On|In|At|Last|Earlier|"
    r"January|February|March|April|May|June|July|August|September|October|November|December)\b"
)
# Sources named by what they are; resolved to a known source of that kind nearby.
DESCRIBED = re.compile(
    r"\b(?:an?|the)\s+(?P<what>(?:war |conflict |rights |Britain-based |UK-based )?monitor"
    r"|health ministry|ministry of health|civil defence|rescuers|medics)\b",
    re.IGNORECASE,
)
DESCRIBED_KINDS = {"monitor": "local_monitor", "ministry": "government", "civil defence": "ngo"}


@dataclass(frozen=True)
class KnownSource:
    """A source the store knows: how a text may name it."""

    id: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()

    def named_in(self, text: str) -> bool:
        return bool(self._names and self._names.search(_folded(text)))

    @cached_property
    def _names(self) -> re.Pattern | None:
        """Any of its names or its id, folded, as whole words (made once per source)."""
        names = {fold(n) for n in (self.name, self.id, *self.aliases) if len(n) > 2} - {""}
        return (
            re.compile("|".join(rf"\b{re.escape(n)}\b" for n in sorted(names))) if names else None
        )


@lru_cache(maxsize=64)
def _folded(text: str) -> str:
    # Every known source asks of the same sentence: it is folded once.
    return fold(text)


@dataclass(frozen=True)
class Teller:
    """Who a sentence's counts are attributed to."""

    source_id: str | None  # a source the store knows
    words: str | None  # the teller as the text names it
    doubt: str | None
    outlet_own: bool  # no teller named: read as the outlet's own count


def outlet_of(publisher: str, sources: list[KnownSource]) -> KnownSource | None:
    """The known source that published the article, whose own count an unattributed toll is."""
    return next((s for s in sources if publisher and s.named_in(publisher)), None)


def teller_of(
    sentence: str,
    sources: list[KnownSource],
    named_before: list[KnownSource],
    outlet: KnownSource | None,
    publisher: str,
) -> Teller:
    """The teller the sentence names or describes, else the outlet that published it."""
    source, words, doubt = _source(sentence, sources, named_before)
    if source is None and words is None and outlet is not None:
        return Teller(
            outlet.id, publisher, f"no source named: read as {outlet.name}'s own count", True
        )
    return Teller(source, words, doubt, False)


def _source(
    sentence: str, sources: list[KnownSource], named_before: list[KnownSource]
) -> tuple[str | None, str | None, str | None]:
    """(source id, the words naming it, a doubt) for the sentence's attribution."""
    named = next(
        (
            found.group("name").strip()
            for pattern in ATTRIBUTIONS
            for found in pattern.finditer(sentence)
            if not NOT_A_NAME.match(found.group("name"))
        ),
        None,
    )
    described = DESCRIBED.search(sentence)
    words = named or (None if described else _told_by(sentence))
    if words is not None:
        known = next((s for s in sources if s.named_in(words)), None)
        if known is not None:
            return known.id, words, None
        return None, words, f"source '{words}' is not in the store: add it, then set source_id"
    if described is not None:
        words = described.group(0)
        kind = next((k for w, k in DESCRIBED_KINDS.items() if w in words.lower()), None)
        earlier = next((s for s in named_before if s.kind == kind), None)
        earlier = earlier or next((s for s in sources if s.kind == kind), None)
        if earlier is not None:
            return earlier.id, words, f"'{words}' read as {earlier.name}, named nearby"
        return None, words, f"'{words}': no such source named nearby"
    here = [s for s in sources if s.named_in(sentence)]
    if len(here) == 1:
        return here[0].id, here[0].name, "source named in the sentence but not as its teller"
    return None, None, "no source named in the sentence"


def _told_by(sentence: str) -> str | None:
    """Who a sentence says told it, named in lower case: "the regional governor said",
    "according to hospital records", "first responders said Saturday"."""
    according = re.search(r"\baccording to (?P<who>[^,.;:\"“”]+)", sentence)
    if according is not None:
        return according.group("who").strip()
    for verb in TELLING.finditer(sentence):
        clause = CLAUSE_BREAK.split(sentence[: verb.start()])[-1].strip()
        clause = re.sub(r"^(?:and|but|as|while)\s+", "", clause)
        if clause and not PRONOUN.fullmatch(clause) and len(clause.split()) <= 8:
            return clause
        after = re.match(r"\s+(?P<who>(?:the|a|an)\s+[^,.;:\"“”]+)", sentence[verb.end() :])
        if after is not None:
            return after.group("who").strip()
    return None
