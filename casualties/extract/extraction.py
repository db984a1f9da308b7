"""Draft figures read from news text, for an analyst to review: never stored unreviewed.

A pure-rules reader. The article (plain text or HTML) is cut into sentences;
in each, every number (`mentions`) is kept only when it counts people: a
people word follows it ("25 civilians", "715 fatalities among combatants") or
the sentence says what it counts ("the number of civilians killed ... stood at
111"). Distances, years, ages, dates and counts of things are passed over.
Each kept number gets a metric from the sentence's verbs ("killed",
"wounded", "fled"), a group from its noun, the source the sentence attributes
it to ("according to the White Helmets", "SOHR said", "a war monitor said"
resolved to the monitor named nearby), the places the gazetteer knows, the
period its date words give (`relative_dates`), a subset link ("ten children
... were among at least 25 civilians") and the exact quote with its offsets.
A draft the reader is unsure of keeps its doubts and a lower confidence.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from datetime import date
from html.parser import HTMLParser

from ..model.gazetteer import LEVELS, Gazetteer, default_gazetteer, fold
from .mentions import Mention, mentions
from .relative_dates import Period, period_in

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
MONTH_NAMES = r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
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
SUBSET_LINKS = re.compile(
    r"\b(?:were among|are among|among them|including|of whom|of them|among whom)\b",
    re.IGNORECASE,
)
# "BEIRUT, Lebanon (AFP) —", "Dec. 6 (UPI) --": the wire's dateline.
DATELINE = re.compile(r"^[^—\n]{0,60}\((?:AFP|AP|UPI|Reuters|dpa|AA|ANI|IANS)\)\s*(?:—|--|-)\s*")
ABBREVIATIONS = re.compile(
    rf"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sgt|Capt|St|No|U\.S|U\.K|U\.N|E\.U|({MONTH_NAMES}))\.$)"
)


@dataclass(frozen=True)
class KnownSource:
    """A source the store knows: how a text may name it."""

    id: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()

    def named_in(self, text: str) -> bool:
        folded = fold(text)
        return any(
            fold(n) and re.search(rf"\b{re.escape(fold(n))}\b", folded)
            for n in (self.name, self.id, *self.aliases)
            if len(n) > 2
        )


@dataclass(frozen=True)
class Draft:
    """A proposed figure: the contract's fields, where its words are, and doubts."""

    fields: dict  # the figures table's columns
    quote_start: int
    quote_end: int
    confidence: float
    doubts: tuple[str, ...] = ()
    number_at: int = 0  # where the number's words start in the text
    told_by: str | None = None  # the source as the text names it
    outlet_own: bool = False  # no teller named: read as the outlet's own count
    total: Draft | int | None = None  # the draft it is a subset of; its position once merged
    cited_in: tuple[tuple[str, str], ...] = ()  # (publication, words) of other articles

    @property
    def headline(self) -> bool:
        """Whether its sentence has no closing stop: a title restating the body."""
        return not re.search(r"[.!?\"”’)]$", self.fields["quote"])


def text_of(document: str) -> str:
    """Plain text: HTML markup stripped (scripts, styles and tags), entities read."""
    if not re.search(r"<(?:p|div|html|body|br|span|article|h\d)\b", document, re.I):
        return document
    reader = _TextOnly()
    reader.feed(document)
    return html.unescape("".join(reader.parts))


class _TextOnly(HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "article", "section", "tr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "noscript"):
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "noscript"):
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: cut at . ! ? before a capital, and at blank lines."""
    spans, start = [], 0
    for cut in re.finditer(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9])|\n\s*\n", text):
        before = text[start : cut.start()].rstrip()
        if ABBREVIATIONS.search(before) and not cut.group(0).startswith("\n"):
            continue
        if before.strip():
            spans.append(_trimmed(text, start, cut.start()))
        start = cut.end()
    if text[start:].strip():
        spans.append(_trimmed(text, start, len(text)))
    return spans


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@dataclass(frozen=True)
class Article:
    """An article to read: its text and where and when it was published."""

    text: str
    published: date
    publication_id: str
    publisher: str = ""


def extract(
    article: Article, sources: list[KnownSource] = (), gazetteer: Gazetteer | None = None
) -> list[Draft]:
    """Draft figures of every count of people the article states, each stated once."""
    gazetteer = gazetteer or default_gazetteer()
    text = text_of(article.text)
    # A toll the article gives on no one's authority is the outlet's own (AFP's).
    outlet = next((s for s in sources if article.publisher and s.named_in(article.publisher)), None)
    drafts: list[Draft] = []
    named_before: list[KnownSource] = []
    for start, end in sentences(text):
        sentence = text[start:end]
        mentioned = [s for s in sources if s.named_in(sentence)]
        context = _Context(article, sources, named_before, gazetteer, outlet)
        drafts.extend(_sentence_drafts(sentence, start, context))
        named_before = mentioned + [s for s in named_before if s not in mentioned]
    return merged(drafts)


@dataclass(frozen=True)
class _Context:
    article: Article
    sources: list[KnownSource]
    named_before: list[KnownSource]
    gazetteer: Gazetteer
    outlet: KnownSource | None


def merged(drafts: list[Draft]) -> list[Draft]:
    """The drafts with a figure stated twice (a headline, a second article) kept once.

    Two drafts state the same figure when metric, group and values agree and
    their sources do (or one names none): the better sourced, surer one stays,
    with both publications; a subset keeps pointing at its total.
    """
    kept: list[Draft] = []
    where: dict[int, int] = {}  # id() of a draft → the position of the kept draft holding it
    for draft in drafts:
        twin = next((i for i, k in enumerate(kept) if _same_figure(k, draft)), None)
        if twin is None:
            where[id(draft)] = len(kept)
            kept.append(draft)
            continue
        where[id(draft)] = twin
        where[id(kept[twin])] = twin
        kept[twin] = _joined(kept[twin], draft)
        where[id(kept[twin])] = twin
    return [_repointed(d, where) for d in kept]


def _same_figure(a: Draft, b: Draft) -> bool:
    keys = ("metric", "value_low", "value_best", "value_high")
    if any(a.fields[k] != b.fields[k] for k in keys):
        return False
    if a.fields["publication_ids"] == b.fields["publication_ids"] and not (
        a.headline or b.headline
    ):
        return False  # one article giving a number twice in its body: two counts, say as written
    groups = {a.fields["population_group"], b.fields["population_group"]}
    if len(groups - {"people"}) > 1:  # "people" is what a text says when it names no group
        return False
    return len({_teller(a), _teller(b)} - {None}) <= 1


def _teller(draft: Draft) -> str | None:
    """The source the text names for the draft (not the outlet it fell back to)."""
    return None if draft.outlet_own else draft.fields["source_id"]


def _joined(a: Draft, b: Draft) -> Draft:
    first, second = sorted((a, b), key=lambda d: (_teller(d) is None, -d.confidence))
    publications = first.fields["publication_ids"].split(";")
    more = [p for p in second.fields["publication_ids"].split(";") if p not in publications]
    fields = {**first.fields, "publication_ids": ";".join([*publications, *more])}
    if fields["population_group"] == "people":
        fields["population_group"] = second.fields["population_group"]
    cited = ((more[0], second.fields["quote"]),) if more else ()  # the other article's words
    return replace(first, fields=fields, cited_in=first.cited_in + cited)


def _repointed(draft: Draft, where: dict[int, int]) -> Draft:
    """The draft with its total given as the position of the kept draft that holds it."""
    if draft.total is None or isinstance(draft.total, int):
        return draft
    return replace(draft, total=where[id(draft.total)])


def _sentence_drafts(sentence: str, offset: int, context: _Context) -> list[Draft]:
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
    counted = sorted(counted + _one_person(sentence, counted), key=lambda c: c[0].start)
    if not counted:
        return []
    published = context.article.published
    period = period_in(sentence, published)
    source, source_words, source_doubt = _source(sentence, context.sources, context.named_before)
    outlet = source is None and source_words is None and context.outlet is not None
    if outlet:
        source, source_words = context.outlet.id, context.article.publisher
        source_doubt = f"no source named: read as {context.outlet.name}'s own count"
    places, place_words = _places(sentence, context.gazetteer)
    drafts = []
    for mention, (group, metric, noun) in counted:
        doubts = []
        if metric is None:
            doubts.append("metric unclear: no word for killed, injured, fled... near the number")
        if source_doubt:
            doubts.append(source_doubt)
        if not places:
            doubts.append("no place the gazetteer knows in the sentence")
        if period.start is None:
            doubts.append("a running total whose start the sentence does not date")
        fields = {
            "metric": metric,
            "population_group": group,
            "value_low": mention.low,
            "value_best": mention.best,
            "value_high": mention.high,
            "qualifier": mention.qualifier,
            "value_words": mention.words.strip(),
            "unit": "people",
            "place_reported": place_words,
            "place_codes": ";".join(p.code for p in places) or None,
            "place_precision": _precision(places),
            **_period_fields(period),
            "reported_on": published.isoformat(),
            "source_id": source,
            "publication_ids": context.article.publication_id,
            "quote": sentence,
            "source_term": noun,
            "notes": f"drafted from the text; source as written: {source_words}"
            if source_words
            else "drafted from the text",
        }
        confidence = round(max(0.1, 1.0 - 0.25 * len(doubts) - (0.1 if mention.vague else 0)), 2)
        drafts.append(
            Draft(
                fields,
                offset,
                offset + len(sentence),
                confidence,
                tuple(doubts),
                number_at=offset + mention.start,
                told_by=source_words,
                outlet_own=outlet,
            )
        )
    return _linked_subsets(sentence, counted, drafts)


# A count of the same thing as the count before it ("bringing the tally to ...").
LIKE_BEFORE = "like the count before"
# One person written with an article: "a 38-year-old woman was killed", "including a child".
ONE_PERSON = re.compile(
    r"\b(?:an?)\s+(?:(?:\d+|[a-z]+)-(?:year|month)-old\s+)?"
    r"(?P<noun>woman|man|child|boy|girl|baby|infant|person|civilian|soldier|fighter|"
    r"journalist|doctor|nurse|medic|paramedic|aid worker)\b",
    re.IGNORECASE,
)


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


def _source(sentence: str, sources, named_before) -> tuple[str | None, str | None, str | None]:
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


def _places(sentence: str, gazetteer: Gazetteer) -> tuple[list, str | None]:
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


def _precision(places: list) -> str | None:
    if not places:
        return None
    if len({p.country for p in places}) > 1:
        return "region"
    return min((p.level for p in places), key=LEVELS.index)


def _period_fields(period: Period) -> dict:
    return {
        "period_start": period.start.isoformat() if period.start else None,
        "period_end": period.end.isoformat(),
        "date_precision": period.precision,
        "basis": period.basis,
        "anchor_words": period.anchor_words,
        "date_words": period.words,
        "date_resolution": period.rule,
    }


SUBSET_GROUPS = ("children", "women", "men")


def _linked_subsets(sentence: str, counted: list, drafts: list[Draft]) -> list[Draft]:
    """Subsets named with their total, pointing at it (and taking its metric when listed).

    "ten children and four women were among at least 25 civilians": the
    subsets before the link, the total after; "killed 12 civilians, including
    one child, three women and eight men": the total before, the subsets after;
    "112,000 people, 12,000 of whom are civilians": the count just before the
    link is the subset, the one before that its total.
    """
    parent_of: dict[int, int] = {}
    listed: set[int] = set()  # subsets that take their total's metric
    for link in SUBSET_LINKS.finditer(sentence):
        words = link.group(0).lower()
        after_link = [i for i, (m, _) in enumerate(counted) if m.start >= link.end()]
        before_link = [i for i, (m, _) in enumerate(counted) if m.end <= link.start()]
        if words in ("of whom", "of them"):
            if len(before_link) >= 2:
                parent_of[before_link[-1]] = before_link[-2]
            continue
        if words.endswith("among") and words != "among them":
            totals, subsets = after_link[:1], before_link
        else:
            totals, subsets = before_link[-1:], []
            for i in after_link:  # the subsets listed after the link, up to the next total
                if counted[i][1][0] not in SUBSET_GROUPS:
                    break
                subsets.append(i)
        if not totals or counted[totals[0]][1][0] in SUBSET_GROUPS:
            continue
        for i in subsets:
            if counted[i][1][0] in SUBSET_GROUPS:
                parent_of[i] = totals[0]
                listed.add(i)
    return _pointing(drafts, parent_of, listed)


def _pointing(drafts: list[Draft], parent_of: dict[int, int], listed: set[int]) -> list[Draft]:
    """The drafts with each subset pointing at its total's final draft (totals made first)."""
    final: dict[int, Draft] = {}

    def made(i: int) -> Draft:
        if i not in final:
            draft = drafts[i]
            if i in parent_of:
                total = made(parent_of[i])
                fields = dict(draft.fields)
                if i in listed:
                    fields["metric"] = total.fields["metric"]
                draft = replace(draft, fields=fields, total=total)
            final[i] = draft
        return final[i]

    return [made(i) for i in range(len(drafts))]
