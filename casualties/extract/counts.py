"""Which numbers in a sentence count people, and what each counts: metric, group and noun.

Of a sentence's numbers (`mentions`), one is kept when a people word follows
it ("25 civilians", "715 fatalities among combatants") or the sentence says
what it counts ("the number of civilians killed ... stood at 111"); distances,
years, ages, dates and counts of things are passed over. Each kept number
gets a metric from the sentence's verbs ("killed", "wounded", "fled") and a
group from its noun, or the group of the total just named ("and five
wounded"); a person written with an article ("a 38-year-old woman was
killed") counts one.
"""

from __future__ import annotations

import re

from .mentions import Mention, mentions
from .sentences import MONTH_NAMES

METRIC_WORDS = {
    "killed": r"killed|kill|killing|died|dead|deaths?|death toll|fatalities|lost their lives|"
    r"slain|massacred|murdered|bodies|executed|shot dead",
    "injured": r"injured|wounded|hurt|injuries|wounding|injuring",
    "missing": r"missing|disappeared|unaccounted for",
    "detained": r"detained|arrested|abducted|kidnapped|detainees|taken prisoner|imprisoned",
    "refugees": r"refugees|crossed (?:the border )?into|fled (?:abroad|across the border)",
    "displaced": r"displaced|fled|fleeing|flee|flight|streaming out|exodus|uprooted|forced|forcing|"
    r"forced from their homes|left their homes|driven from their homes",
    "returned": r"returned|returnees|went back home",
    "evacuated": r"evacuated|evacuation",
}
GROUP_WORDS = {
    "children": r"children|child|kids|minors|boys?|girls?|infants?|babies|baby",
    "women": r"women|woman|mothers",
    "men": r"men\b|man\b",
    "combatants": r"combatants|fighters?|soldiers?|troops|militants|rebels|militiamen|peacekeepers|"
    r"servicemen|gunmen|members of the (?:security|armed) forces",
    "civilians": r"civilians|civilian|villagers|residents|inhabitants",
    "aid_workers": r"aid workers?|humanitarian workers|relief workers",
    "journalists": r"journalists?|reporters|media workers",
    "health_workers": r"health workers|medics?|doctors?|nurses?|paramedics?|medical staff",
    "people": r"people|persons|person|individuals|"
    r"Palestinians|Syrians|Sudanese|Ukrainians|Israelis|Yemenis|Haitians|Congolese|"
    r"migrants|worshippers|students|passengers|families|households|members",
}
# A count word that says the metric and leaves the group to the words after it.
COUNT_NOUNS = {
    "fatalities": "killed",
    "deaths": "killed",
    "dead": "killed",
    "bodies": "killed",
    "casualties": None,
    "victims": None,
    "injuries": "injured",
    "wounded": "injured",
    "detainees": "detained",
    "refugees": "refugees",
    "returnees": "returned",
}
# What follows a number that is not a count of people.
THINGS = re.compile(
    r"\s*(?:-|\s)?(?:miles?|kilometers?|kilometres?|km|metres?|meters?|feet|years?|months?|"
    r"weeks?|days?|hours?|minutes?|percent|per cent|%|vehicles?|tanks?|rockets?|missiles?|"
    r"drones?|shells?|buildings?|homes?|houses?|trucks?|lorries|aircraft|planes?|jets?|"
    r"airstrikes?|strikes?|attacks?|raids?|times|million dollars|dollars|\$|euros?|tons?|"
    r"tonnes?|villages?|towns?|cities|provinces?|sites?|schools?|hospitals?|mosques?|"
    r"churches?|bridges?|cars?|boats?|ships?|times)\b",
    re.IGNORECASE,
)
# The noun a number counts, past "of" and an adjective or two.
NOUN_AFTER = re.compile(
    r"\s+(?:of\s+)?(?:(?:more|other|further|additional|[a-z]+-[a-z]+|[a-z]+ian)\s+)?"
    r"(?P<noun>[A-Za-z]+(?:\s+[a-z]+)?)"
)
# People who may yet be hit ("could be forced to flee") or who acted ("militiamen attacked").
NOT_A_TOLL = re.compile(
    r"\s+(?:[\w-]+\s+){0,3}?(?:could|may|might|would|will|risk|are expected to|are likely to|"
    r"attacked|stormed|launched|raided|arrived|gathered|protested|marched|took part|joined)\b",
    re.IGNORECASE,
)
AUXILIARY = (
    r"\s+(?:(?:were|was|are|is|have|has|had|been|being|also|reportedly|brutally|to)\s+){0,3}"
)
# A count of the same thing as the count before it ("bringing the tally to ...").
LIKE_BEFORE = "like the count before"
# One person written with an article: "a 38-year-old woman was killed", "including a child".
ONE_PERSON = re.compile(
    r"\b(?:an?)\s+(?:(?:\d+|[a-z]+)-(?:year|month)-old\s+)?"
    r"(?P<noun>woman|man|child|boy|girl|baby|infant|person|civilian|soldier|fighter|"
    r"journalist|doctor|nurse|medic|paramedic|aid worker)\b",
    re.IGNORECASE,
)
# Groups counted as part of a total named beside them, never as a total.
SUBSET_GROUPS = ("children", "women", "men")
# A number kept, with what it counts: (group, metric, the noun that says so).
Count = tuple[Mention, tuple[str, str | None, str | None]]


def counts_in(sentence: str) -> list[Count]:
    """The sentence's counts of people, in the order the sentence gives them."""
    counted: list = []
    for mention in mentions(sentence):
        what = _counted(sentence, mention)
        if what is None:
            continue
        group, metric, noun = what
        if group is None:  # "and five wounded", "four others": the group of the total just named
            totals = [g for _, (g, _, _) in counted if g not in SUBSET_GROUPS]
            group = totals[-1] if totals else "people"
        if metric == LIKE_BEFORE:  # a new total of what was just counted
            metric = counted[-1][1][1] if counted else _nearest_metric(sentence, mention)
        counted.append((mention, (group, metric, noun)))
    return sorted(counted + _one_person(sentence, counted), key=lambda c: c[0].start)


def _one_person(sentence: str, counted: list) -> list:
    """Counts of one: a person named with an article, hit by the clause's own verb or
    listed among a total's subsets."""
    taken = [(m.start, m.end) for m, _ in counted]
    found = []
    for match in ONE_PERSON.finditer(sentence):
        if any(a < match.end() and match.start() < b for a, b in taken):
            continue
        mention = Mention(match.start(), match.end(), match.group(0), 1, 1, 1, "exact")
        metric = _own_verb(sentence, mention)
        listed = re.search(
            r"\b(?:including|among them)\s+(?:[\w-]+\s+){0,8}$", sentence[: match.start()]
        )
        if metric is None and not listed:
            continue
        group = _group(match.group("noun"))
        found.append((mention, (group or "people", metric, match.group("noun"))))
    return found


def _counted(sentence: str, mention: Mention) -> tuple[str, str | None, str | None] | None:
    """(group, metric, the noun) when the number counts people, else None."""
    after = sentence[mention.end :]
    before = sentence[: mention.start]
    if _not_a_count(sentence, mention, before, after):
        return None
    metric = _metric_near(sentence, mention)
    noun = NOUN_AFTER.match(after)
    head = noun.group("noun") if noun else ""
    first = head.split()[0].lower() if head else ""
    if first in COUNT_NOUNS:
        own = _own_verb(sentence, mention)
        metric = own or COUNT_NOUNS[first] or metric
        among = re.match(
            r"\s+\w+\s+(?:among|of)\s+(?:the\s+)?(?P<g>[\w ]+?)\b"
            r"(?:[,.;]|\s+(?:in|on|at|and)\b|$)",
            after,
        )
        group = _group(among.group("g")) if among else None
        if group is None and first in ("refugees", "returnees"):
            group = "people"
        return group, metric, first
    of_whom = re.match(r"\s+of (?:whom|them)\s+(?:are|were|being)\s+(?P<g>\w+)", after)
    if of_whom and _group(of_whom.group("g")):  # "112,000 people, 12,000 of whom are civilians"
        return _group(of_whom.group("g")), LIKE_BEFORE, of_whom.group("g")
    if first in ("others", "more"):
        return None, metric, first  # the group of the figure named before it
    group = _group(head)
    if group is not None:
        return group, metric, head.split()[0]
    # "the number of civilians killed ... now stood at 111": the sentence names what counts.
    number_of = re.search(r"\b(?:number|toll) of (?P<g>\w+)", before) or re.match(
        r"\s+the (?:number|toll) of (?P<g>\w+)", after
    )
    if number_of and _group(number_of.group("g")) and metric:
        return _group(number_of.group("g")), metric, number_of.group("g")
    if number_of and COUNT_NOUNS.get(number_of.group("g").lower()):  # "the number of dead"
        return "people", COUNT_NOUNS[number_of.group("g").lower()], number_of.group("g")
    if re.search(r"\b(?:toll|tally|total)\s+(?:\w+\s+){0,2}(?:to|at)\s+$", before):
        return None, LIKE_BEFORE, None  # "bringing the tally to more than half a million"
    # "five wounded", "Thousands have died": the count and its verb, its group said before.
    if re.match(AUXILIARY + r"(?:" + _all_metrics() + r")\b", after, re.IGNORECASE):
        return None, metric, None
    # "killing 10 villagers and injuring five", "wounded 45".
    if re.search(r"\b(?:" + _all_metrics() + r")\s*$", before, re.IGNORECASE):
        return None, metric, None
    return None


def _not_a_count(sentence: str, mention: Mention, before: str, after: str) -> bool:
    words = mention.words.strip()
    if THINGS.match(after) or NOT_A_TOLL.match(after):
        return True
    if re.search(r"\bby\s+$", before):
        return True  # "an ambush by several hundred militiamen": who did it, not who was hit
    if re.fullmatch(r"(?:1[89]|20)\d\d", words) and not re.match(r"\s+(?:people|civilians)", after):
        return True  # a year
    if re.search(rf"\b(?:{MONTH_NAMES})[a-z]*\.?\s*$", before) or re.match(
        rf"\s*(?:{MONTH_NAMES})", after
    ):
        return True  # a date: Dec. 6, 6 December
    if re.search(r"[A-Z][a-z]+,\s*$", before) and re.match(r"\s*,", after):
        return True  # an age: Haidar, 37,
    if re.match(r"-year-old|\s*years? old|-?year", after) or re.search(r"\baged\s*$", before):
        return True
    return bool(re.search(r"\b(?:No|no\.|number|Resolution|page|route|Route)\.?\s*$", before))


def _all_metrics() -> str:
    return "|".join(METRIC_WORDS.values())


def _metric_near(sentence: str, mention: Mention) -> str | None:
    """The metric the number's own verb says, else that of the nearest metric word."""
    own = _own_verb(sentence, mention)
    if own is not None:
        return own
    before = re.search(
        r"\b(?P<verb>" + _all_metrics() + r")\s+(?:\w+\s+){0,2}$",
        sentence[: mention.start],
        re.IGNORECASE,
    )
    if before is not None:
        return _metric_of(before.group("verb"))
    return _nearest_metric(sentence, mention)


def _own_verb(sentence: str, mention: Mention) -> str | None:
    """The metric of the verb that follows the number in its own clause ("were killed")."""
    after = sentence[mention.end :]
    own = re.match(
        r"(?:\s+(?!and\b|or\b|but\b|while\b)[\w'’-]+){0,3}?"
        + AUXILIARY
        + r"(?P<verb>"
        + _all_metrics()
        + r")\b",
        after,
        re.IGNORECASE,
    )
    return None if own is None else _metric_of(own.group("verb"))


def _nearest_metric(sentence: str, mention: Mention) -> str | None:
    """The metric of the metric word nearest the number (words after it bind closer)."""
    best, distance = None, None
    for metric, words in METRIC_WORDS.items():
        for found in re.finditer(rf"\b(?:{words})\b", sentence, re.IGNORECASE):
            if found.start() >= mention.end:
                gap = found.start() - mention.end
            else:
                gap = (mention.start - found.end()) * 2  # words after the number bind closer
            if distance is None or gap < distance:
                best, distance = metric, gap
    return best


def _metric_of(verb: str) -> str | None:
    return next(
        (m for m, words in METRIC_WORDS.items() if re.fullmatch(words, verb, re.IGNORECASE)), None
    )


def _group(words: str) -> str | None:
    for group, pattern in GROUP_WORDS.items():
        if re.match(rf"(?:{pattern})\b", words.strip(), re.IGNORECASE):
            return group
    return None
