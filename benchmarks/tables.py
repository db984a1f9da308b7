"""The tables the synthetic data set is made of: its sources, its publications, and
its figures with every column of the contract, typed as the core reads them, the plan's
codes turned into text through lookup tables (so repeated text costs no memory).
"""

from __future__ import annotations

import numpy as np

from casualties.model.frames import pd
from casualties.model.validation import frame_dtypes

from .plans import MISSING
from .vocabulary import (
    ANALYSTS,
    ANCHORS,
    DATE_PRECISIONS,
    DATE_WORDS,
    DAYS,
    FIRST_DAY,
    GRADE_NOTES,
    GRADES,
    GROUPS,
    HEADLINES,
    METRICS,
    NOTES,
    PUBLISHERS,
    QUALIFIERS,
    ROLES,
    SOURCES,
    UNITS,
    pick,
)
from .wording import (
    capital,
    causes,
    date_resolutions,
    date_word_index,
    object_array,
    optional,
    quotes,
    sometimes,
    source_terms,
    worded_values,
)

ENTERED_FROM = np.datetime64("2026-01-01T00:00:00", "s")
ENTRY_BATCH = 500  # figures an analyst enters under one timestamp
SECOND_PUBLICATION_SHARE = 0.08


def sources_frame() -> pd.DataFrame:
    """The few dozen sources every generated figure is counted by."""
    ids, names, kinds, reliabilities, urls = zip(*SOURCES, strict=True)
    aliases = [_alias(name) for name in names]
    notes = [f"{kind.replace('_', ' ')} source used in the benchmark data set" for kind in kinds]
    columns = {"id": ids, "name": [capital(n) for n in names], "aliases": aliases}
    columns |= {"kind": kinds, "reliability": reliabilities, "url": urls, "notes": notes}
    return _typed("sources", {k: np.array(v, dtype=object) for k, v in columns.items()})


def publications_frame(rng: np.random.Generator, days: np.ndarray, places: dict) -> pd.DataFrame:
    """One publication per day in `days`, with a publisher, a headline and an https url."""
    n = len(days)
    names, domains, languages = (np.array(c, dtype=object) for c in zip(*PUBLISHERS, strict=True))
    publisher = rng.integers(0, len(PUBLISHERS), n)
    slugs = np.array([_slug(name) for name in names], dtype=object)[publisher]
    day_text = _day_texts()
    serial = range(1, n + 1)
    ids = [f"{s}-{d}-{i}" for s, d, i in zip(slugs, day_text[days], serial, strict=True)]
    headline = rng.integers(0, len(HEADLINES), n)
    governorates = places["name"][places["admin1"]]
    titles = object_array(h + g for h in HEADLINES for g in governorates)
    title = titles[headline * len(governorates) + rng.integers(0, len(governorates), n)]
    path = np.array([d.replace("-", "/") for d in day_text], dtype=object)[days]
    words = np.array([_slug(h) for h in HEADLINES], dtype=object)[headline]
    urls = [
        f"https://www.{domain}/{p}/{w}-{i}"
        for domain, p, w, i in zip(domains[publisher], path, words, serial, strict=True)
    ]
    retrieved = np.minimum(days + rng.integers(0, 30, n), DAYS - 1)
    columns = {
        "id": np.array(ids, dtype=object),
        "publisher": names[publisher],
        "title": title,
        "url": np.array(urls, dtype=object),
        "published_on": day_text[days],
        "retrieved_on": day_text[retrieved],
        "language": languages[publisher],
    }
    return _typed("publications", columns)


def figures_frame(rng: np.random.Generator, plan: dict, places: dict, pub_ids) -> pd.DataFrame:
    """The figures table: the plan's codes turned into the contract's columns."""
    n = len(plan["count"])
    row = np.arange(1, n + 1)
    ids = np.array([f"f-{i:09d}" for i in range(1, n + 1)], dtype=object)
    value_words = worded_values(plan)
    date_word = date_word_index(plan)
    day_text = _day_texts()
    size = plan["household_size"]
    columns = {
        "id": ids,
        "version": _integers(np.ones(n, dtype=np.int64)),
        "metric": _terms(METRICS, plan["metric"]),
        "population_group": _terms(GROUPS, plan["group"]),
        "value_low": _integers(plan["low"]),
        "value_best": _integers(plan["best"]),
        "value_high": _integers(plan["high"]),
        "qualifier": _terms(QUALIFIERS, plan["qualifier"]),
        "value_words": value_words,
        "unit": _terms(UNITS, plan["unit"]),
        "household_size": size,
        "people_low": _integers(_in_people(plan["low"], size)),
        "people_best": _integers(_in_people(plan["best"], size)),
        "people_high": _integers(_in_people(plan["high"], size)),
        "place_reported": places["name"][plan["place"]],
        "place_codes": places["code"][plan["place"]],
        "place_precision": places["precision"][plan["place"]],
        "period_start": day_text[plan["start"]],
        "period_end": day_text[plan["end"]],
        "date_precision": _terms(DATE_PRECISIONS, plan["date_precision"]),
        "basis": np.array(["cumulative", "incident"], dtype=object)[plan["basis"]],
        "anchor_words": optional(np.array(ANCHORS, dtype=object), plan["anchor"]),
        "date_words": optional(DATE_WORDS, np.where(plan["basis"] == 0, MISSING, date_word)),
        "date_resolution": date_resolutions(plan, date_word, day_text),
        "reported_on": day_text[plan["reported"]],
        "source_id": np.array([s[0] for s in SOURCES], dtype=object)[plan["source"]],
        "publication_ids": _publication_ids(rng, plan["publication"], pub_ids),
        "quote": quotes(rng, plan, places, value_words, date_word),
        "source_term": source_terms(rng, plan["metric"]),
        "cause": causes(rng, plan["metric"]),
        "notes": sometimes(rng, NOTES, n, 0.03),
        "role": _terms(ROLES, pick(rng, ROLES, n)),
        "grade": _terms(GRADES, pick(rng, GRADES, n)),
        "grade_note": sometimes(rng, GRADE_NOTES, n, 0.15),
        "part_of": optional(ids, plan["parent"]),
        "status": np.full(n, "active", dtype=object),
        "supersedes": np.full(n, None, dtype=object),
        "change_reason": np.full(n, None, dtype=object),
        "entered_by": np.array(ANALYSTS, dtype=object)[(row // ENTRY_BATCH) % len(ANALYSTS)],
        "entered_at": _entry_times(row),
    }
    return _typed("figures", columns)


def _publication_ids(rng: np.random.Generator, publication: np.ndarray, ids: np.ndarray):
    """The publication of each figure, and for a few a second one that reported it too."""
    n = len(publication)
    first = ids[publication]
    second_index = (publication + rng.integers(1, 4, n)) % len(ids)
    twice = (rng.random(n) < SECOND_PUBLICATION_SHARE) & (second_index != publication)
    both = first.copy()
    both[twice] = first[twice] + ";" + ids[second_index[twice]]
    return both


def _entry_times(row: np.ndarray) -> np.ndarray:
    """Entry timestamps, one per batch an analyst entered, ten minutes apart."""
    batch = row // ENTRY_BATCH
    moments = ENTERED_FROM + np.arange(batch.max() + 1) * np.timedelta64(600, "s")
    texts = np.array([t + "Z" for t in np.datetime_as_string(moments, unit="s")], dtype=object)
    return texts[batch]


def _terms(vocabulary: dict, index: np.ndarray) -> np.ndarray:
    return np.array(list(vocabulary), dtype=object)[index]


def _integers(values: np.ndarray) -> pd.arrays.IntegerArray:
    """A nullable integer array, missing where the value is MISSING."""
    return pd.arrays.IntegerArray(values.astype(np.int64), values < 0)


def _in_people(values: np.ndarray, household_size: np.ndarray) -> np.ndarray:
    """Counts in people: × household size where given, rounded half up (as the core does)."""
    size = np.where(np.isnan(household_size), 1.0, household_size)
    people = np.floor(values * size + 0.5).astype(np.int64)
    return np.where(values < 0, MISSING, people)


def _day_texts() -> np.ndarray:
    """'YYYY-MM-DD' for every day from FIRST_DAY, shared so repeated dates cost no memory."""
    days = FIRST_DAY + np.arange(DAYS)
    return np.datetime_as_string(days, unit="D").astype(object)


def _typed(table: str, columns: dict) -> pd.DataFrame:
    """A frame with the table's columns, in order, with the dtypes the core reads them as."""
    dtypes = frame_dtypes(table)
    typed = {name: pd.Series(columns[name], dtype=dtypes[name], copy=False) for name in dtypes}
    return pd.DataFrame(typed, copy=False)


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _alias(name: str) -> str | None:
    words = [w for w in name.removeprefix("the ").split() if w[:1].isupper()]
    return "".join(w[0] for w in words) if len(words) > 2 else None
