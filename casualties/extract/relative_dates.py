"""When a sentence says a count happened: "Sunday", "last week", "since the fighting broke out".

Each is resolved against the publication date and returned with the rule used,
in words an analyst can check (the store keeps it as `date_resolution`).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

WEEKDAYS = [calendar.day_name[i] for i in range(7)]  # Monday first, as date.weekday()
MONTHS = [calendar.month_name[i] for i in range(1, 13)]
MONTH_PATTERN = "|".join(MONTHS + [m[:3] + r"\.?" for m in MONTHS])
# A running total: the count since an anchor, not one day's.
CUMULATIVE = re.compile(
    r"\b(since|so far|in total|total of|toll (?:has )?(?:risen|rose|climbed|reached|stood|stands)"
    r"|now st(?:ood|ands) at|has risen to|rose to|climbed to|brought the (?:death )?toll)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Period:
    """What a sentence's date words resolve to."""

    start: date | None  # None: a running total whose anchor the words do not date
    end: date
    precision: str  # day, week, month, year
    basis: str  # incident or cumulative
    words: str | None  # the date words, as written
    anchor_words: str | None  # "since the fighting broke out last week"
    rule: str


def period_in(sentence: str, published: date) -> Period:
    """The period a sentence's count covers; the publication day when it names none."""
    anchor = _anchor(sentence)
    if anchor is not None:
        # A running total from the anchor's day up to the publication.
        day = _when(anchor, published)
        start = day[0] if day is not None else None
        rule = (
            f"a running total ({anchor!r}) standing at the publication date, "
            f"{_day(published)}"
            + (f"; its anchor {day[3]}" if day is not None else "; the words do not date it")
        )
        precision = day[2] if day is not None else "day"
        return Period(start, published, precision, "cumulative", anchor, anchor, rule)
    day = _when(_without_statement_days(sentence), published)
    if day is None:
        rule = f"no date in the sentence: the publication date, {_day(published)}"
        return Period(published, published, "day", "incident", None, None, rule)
    start, end, precision, rule, words = day
    return Period(start, end, precision, "incident", words, None, rule)


def _without_statement_days(sentence: str) -> str:
    """The sentence less the day a statement was made ("the army said on Monday")."""
    days = "|".join(WEEKDAYS) + r"|yesterday|today"
    told = (
        r"\b(?:said|told|reported|announced|stated|statement)(?:\s+\w+){0,3}?\s+(?:on\s+)?"
        rf"(?:{days})\b"
    )
    return re.sub(told, " ", sentence, flags=re.IGNORECASE)


def _anchor(sentence: str) -> str | None:
    found = CUMULATIVE.search(sentence)
    if found is None:
        return None
    if found.group(1).lower() == "since":
        clause = re.match(r"since[^,.;]*", sentence[found.start() :], re.IGNORECASE)
        return clause.group(0).strip()
    return found.group(0)


def _when(sentence: str, published: date):
    """(start, end, precision, rule, words) for the first date words found, else None."""
    for finder in (_weekday, _relative_day, _relative_week, _month_year, _day_month):
        found = finder(sentence, published)
        if found is not None:
            return found
    return None


def _weekday(sentence: str, published: date):
    found = re.search(rf"\b(?:on |last )?({'|'.join(WEEKDAYS)})\b", sentence)
    if found is None:
        return None
    weekday = WEEKDAYS.index(found.group(1))
    back = (published.weekday() - weekday) % 7
    day = published - timedelta(days=back)
    rule = f"'{found.group(0)}' read against the publication date, {_day(published)}: " + (
        "that day" if back == 0 else f"the {found.group(1)} before it, {day.isoformat()}"
    )
    return day, day, "day", rule, found.group(0)


def _relative_day(sentence: str, published: date):
    found = re.search(r"\b(yesterday|today|this morning|tonight|overnight)\b", sentence, re.I)
    if found is None:
        return None
    back = 1 if found.group(1).lower() == "yesterday" else 0
    day = published - timedelta(days=back)
    rule = f"'{found.group(0)}' read against the publication date, {_day(published)}: {day}"
    return day, day, "day", rule, found.group(0)


def _relative_week(sentence: str, published: date):
    found = re.search(r"\b(last|this|past) week\b", sentence, re.IGNORECASE)
    if found is None:
        return None
    monday = published - timedelta(days=published.weekday())
    if found.group(1).lower() == "this":
        start, end = monday, published
        rule = f"'{found.group(0)}': the ISO week of the publication, {start} to {end}"
    elif found.group(1).lower() == "past":
        start, end = published - timedelta(days=7), published
        rule = f"'{found.group(0)}': the seven days to the publication, {start} to {end}"
    else:
        start, end = monday - timedelta(days=7), monday - timedelta(days=1)
        rule = (
            f"'{found.group(0)}' read against the publication date, {_day(published)}: "
            f"the ISO week before it, {start} to {end}"
        )
    return start, end, "week", rule, found.group(0)


def _month_year(sentence: str, published: date):
    found = re.search(rf"\b(?:in )?({'|'.join(MONTHS)}) (\d{{4}})\b", sentence)
    if found is None:
        return None
    month, year = MONTHS.index(found.group(1)) + 1, int(found.group(2))
    start = date(year, month, 1)
    end = date(year, month, calendar.monthrange(year, month)[1])
    rule = f"'{found.group(0)}': the whole month, {start} to {end}"
    return start, end, "month", rule, found.group(0)


def _day_month(sentence: str, published: date):
    found = re.search(
        rf"\b(?:(\d{{1,2}}) ({MONTH_PATTERN})|({MONTH_PATTERN}) (\d{{1,2}}))\b(?!,? \d{{4}})",
        sentence,
    )
    if found is None:
        return None
    day_text = found.group(1) or found.group(4)
    month_text = (found.group(2) or found.group(3)).rstrip(".")
    month = next(i for i, m in enumerate(MONTHS, start=1) if m.startswith(month_text))
    try:
        day = date(published.year, month, int(day_text))
    except ValueError:
        return None
    if day > published:
        day = date(published.year - 1, month, int(day_text))
    rule = f"'{found.group(0)}': the latest such day on or before the publication, {day}"
    return day, day, "day", rule, found.group(0)


def _day(day: date) -> str:
    return f"{day:%a} {day.isoformat()}"
