"""The text of each synthetic figure, worded from its plan: the value as the source
gives it ('at least 25', 'tens of thousands'), the weekday an incident is dated by, a
unique ~150-character quote numbered like a bulletin, the source's own term, a cause,
an occasional note. Text unique to a row is joined in one formatting pass per column:
for 150-character strings that is several times faster than numpy's string ufuncs.
"""

from __future__ import annotations

import numpy as np

from .plans import MISSING
from .vocabulary import (
    ANCHORS,
    CAUSES,
    DATE_WORDS,
    FIRST_DAY,
    GROUPS,
    LEADS,
    METRICS,
    QUALIFIER_WORDS,
    QUALIFIERS,
    SOURCE_TERMS,
    SOURCES,
    TAILS,
    UNITS,
    VAGUE_WORDS,
    WEEKDAYS,
    indices,
)


def worded_values(plan: dict) -> np.ndarray:
    """The number as the source words it: '1,234', 'at least 25', 'tens of thousands'."""
    qualifier = plan["qualifier"]
    main = np.select(
        [np.isin(qualifier, indices(QUALIFIERS, ("exact", "about"))),
         np.isin(qualifier, indices(QUALIFIERS, ("at_most", "fewer_than")))],
        [plan["best"], plan["high"]],
        plan["low"],
    )  # fmt: skip
    between = qualifier == list(QUALIFIERS).index("between")
    upper = np.where(between, plan["high"], MISSING)
    prefix = np.array(list(QUALIFIER_WORDS.values()), dtype=object)[qualifier]
    words = np.array(
        [
            f"{p}{m:,}" if u < 0 else f"{p}{m:,} and {u:,}"
            for p, m, u in zip(prefix, main.tolist(), upper.tolist(), strict=True)
        ],
        dtype=object,
    )
    vague = plan["vague_word"] >= 0
    words[vague] = np.array(VAGUE_WORDS, dtype=object)[plan["vague_word"][vague]]
    return words


def date_word_index(plan: dict) -> np.ndarray:
    """Index into DATE_WORDS of how an incident's report words its day."""
    weekday = (plan["end"] + FIRST_DAY.astype(np.int64)) % 7
    return np.select([plan["lag"] == 0, plan["lag"] == 1], [7, 8], weekday)


def date_resolutions(plan: dict, date_word: np.ndarray, day_text: np.ndarray) -> np.ndarray:
    """How an incident's 'Sunday' became its day; none where the report says 'today'."""
    out = np.full(len(date_word), None, dtype=object)
    rows = np.flatnonzero((plan["basis"] == 1) & (plan["lag"] > 0))
    words, reported = DATE_WORDS[date_word[rows]], day_text[plan["reported"][rows]]
    out[rows] = [
        f"'{w}' read against the report of {d}" for w, d in zip(words, reported, strict=True)
    ]
    return out


def quotes(rng: np.random.Generator, plan: dict, places: dict, value_words, date_word):
    """One unique sentence per figure, about 150 characters, numbered like a bulletin."""
    n = len(plan["count"])
    names = [s[1] for s in SOURCES]
    openings = object_array(f"{a}{b if a else capital(b)}{c}" for a, c in LEADS for b in names)
    opening = openings[rng.integers(0, len(LEADS), n) * len(names) + plan["source"]]
    whos = [g[2] for g in GROUPS.values()] + list(UNITS)[1:]
    who = np.where(plan["unit"] == 0, plan["group"], len(GROUPS) + plan["unit"] - 1)
    verbs = [m[3] for m in METRICS.values()]
    wheres = places["where"]
    middles = object_array(f" {w} {v} {p} " for w in whos for v in verbs for p in wheres)
    middle = middles[(who * len(verbs) + plan["metric"]) * len(wheres) + plan["place"]]
    whens = [*ANCHORS, *(f"on {d}" for d in WEEKDAYS), "today", "yesterday"]
    when = np.where(plan["basis"] == 0, plan["anchor"], len(ANCHORS) + date_word)
    tail = rng.integers(0, len(TAILS), n)
    closings = object_array(f"{w}, {t[0]}" for w in whens for t in TAILS)
    closing = closings[when * len(TAILS) + tail]
    ending = object_array(t[1] for t in TAILS)[tail]
    number = value_words.copy()
    vague = plan["vague_word"] >= 0
    number[vague] = object_array(f"{w} of" for w in VAGUE_WORDS)[plan["vague_word"][vague]]
    serial = range(10_000, 10_000 + n)
    parts = (opening, number, middle, closing, serial, ending)
    return object_array(f"{a}{b}{c}{d}{e}{f}" for a, b, c, d, e, f in zip(*parts, strict=True))


def source_terms(rng: np.random.Generator, metric: np.ndarray) -> np.ndarray:
    terms = [SOURCE_TERMS[m] for m in METRICS]
    flat = np.array([t for ts in terms for t in ts], dtype=object)
    offsets = np.cumsum([0] + [len(ts) for ts in terms])[:-1]
    sizes = np.array([len(ts) for ts in terms])
    index = offsets[metric] + (rng.random(len(metric)) * sizes[metric]).astype(np.int64)
    return optional(flat, np.where(rng.random(len(metric)) < 0.4, index, MISSING))


def causes(rng: np.random.Generator, metric: np.ndarray) -> np.ndarray:
    violent = np.isin(metric, [list(METRICS).index(m) for m in ("killed", "injured")])
    given = violent & (rng.random(len(metric)) < 0.5)
    cause = rng.integers(0, len(CAUSES), len(metric))
    return optional(np.array(CAUSES, dtype=object), np.where(given, cause, MISSING))


def sometimes(rng: np.random.Generator, texts: tuple, n: int, share: float) -> np.ndarray:
    which = rng.integers(0, len(texts), n)
    return optional(np.array(texts, dtype=object), np.where(rng.random(n) < share, which, MISSING))


def object_array(texts) -> np.ndarray:
    """Python strings in an object array: indexing it shares them, copying none."""
    texts = list(texts)
    out = np.empty(len(texts), dtype=object)
    out[:] = texts
    return out


def optional(texts: np.ndarray, index: np.ndarray) -> np.ndarray:
    """texts[index], None where the index is MISSING."""
    out = texts[np.maximum(index, 0)]
    out[index < 0] = None
    return out


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]
