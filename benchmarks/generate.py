"""Realistic synthetic figures for the benchmarks, drawn with numpy from one seed.

Most figures belong to cumulative series (one source's running count of one
metric, for one group, in one place) whose values rise from report to report;
the rest are single incidents, and about 5% are subsets (children, women, ...)
of an earlier figure. Every row is complete and keeps the data contract:
`python -m benchmarks.generate` checks that on 10,000 rows.

The rows are planned as integer codes with numpy; text comes last, from lookup
tables indexed by those codes. Text unique to a row (ids, quotes) is joined in
one formatting pass per column: for 150-character strings that is several
times faster than chaining numpy's string ufuncs.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np

from casualties.model import contract
from casualties.model.frames import pd
from casualties.model.gazetteer import GAZETTEER_DIR, Gazetteer
from casualties.model.validation import References, frame_dtypes, problems_in

MISSING = -1  # in the integer arrays of a plan: no value, no parent
# Two years of reports: about 105 weeks, so a week holds ~1% of the figures (the weekly
# summary, workbook and pack work week by week; fifteen years made each week tiny).
FIRST_DAY = np.datetime64("2024-01-01", "D")
LAST_DAY = np.datetime64("2025-12-31", "D")
DAYS = int((LAST_DAY - FIRST_DAY).astype(int)) + 1
ENTERED_FROM = np.datetime64("2026-01-01T00:00:00", "s")
ENTRY_BATCH = 500  # figures an analyst enters under one timestamp
SUBSET_SHARE = 0.05
INCIDENT_SHARE = 0.15
REPORTS_PER_SERIES = 20
FIGURES_PER_PUBLICATION = 20
SECOND_PUBLICATION_SHARE = 0.08

# id, name, kind, reliability, url
SOURCES = (
    (
        "sohr",
        "the Syrian Observatory for Human Rights",
        "local_monitor",
        "medium",
        "https://www.syriahr.com/en/",
    ),
    ("snhr", "the Syrian Network for Human Rights", "local_monitor", "high", "https://snhr.org/"),
    (
        "vdc",
        "the Violations Documentation Center",
        "local_monitor",
        "medium",
        "https://vdc-sy.net/",
    ),
    (
        "rojava-ic",
        "the Rojava Information Center",
        "local_monitor",
        "medium",
        "https://rojavainformationcenter.org/",
    ),
    ("raqqa-silent", "Raqqa is Being Slaughtered Silently", "local_monitor", "medium", None),
    ("deirezzor-24", "Deir Ezzor 24", "local_monitor", "low", "https://deirezzor24.net/"),
    (
        "white-helmets",
        "Syria Civil Defence (the White Helmets)",
        "ngo",
        "medium",
        "https://www.syriacivildefence.org/en",
    ),
    ("msf", "Medecins Sans Frontieres", "ngo", "high", "https://www.msf.org/"),
    ("sams", "the Syrian American Medical Society", "ngo", "medium", "https://www.sams-usa.net/"),
    ("sarc", "the Syrian Arab Red Crescent", "ngo", "medium", "https://sarc.sy/"),
    (
        "icrc",
        "the International Committee of the Red Cross",
        "ngo",
        "high",
        "https://www.icrc.org/",
    ),
    ("hrw", "Human Rights Watch", "ngo", "high", "https://www.hrw.org/"),
    ("amnesty", "Amnesty International", "ngo", "high", "https://www.amnesty.org/"),
    ("save-the-children", "Save the Children", "ngo", "high", "https://www.savethechildren.net/"),
    ("ocha", "the UN humanitarian office OCHA", "un", "high", "https://www.unocha.org/syria"),
    ("unhcr", "the UN refugee agency UNHCR", "un", "high", "https://www.unhcr.org/"),
    ("ohchr", "the UN human rights office", "un", "high", "https://www.ohchr.org/"),
    ("unicef", "UNICEF", "un", "high", "https://www.unicef.org/"),
    ("who", "the World Health Organization", "un", "high", "https://www.who.int/"),
    ("iom", "the International Organization for Migration", "un", "high", "https://www.iom.int/"),
    ("wfp", "the World Food Programme", "un", "high", "https://www.wfp.org/"),
    ("coi-syria", "the UN Commission of Inquiry on Syria", "un", "high", "https://www.ohchr.org/"),
    ("acled", "ACLED", "dataset", "high", "https://acleddata.com/"),
    ("ucdp", "the Uppsala Conflict Data Program", "dataset", "high", "https://ucdp.uu.se/"),
    ("airwars", "Airwars", "dataset", "high", "https://airwars.org/"),
    ("syria-moh", "the Syrian health ministry", "party_to_conflict", "low", None),
    ("sana", "the state news agency SANA", "party_to_conflict", "low", "https://sana.sy/en/"),
    ("sdf", "the Syrian Democratic Forces", "party_to_conflict", "low", None),
    ("salvation-gov", "the Syrian Salvation Government", "party_to_conflict", "low", None),
    ("russia-mod", "the Russian defence ministry", "party_to_conflict", "low", None),
    ("turkey-mod", "the Turkish defence ministry", "party_to_conflict", "low", None),
    ("lebanon-gov", "the Lebanese government", "government", "medium", None),
    ("jordan-gov", "the Jordanian government", "government", "medium", None),
    (
        "turkey-pmm",
        "Turkey's migration directorate",
        "government",
        "medium",
        "https://www.goc.gov.tr/",
    ),
    ("afp", "AFP", "media", "high", "https://www.afp.com/"),
    ("reuters", "Reuters", "media", "high", "https://www.reuters.com/"),
)
# name, url domain, language
PUBLISHERS = (
    ("UPI", "upi.com", "en"),
    ("AFP", "afp.com", "en"),
    ("AFP via TDT", "thedailytribune.com", "en"),
    ("Reuters", "reuters.com", "en"),
    ("AP", "apnews.com", "en"),
    ("Al Jazeera", "aljazeera.com", "en"),
    ("Al Jazeera Arabic", "aljazeera.net", "ar"),
    ("BBC", "bbc.com", "en"),
    ("The Guardian", "theguardian.com", "en"),
    ("Le Monde", "lemonde.fr", "fr"),
    ("Enab Baladi", "enabbaladi.net", "ar"),
    ("Syria Direct", "syriadirect.org", "en"),
    ("North Press Agency", "npasyria.com", "en"),
    ("Asharq Al-Awsat", "aawsat.com", "ar"),
    ("ReliefWeb", "reliefweb.int", "en"),
    ("SANA", "sana.sy", "ar"),
)
HEADLINES = (
    "Syria: civilians flee as fighting spreads in ",
    "Death toll rises after strikes on ",
    "Thousands displaced as offensive closes in on ",
    "Monitor raises toll of week of clashes in ",
    "Aid groups warn of crisis in ",
    "Families return to ruined homes in ",
    "UN says needs are soaring in ",
    "Detainees' families demand answers in ",
)
# metric: share of cumulative series, share of incidents, (smallest, largest) first count, verb
METRICS = {
    "killed": (0.30, 0.60, (10, 20_000), "had been killed"),
    "injured": (0.08, 0.25, (10, 20_000), "had been wounded"),
    "missing": (0.05, 0.03, (10, 5_000), "were still missing"),
    "detained": (0.08, 0.0, (20, 50_000), "had been detained"),
    "displaced": (0.15, 0.05, (500, 500_000), "had fled their homes"),
    "idps": (0.12, 0.0, (5_000, 3_000_000), "were living in displacement"),
    "refugees": (0.10, 0.0, (1_000, 2_000_000), "had crossed into neighbouring countries"),
    "returned": (0.07, 0.0, (100, 500_000), "had returned to their homes"),
    "evacuated": (0.05, 0.07, (50, 50_000), "were evacuated"),
}
SOURCE_TERMS = {
    "killed": ("deaths", "fatalities", "dead", "martyrs"),
    "injured": ("wounded", "injuries", "hurt"),
    "missing": ("disappeared", "whereabouts unknown"),
    "detained": ("arrested", "abducted", "held"),
    "displaced": ("fled", "streaming out", "uprooted", "forced from their homes"),
    "idps": ("internally displaced", "IDPs"),
    "refugees": ("registered refugees", "asylum seekers"),
    "returned": ("returnees", "went back"),
    "evacuated": ("evacuees", "moved out", "bussed out"),
}
# group: (share of series, share of incidents, words in a quote)
GROUPS = {
    "people": (0.30, 0.30, "people"),
    "civilians": (0.35, 0.40, "civilians"),
    "combatants": (0.10, 0.10, "fighters"),
    "unknown_status": (0.05, 0.04, "people of unknown status"),
    "children": (0.10, 0.08, "children"),
    "women": (0.04, 0.03, "women"),
    "men": (0.02, 0.01, "men"),
    "aid_workers": (0.02, 0.02, "aid workers"),
    "journalists": (0.01, 0.01, "journalists"),
    "health_workers": (0.01, 0.01, "health workers"),
}
# Groups a subset may narrow: the broad ones, and what lies inside each.
PARENT_GROUPS = ("people", "civilians", "combatants", "unknown_status")
SECOND_CHILD_GROUPS = {
    "people": ("women", "men", "aid_workers", "journalists", "health_workers"),
    "civilians": ("women", "men", "aid_workers", "journalists", "health_workers"),
    "combatants": ("women", "men"),
    "unknown_status": ("women", "men"),
}
QUALIFIERS = {
    "exact": 0.55,
    "about": 0.10,
    "at_least": 0.12,
    "more_than": 0.04,
    "at_most": 0.02,
    "fewer_than": 0.02,
    "between": 0.08,
    "vague": 0.07,
}
# Running totals worded 'about N', 'up to N' or 'fewer than N' have no low. Before commit
# 09768a4 the weekly standings raised "boolean value of NA is ambiguous" on them; True
# keeps every cumulative report's low (to bench code older than that fix).
LOWLESS_QUALIFIERS = ("about", "at_most", "fewer_than")
CUMULATIVE_LOWS_ONLY = False
QUALIFIER_WORDS = {
    "exact": "",
    "about": "about ",
    "at_least": "at least ",
    "more_than": "more than ",
    "at_most": "up to ",
    "fewer_than": "fewer than ",
    "between": "between ",
    "vague": "",
}
# Vague words of schemas/vague_numbers.yaml for counts of 2, 3, 4, ... digits.
VAGUE_WORDS = (
    "dozens",
    "hundreds",
    "thousands",
    "tens of thousands",
    "hundreds of thousands",
    "millions",
)
UNITS = {"people": 0.88, "families": 0.08, "households": 0.04}
UNIT_METRICS = ("displaced", "idps", "refugees", "returned")
HOUSEHOLD_SIZES = (5.0, 5.5, 6.0, 6.5)
ANCHORS = (
    "since the start of the conflict",
    "since the fighting broke out",
    "since the offensive began",
    "since the start of the year",
    "since the ceasefire collapsed",
    "since the siege began",
    "since the uprising began in March 2011",
)
DATE_PRECISIONS = {"day": 0.60, "week": 0.20, "month": 0.15, "year": 0.05}
WEEKDAYS = ("Thursday", "Friday", "Saturday", "Sunday", "Monday", "Tuesday", "Wednesday")
DATE_WORDS = np.array([*WEEKDAYS, "today", "yesterday"], dtype=object)
ROLES = {"recommended": 0.75, "triangulation": 0.25}
GRADES = {"confirmed": 0.15, "fair": 0.35, "weak": 0.40, "contested": 0.08, "discounted": 0.02}
CAUSES = (
    "Russian and Syrian government airstrikes",
    "shelling by government forces",
    "a car bomb",
    "clashes between armed groups",
    "Turkish drone strikes",
    "a landmine",
    "coalition airstrikes",
)
GRADE_NOTES = (
    "Single-source figure; in line with the rest of the series.",
    "Matches the count of a second monitor within a few percent.",
    "Rounded by the outlet; the source's own release gives the same order.",
    "Group split not explained by the source.",
)
NOTES = (
    "The source revised the toll upward the next day.",
    "Outlet attributes the figure to local activists.",
    "Figure given in an interview, not in a written release.",
)
ANALYSTS = ("analyst-amira", "analyst-ben", "analyst-chen", "analyst-dana", "analyst-elias")
LEADS = (
    ("", " said "),
    ("According to ", ", "),
    ("", " reported that "),
    ("In a statement, ", " said "),
)
TAILS = (
    ("in update no. ", " of its tally."),
    ("in bulletin no. ", ", citing local sources."),
    ("its report no. ", " added."),
    ("according to release no. ", "."),
)
# Groups a displacement count does not single out: such series count people.
NOT_DISPLACED_AS = ("combatants", "unknown_status", "journalists", "health_workers")
DISPLACEMENT_METRICS = ("displaced", "idps", "refugees", "returned", "evacuated")


def synthetic_figures(n: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Sources, publications and `n` valid figures, the same for the same seed."""
    rng = np.random.default_rng(seed)
    places = _places()
    sources = sources_frame()
    n_publications = max(2, math.ceil(n / FIGURES_PER_PUBLICATION))
    publication_days = np.sort(rng.integers(30, DAYS, n_publications))
    publications = publications_frame(rng, publication_days, places)
    n_subsets = round(n * SUBSET_SHARE)
    n_incidents = round(n * INCIDENT_SHARE)
    base = _concat_plans(
        _cumulative_plan(rng, n - n_subsets - n_incidents, publication_days, places),
        _incident_plan(rng, n_incidents, publication_days, places),
    )
    _add_bounds(rng, base)
    plan = _concat_plans(base, _subset_plan(rng, base, n_subsets))
    # Too few parents for the subsets asked (a tiny n): more incidents make up the rows.
    extra = _incident_plan(rng, n - len(plan["count"]), publication_days, places)
    _add_bounds(rng, extra)
    plan = _ordered(_concat_plans(plan, extra))
    figures = _figures_frame(rng, plan, places, publications["id"].to_numpy(dtype=object))
    return sources, publications, figures


def references_for(
    sources: pd.DataFrame, publications: pd.DataFrame, figures: pd.DataFrame
) -> References:
    """The References a batch of generated figures is validated against."""
    return References(
        source_ids=set(sources["id"]), publication_ids=set(publications["id"]), figures=figures
    )


# tables ------------------------------------------------------------------


def sources_frame() -> pd.DataFrame:
    """The few dozen sources every generated figure is counted by."""
    ids, names, kinds, reliabilities, urls = zip(*SOURCES, strict=True)
    aliases = [_alias(name) for name in names]
    notes = [f"{kind.replace('_', ' ')} source used in the benchmark data set" for kind in kinds]
    columns = {"id": ids, "name": [_capital(n) for n in names], "aliases": aliases}
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
    titles = _table(h + g for h in HEADLINES for g in governorates)
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


# plans: the figures as integer codes, before any text ------------------------


def _cumulative_plan(rng: np.random.Generator, n: int, publication_days, places) -> dict:
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
    metric = _pick(rng, {m: v[0] for m, v in METRICS.items()}, draws)
    group = _pick(rng, {g: v[0] for g, v in GROUPS.items()}, draws)
    place = rng.choice(places["series_places"], draws, p=places["series_weights"])
    unit = np.where(np.isin(metric, _indices(METRICS, UNIT_METRICS)), _pick(rng, UNITS, draws), 0)
    displacement = np.isin(metric, _indices(METRICS, DISPLACEMENT_METRICS))
    not_a_group = displacement & np.isin(group, _indices(GROUPS, NOT_DISPLACED_AS))
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
        "date_precision": _pick(rng, DATE_PRECISIONS, n_kept),
    }


def _running_sum(increments: np.ndarray, starts: np.ndarray, run: np.ndarray) -> np.ndarray:
    """The cumulative sum of `increments` restarted at each of `starts`."""
    total = np.cumsum(increments)
    before_run = (total - increments)[starts]
    return total - before_run[run]


def _incident_plan(rng: np.random.Generator, n: int, publication_days, places) -> dict:
    """Rows of single incidents: one day, a city mostly, small counts."""
    publication = rng.integers(0, len(publication_days), n)
    reported = publication_days[publication]
    day = np.maximum(reported - rng.integers(0, 7, n), 0)
    return {
        "source": rng.integers(0, len(SOURCES), n),
        "metric": _pick(rng, {m: v[1] for m, v in METRICS.items()}, n),
        "group": _pick(rng, {g: v[1] for g, v in GROUPS.items()}, n),
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


def _add_bounds(rng: np.random.Generator, plan: dict) -> None:
    """low, best, high and the qualifier of each count, as a source would bound it."""
    count = plan["count"]
    qualifier = _pick(rng, QUALIFIERS, len(count))
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


def _subset_plan(rng: np.random.Generator, base: dict, n: int) -> dict:
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


def _concat_plans(first: dict, second: dict) -> dict:
    return {name: np.concatenate([first[name], second[name]]) for name in first}


def _ordered(plan: dict) -> dict:
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


# text -------------------------------------------------------------------------


def _figures_frame(rng: np.random.Generator, plan: dict, places: dict, pub_ids) -> pd.DataFrame:
    """The figures table: the plan's codes turned into the contract's columns."""
    n = len(plan["count"])
    row = np.arange(1, n + 1)
    ids = np.array([f"f-{i:09d}" for i in range(1, n + 1)], dtype=object)
    value_words = _value_words(plan)
    date_word = _date_word_index(plan)
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
        "anchor_words": _optional(np.array(ANCHORS, dtype=object), plan["anchor"]),
        "date_words": _optional(DATE_WORDS, np.where(plan["basis"] == 0, MISSING, date_word)),
        "date_resolution": _date_resolutions(plan, date_word, day_text),
        "reported_on": day_text[plan["reported"]],
        "source_id": np.array([s[0] for s in SOURCES], dtype=object)[plan["source"]],
        "publication_ids": _publication_ids(rng, plan["publication"], pub_ids),
        "quote": _quotes(rng, plan, places, value_words, date_word),
        "source_term": _source_terms(rng, plan["metric"]),
        "cause": _causes(rng, plan["metric"]),
        "notes": _sometimes(rng, NOTES, n, 0.03),
        "role": _terms(ROLES, _pick(rng, ROLES, n)),
        "grade": _terms(GRADES, _pick(rng, GRADES, n)),
        "grade_note": _sometimes(rng, GRADE_NOTES, n, 0.15),
        "part_of": _optional(ids, plan["parent"]),
        "status": np.full(n, "active", dtype=object),
        "supersedes": np.full(n, None, dtype=object),
        "change_reason": np.full(n, None, dtype=object),
        "entered_by": np.array(ANALYSTS, dtype=object)[(row // ENTRY_BATCH) % len(ANALYSTS)],
        "entered_at": _entry_times(row),
    }
    return _typed("figures", columns)


def _value_words(plan: dict) -> np.ndarray:
    """The number as the source words it: '1,234', 'at least 25', 'tens of thousands'."""
    qualifier = plan["qualifier"]
    main = np.select(
        [np.isin(qualifier, _indices(QUALIFIERS, ("exact", "about"))),
         np.isin(qualifier, _indices(QUALIFIERS, ("at_most", "fewer_than")))],
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


def _date_word_index(plan: dict) -> np.ndarray:
    """Index into DATE_WORDS of how an incident's report words its day."""
    weekday = (plan["end"] + FIRST_DAY.astype(np.int64)) % 7
    return np.select([plan["lag"] == 0, plan["lag"] == 1], [7, 8], weekday)


def _date_resolutions(plan: dict, date_word: np.ndarray, day_text: np.ndarray) -> np.ndarray:
    """How an incident's 'Sunday' became its day; none where the report says 'today'."""
    out = np.full(len(date_word), None, dtype=object)
    rows = np.flatnonzero((plan["basis"] == 1) & (plan["lag"] > 0))
    words, reported = DATE_WORDS[date_word[rows]], day_text[plan["reported"][rows]]
    out[rows] = [
        f"'{w}' read against the report of {d}" for w, d in zip(words, reported, strict=True)
    ]
    return out


def _quotes(rng: np.random.Generator, plan: dict, places: dict, value_words, date_word):
    """One unique sentence per figure, about 150 characters, numbered like a bulletin."""
    n = len(plan["count"])
    names = [s[1] for s in SOURCES]
    openings = _table(f"{a}{b if a else _capital(b)}{c}" for a, c in LEADS for b in names)
    opening = openings[rng.integers(0, len(LEADS), n) * len(names) + plan["source"]]
    whos = [g[2] for g in GROUPS.values()] + list(UNITS)[1:]
    who = np.where(plan["unit"] == 0, plan["group"], len(GROUPS) + plan["unit"] - 1)
    verbs = [m[3] for m in METRICS.values()]
    wheres = places["where"]
    middles = _table(f" {w} {v} {p} " for w in whos for v in verbs for p in wheres)
    middle = middles[(who * len(verbs) + plan["metric"]) * len(wheres) + plan["place"]]
    whens = [*ANCHORS, *(f"on {d}" for d in WEEKDAYS), "today", "yesterday"]
    when = np.where(plan["basis"] == 0, plan["anchor"], len(ANCHORS) + date_word)
    tail = rng.integers(0, len(TAILS), n)
    closings = _table(f"{w}, {t[0]}" for w in whens for t in TAILS)
    closing = closings[when * len(TAILS) + tail]
    ending = _table(t[1] for t in TAILS)[tail]
    number = value_words.copy()
    vague = plan["vague_word"] >= 0
    number[vague] = _table(f"{w} of" for w in VAGUE_WORDS)[plan["vague_word"][vague]]
    serial = range(10_000, 10_000 + n)
    parts = (opening, number, middle, closing, serial, ending)
    return _table(f"{a}{b}{c}{d}{e}{f}" for a, b, c, d, e, f in zip(*parts, strict=True))


def _publication_ids(rng: np.random.Generator, publication: np.ndarray, ids: np.ndarray):
    """The publication of each figure, and for a few a second one that reported it too."""
    n = len(publication)
    first = ids[publication]
    second_index = (publication + rng.integers(1, 4, n)) % len(ids)
    twice = (rng.random(n) < SECOND_PUBLICATION_SHARE) & (second_index != publication)
    both = first.copy()
    both[twice] = first[twice] + ";" + ids[second_index[twice]]
    return both


def _source_terms(rng: np.random.Generator, metric: np.ndarray) -> np.ndarray:
    terms = [SOURCE_TERMS[m] for m in METRICS]
    flat = np.array([t for ts in terms for t in ts], dtype=object)
    offsets = np.cumsum([0] + [len(ts) for ts in terms])[:-1]
    sizes = np.array([len(ts) for ts in terms])
    index = offsets[metric] + (rng.random(len(metric)) * sizes[metric]).astype(np.int64)
    return _optional(flat, np.where(rng.random(len(metric)) < 0.4, index, MISSING))


def _causes(rng: np.random.Generator, metric: np.ndarray) -> np.ndarray:
    violent = np.isin(metric, [list(METRICS).index(m) for m in ("killed", "injured")])
    given = violent & (rng.random(len(metric)) < 0.5)
    cause = rng.integers(0, len(CAUSES), len(metric))
    return _optional(np.array(CAUSES, dtype=object), np.where(given, cause, MISSING))


def _sometimes(rng: np.random.Generator, texts: tuple, n: int, share: float) -> np.ndarray:
    which = rng.integers(0, len(texts), n)
    return _optional(np.array(texts, dtype=object), np.where(rng.random(n) < share, which, MISSING))


def _entry_times(row: np.ndarray) -> np.ndarray:
    """Entry timestamps, one per batch an analyst entered, ten minutes apart."""
    batch = row // ENTRY_BATCH
    moments = ENTERED_FROM + np.arange(batch.max() + 1) * np.timedelta64(600, "s")
    texts = np.array([t + "Z" for t in np.datetime_as_string(moments, unit="s")], dtype=object)
    return texts[batch]


# small helpers ------------------------------------------------------------------


def _places() -> dict:
    """Places of Syria's gazetteer: governorates, cities, the country, a few pairs."""
    gazetteer = Gazetteer.from_files([GAZETTEER_DIR / "syria.csv"])
    chosen = [p for p in gazetteer.places.values() if p.level in ("country", "admin1", "city")]
    codes = [p.code for p in chosen]
    names = [p.name for p in chosen]
    precision = [p.level for p in chosen]
    where = ["across Syria" if p.level == "country" else f"in {p.name}" for p in chosen]
    admin1 = [i for i, p in enumerate(chosen) if p.level == "admin1"]
    for first, second in (("SY07", "SY02"), ("SY01", "SY03"), ("SY04", "SY05"), ("SY09", "SY11")):
        a, b = (gazetteer.places[c] for c in (first, second))
        codes.append(f"{first};{second}")
        names.append(f"{a.name} and rural {b.name}")
        precision.append("region")
        where.append(f"in {a.name} and rural {b.name}")
    level = np.array(precision)
    weights = np.select(
        [level == "admin1", level == "city", level == "country"], [6.0, 1.0, 8.0], 3.0
    )
    return {
        "code": np.array(codes, dtype=object),
        "name": np.array(names, dtype=object),
        "precision": np.array(precision, dtype=object),
        "where": where,
        "admin1": np.array(admin1),
        "series_places": np.arange(len(codes)),
        "series_weights": weights / weights.sum(),
        "incident_places": np.flatnonzero(level == "city"),
    }


def _pick(rng: np.random.Generator, weights: dict, n: int) -> np.ndarray:
    """Indices into `weights`' keys, drawn with its values as probabilities."""
    p = np.array(list(weights.values()), dtype=float)
    return rng.choice(len(p), n, p=p / p.sum())


def _table(texts) -> np.ndarray:
    """Python strings in an object array: indexing it shares them, copying none."""
    texts = list(texts)
    out = np.empty(len(texts), dtype=object)
    out[:] = texts
    return out


def _indices(vocabulary: dict, names: tuple) -> list[int]:
    return [list(vocabulary).index(name) for name in names]


def _terms(vocabulary: dict, index: np.ndarray) -> np.ndarray:
    return np.array(list(vocabulary), dtype=object)[index]


def _optional(texts: np.ndarray, index: np.ndarray) -> np.ndarray:
    """texts[index], None where the index is MISSING."""
    out = texts[np.maximum(index, 0)]
    out[index < 0] = None
    return out


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


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# self-check ---------------------------------------------------------------------


def problem_count(n: int = 10_000, seed: int = 0) -> int:
    """Generate `n` figures and validate them with the core; returns how many problems."""
    sources, publications, figures = synthetic_figures(n, seed)
    problems = problems_in("figures", figures, references_for(sources, publications, figures))
    problems += problems_in("sources", sources) + problems_in("publications", publications)
    for problem in problems[:20]:
        print(problem)
    return len(problems)


def main() -> None:
    """Time the generator and check that what it makes is valid."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    started = time.perf_counter()
    _, publications, figures = synthetic_figures(args.rows, args.seed)
    seconds = time.perf_counter() - started
    length = figures["quote"].str.len()
    print(f"{len(figures):,} figures, {len(publications):,} publications in {seconds:.2f} s")
    print(f"quotes unique: {figures['quote'].is_unique}, length mean {length.mean():.0f}")
    count = problem_count(min(args.rows, 10_000), args.seed)
    print(f"problems in {min(args.rows, 10_000):,} rows: {count}")
    raise SystemExit(1 if count else 0)


if __name__ == "__main__":
    main()
