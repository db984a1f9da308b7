"""The synthetic figures planned as integer codes, before any text: cumulative series
whose counts rise report by report, single incidents, the bounds and qualifier of each
count as a source would word it, and subsets fitting inside their parent; then every
row put in report order. Codes are positions in the `vocabulary` tables, MISSING for none.
"""

from __future__ import annotations

import math

import numpy as np

from casualties.model import contract

from .vocabulary import (
    ANCHORS,
    DATE_PRECISIONS,
    DISPLACEMENT_METRICS,
    GROUPS,
    HOUSEHOLD_SIZES,
    METRICS,
    NOT_DISPLACED_AS,
    PARENT_GROUPS,
    QUALIFIERS,
    SECOND_CHILD_GROUPS,
    SOURCES,
    UNIT_METRICS,
    UNITS,
    VAGUE_WORDS,
    indices,
    pick,
)

MISSING = -1  # in the integer arrays of a plan: no value, no parent
REPORTS_PER_SERIES = 20
# Running totals worded 'about N', 'up to N' or 'fewer than N' have no low. Before commit
# 09768a4 the weekly standings raised "boolean value of NA is ambiguous" on them; True
# keeps every cumulative report's low (to bench code older than that fix).
LOWLESS_QUALIFIERS = ("about", "at_most", "fewer_than")
CUMULATIVE_LOWS_ONLY = False


def cumulative_plan(rng: np.random.Generator, n: int, publication_days, places) -> dict:
    """Rows of cumulative series, sorted by series then report day, values rising."""
    series = _series(rng, max(1, n // REPORTS_PER_SERIES), places)
    weights = rng.lognormal(0.0, 1.0, len(series["metric"]))
    of_row = rng.choice(len(weights), n, p=weights / weights.sum())
    publication = rng.integers(0, len(publication_days), n)
    reported = publication_days[publication]
    order = np.lexsort((reported, of_row))
    of_row, publication, reported = of_row[order], publication[order], reported[order]
    opens_run = np.r_[True, of_row[1:] != of_row[:-1]] if n else np.zeros(0, dtype=bool)
    starts = np.flatnonzero(opens_run)
    run = np.cumsum(opens_run) - 1
    end = np.maximum(reported - rng.integers(0, 3, n), 0)
    first_end = np.minimum.reduceat(end, starts)[run] if n else end
    anchor_day = np.maximum(first_end - rng.integers(0, 400, len(starts))[run], 0)
    count = series["first_count"][of_row] + _running_sum(
        np.maximum(1, np.rint(series["step"][of_row] * rng.exponential(1.0, n))).astype(np.int64),
        starts,
        run,
    )
    plan = {name: values[of_row] for name, values in series.items()}
    plan |= {"publication": publication, "reported": reported, "end": end, "start": anchor_day}
    plan["count"] = count
    plan["basis"] = np.zeros(n, dtype=np.int64)
    plan["lag"] = reported - end
    return plan


def _series(rng: np.random.Generator, n_series: int, places: dict) -> dict:
    """Distinct (source, metric, group, place) series with their first count and step."""
    draws = 2 * n_series
    source = rng.integers(0, len(SOURCES), draws)
    metric = pick(rng, {m: v[0] for m, v in METRICS.items()}, draws)
    group = pick(rng, {g: v[0] for g, v in GROUPS.items()}, draws)
    place = rng.choice(places["series_places"], draws, p=places["series_weights"])
    unit = np.where(np.isin(metric, indices(METRICS, UNIT_METRICS)), pick(rng, UNITS, draws), 0)
    displacement = np.isin(metric, indices(METRICS, DISPLACEMENT_METRICS))
    not_a_group = displacement & np.isin(group, indices(GROUPS, NOT_DISPLACED_AS))
    group = np.where(not_a_group | (unit != 0), 0, group)
    key = (source * len(METRICS) + metric) * len(GROUPS) + group
    key = (key * len(UNITS) + unit) * len(places["code"]) + place
    _, first = np.unique(key, return_index=True)
    keep = np.sort(first)[:n_series]
    source, metric, group, unit, place = (a[keep] for a in (source, metric, group, unit, place))
    n_kept = len(keep)
    low, high = (np.array([v[2][i] for v in METRICS.values()], dtype=float) for i in (0, 1))
    first_count = np.exp(rng.uniform(np.log(low[metric]), np.log(high[metric])))
    first_count /= np.where(unit == 0, 1, HOUSEHOLD_SIZES[0])  # families, not people
    return {
        "source": source,
        "metric": metric,
        "group": group,
        "place": place,
        "first_count": first_count.astype(np.int64),
        "step": first_count * rng.uniform(0.005, 0.06, n_kept),
        "unit": unit,
        "household_size": np.where(unit == 0, np.nan, rng.choice(HOUSEHOLD_SIZES, n_kept)),
        "anchor": rng.integers(0, len(ANCHORS), n_kept),
        "date_precision": pick(rng, DATE_PRECISIONS, n_kept),
    }


def _running_sum(increments: np.ndarray, starts: np.ndarray, run: np.ndarray) -> np.ndarray:
    """The cumulative sum of `increments` restarted at each of `starts`."""
    total = np.cumsum(increments)
    before_run = (total - increments)[starts]
    return total - before_run[run]


def incident_plan(rng: np.random.Generator, n: int, publication_days, places) -> dict:
    """Rows of single incidents: one day, a city mostly, small counts."""
    publication = rng.integers(0, len(publication_days), n)
    reported = publication_days[publication]
    day = np.maximum(reported - rng.integers(0, 7, n), 0)
    return {
        "source": rng.integers(0, len(SOURCES), n),
        "metric": pick(rng, {m: v[1] for m, v in METRICS.items()}, n),
        "group": pick(rng, {g: v[1] for g, v in GROUPS.items()}, n),
        "place": rng.choice(places["incident_places"], n),
        "first_count": np.zeros(n, dtype=np.int64),
        "step": np.zeros(n),
        "unit": np.zeros(n, dtype=np.int64),
        "household_size": np.full(n, np.nan),
        "anchor": np.full(n, MISSING),
        "date_precision": np.zeros(n, dtype=np.int64),
        "publication": publication,
        "reported": reported,
        "end": day,
        "start": day,
        "count": np.exp(rng.uniform(0.0, np.log(300), n)).astype(np.int64),
        "basis": np.ones(n, dtype=np.int64),
        "lag": reported - day,
    }


def add_bounds(rng: np.random.Generator, plan: dict) -> None:
    """low, best, high and the qualifier of each count, as a source would bound it."""
    count = plan["count"]
    qualifier = pick(rng, QUALIFIERS, len(count))
    q = {name: qualifier == i for i, name in enumerate(QUALIFIERS)}
    word, word_low, word_high = _vague_words_for(count)
    # A count no vague word covers (1,500) is reported as 'about' instead.
    q["about"] |= q["vague"] & (word < 0)
    q["vague"] &= word >= 0
    if CUMULATIVE_LOWS_ONLY:
        lowless = (plan["basis"] == 0) & np.any([q[k] for k in LOWLESS_QUALIFIERS], axis=0)
        q["exact"] |= lowless
        for name in LOWLESS_QUALIFIERS:
            q[name] &= ~lowless
    plan["qualifier"] = np.select(list(q.values()), list(range(len(q))))
    plan["vague_word"] = np.where(q["vague"], word, MISSING)
    rounded = _two_figures(count)
    spread = np.maximum(1, _two_figures(count // 4))
    plan["low"] = np.select(
        [q["exact"], q["at_least"] | q["more_than"] | q["between"], q["vague"]],
        [count, count, word_low],
        MISSING,
    )
    plan["best"] = np.select([q["exact"], q["about"]], [count, rounded], MISSING)
    plan["high"] = np.select(
        [q["exact"], q["at_most"] | q["fewer_than"], q["between"], q["vague"]],
        [count, count, count + spread, word_high],
        MISSING,
    )
    plan["parent"] = np.full(len(count), MISSING)
    plan["rank"] = np.zeros(len(count), dtype=np.int64)


def _vague_words_for(count: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per count, the index of the vague word covering it (or -1) and the word's bounds."""
    table = contract.vague_words()
    lows = np.array([table[w].low for w in VAGUE_WORDS])
    highs = np.array([table[w].high for w in VAGUE_WORDS])
    word = np.char.str_len(count.astype(str)) - 2
    safe = np.clip(word, 0, len(VAGUE_WORDS) - 1)
    fits = (word == safe) & (lows[safe] <= count) & (count <= highs[safe])
    return np.where(fits, word, MISSING), lows[safe], highs[safe]


def _two_figures(values: np.ndarray) -> np.ndarray:
    """Values rounded to two significant figures, as 'about 1,200' is."""
    digits = np.char.str_len(np.maximum(values, 1).astype(str))
    scale = 10 ** np.maximum(digits - 2, 0)
    return (values + scale // 2) // scale * scale


def subset_plan(rng: np.random.Generator, base: dict, n: int) -> dict:
    """Subsets of base rows: children, then women, men or aid workers, fitting their parent."""
    groups = list(GROUPS)
    broad = np.isin(base["group"], [groups.index(g) for g in PARENT_GROUPS])
    eligible = np.flatnonzero(broad & (base["high"] >= 0) & (base["unit"] == 0))
    n_parents = min(math.ceil(n / 2), len(eligible))
    parents = np.sort(rng.choice(eligible, n_parents, replace=False))
    parent = np.repeat(parents, 2)[:n]
    plan = {name: values[parent] for name, values in base.items()}
    rank = np.tile([1, 2], n_parents)[: len(parent)]
    plan["group"] = np.where(rank == 1, groups.index("children"), _second_child(rng, plan["group"]))
    # Two subsets of at most 45% each: together they still fit in the parent.
    count = np.floor(base["high"][parent] * rng.uniform(0.05, 0.45, len(parent))).astype(np.int64)
    exact = list(QUALIFIERS).index("exact")
    plan |= {"count": count, "low": count, "best": count, "high": count}
    plan |= {"qualifier": np.full(len(parent), exact), "vague_word": np.full(len(parent), MISSING)}
    plan |= {"parent": parent, "rank": rank}
    return plan


def _second_child(rng: np.random.Generator, parent_group: np.ndarray) -> np.ndarray:
    groups = list(GROUPS)
    out = np.empty(len(parent_group), dtype=np.int64)
    for name, narrower in SECOND_CHILD_GROUPS.items():
        rows = parent_group == groups.index(name)
        choices = [groups.index(g) for g in narrower]
        out[rows] = rng.choice(choices, rows.sum())
    return out


def concat_plans(first: dict, second: dict) -> dict:
    return {name: np.concatenate([first[name], second[name]]) for name in first}


def in_report_order(plan: dict) -> dict:
    """Rows by report day, each subset right after its parent; parents renumbered."""
    rows = np.arange(len(plan["count"]))
    own_or_parent = np.where(plan["parent"] >= 0, plan["parent"], rows)
    order = np.lexsort((plan["rank"], own_or_parent, plan["reported"]))
    position = np.empty_like(order)
    position[order] = rows
    ordered = {name: values[order] for name, values in plan.items()}
    parent = ordered["parent"]
    ordered["parent"] = np.where(parent >= 0, position[np.maximum(parent, 0)], MISSING)
    return ordered
