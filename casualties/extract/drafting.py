"""Draft figures read from news text, for an analyst to review: never stored unreviewed.

A pure-rules reader. The article (plain text or HTML) is cut into sentences
(`sentences`); in each, the numbers that count people are kept with their
metric and group (`counts`), and each becomes a draft with the source the
sentence attributes it to, or the outlet's own count when it names none
(`attribution`), the places the gazetteer knows (`places`), the period its
date words give (`relative_dates`), a subset link to its total (`subsets`)
and the exact quote with its offsets. A draft the reader is unsure of keeps
its doubts and a lower confidence; a figure stated twice is proposed once
(`merging`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..model.gazetteer import Gazetteer, default_gazetteer
from .attribution import KnownSource, Teller, outlet_of, teller_of
from .counts import Count, counts_in
from .merging import Draft, merged
from .places import places_in, precision_of
from .relative_dates import Period, period_in
from .sentences import sentences, text_of
from .subsets import linked_subsets


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
    outlet = outlet_of(article.publisher, sources)
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


def _sentence_drafts(sentence: str, offset: int, context: _Context) -> list[Draft]:
    """The drafts of a sentence's counts of people, each subset pointing at its total."""
    counted = counts_in(sentence)
    if not counted:
        return []
    article = context.article
    period = period_in(sentence, article.published)
    teller = teller_of(
        sentence, context.sources, context.named_before, context.outlet, article.publisher
    )
    places, place_words = places_in(sentence, context.gazetteer)
    shared = {  # the fields every count of the sentence has alike
        "place_reported": place_words,
        "place_codes": ";".join(p.code for p in places) or None,
        "place_precision": precision_of(places),
        **_period_fields(period),
        "reported_on": article.published.isoformat(),
        "source_id": teller.source_id,
        "publication_ids": article.publication_id,
        "quote": sentence,
    }
    doubts = [teller.doubt] if teller.doubt else []
    if not places:
        doubts.append("no place the gazetteer knows in the sentence")
    if period.start is None:
        doubts.append("a running total whose start the sentence does not date")
    drafts = [_draft(count, shared, doubts, teller, offset) for count in counted]
    return linked_subsets(sentence, counted, drafts)


def _draft(count: Count, shared: dict, doubts: list[str], teller: Teller, offset: int) -> Draft:
    """One count's draft: its own fields and doubt, then those its sentence gives every count."""
    mention, (group, metric, noun) = count
    if metric is None:
        doubts = ["metric unclear: no word for killed, injured, fled... near the number", *doubts]
    fields = {
        "metric": metric,
        "population_group": group,
        "value_low": mention.low,
        "value_best": mention.best,
        "value_high": mention.high,
        "qualifier": mention.qualifier,
        "value_words": mention.words.strip(),
        "unit": "people",
        **shared,
        "source_term": noun,
        "notes": f"drafted from the text; source as written: {teller.words}"
        if teller.words
        else "drafted from the text",
    }
    confidence = round(max(0.1, 1.0 - 0.25 * len(doubts) - (0.1 if mention.vague else 0)), 2)
    return Draft(
        fields,
        offset,
        offset + len(shared["quote"]),
        confidence,
        tuple(doubts),
        number_at=offset + mention.start,
        told_by=teller.words,
        outlet_own=teller.outlet_own,
    )


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
