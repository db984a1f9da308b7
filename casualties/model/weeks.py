"""Reporting weeks: ISO weeks (Monday to Sunday) by default, or weeks from another day."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..errors import InvalidInput

DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Week:
    """One reporting week: its label and its first and last days."""

    label: str
    start: date
    end: date

    def previous(self) -> Week:
        return week_of(self.start - timedelta(days=1), self.start.weekday())

    def following(self) -> Week:
        return week_of(self.end + timedelta(days=1), self.start.weekday())


def week_of(day: date, week_start: int = 0) -> Week:
    """The week holding `day`; weeks begin on `week_start` (0 = Monday, ISO)."""
    start = day - timedelta(days=(day.weekday() - week_start) % 7)
    end = start + timedelta(days=6)
    if week_start == 0:
        year, number, _ = start.isocalendar()
        label = f"{year}-W{number:02d}"
    else:
        label = f"week of {start.isoformat()}"
    return Week(label, start, end)


def weeks_between(first: Week, last: Week) -> list[Week]:
    """Every week from `first` to `last`, both included."""
    weeks, week = [], first
    while week.start <= last.start:
        weeks.append(week)
        week = week.following()
    return weeks


def parse_week(text: str, week_start: int = 0) -> Week:
    """A week from '2024-W49' (ISO) or from any day in it ('2024-12-02')."""
    iso = re.fullmatch(r"(\d{4})-?W(\d{1,2})", text.strip(), flags=re.IGNORECASE)
    try:
        if iso:
            day = date.fromisocalendar(int(iso[1]), int(iso[2]), 1)
        else:
            day = date.fromisoformat(text.strip())
    except ValueError as error:
        raise InvalidInput(f"week {text!r}: {error}; write 2024-W49 or a date") from error
    return week_of(day, week_start)


def parse_week_start(text: str) -> int:
    """0–6 from a day name ('monday', 'sun')."""
    for number, name in enumerate(DAY_NAMES):
        if name.startswith(text.strip().lower()[:3]):
            return number
    raise InvalidInput(f"--week-start {text!r} is not a day of the week")


def parse_day(text: str, what: str) -> date:
    """A date from YYYY-MM-DD, or a clear error naming the option."""
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise InvalidInput(f"{what} {text!r} is not a date in the form YYYY-MM-DD") from error


def parse_moment(text: str, what: str) -> str:
    """A moment in UTC written as the store writes entered_at (2026-12-01T10:38:00Z).

    Accepts ISO 8601 with or without a zone (none means UTC) or a bare day
    (its end: the store as it stood when that day was over).
    """
    from datetime import UTC, datetime, time

    try:
        if len(text.strip()) == 10:
            moment = datetime.combine(date.fromisoformat(text.strip()), time(23, 59, 59))
        else:
            moment = datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise InvalidInput(
            f"{what} {text!r} is not a moment such as 2026-12-01T10:38:00Z or a day"
        ) from error
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0).isoformat() + "Z"
