"""What the synthetic figures are drawn from: the two years of days, the sources,
publishers and headlines, the contract's terms (metrics, groups, qualifiers, units,
date precisions, roles, grades) with how often each is drawn, and the words quotes are
made of. A plan codes each row as positions in these tables; `pick` draws them.
"""

from __future__ import annotations

import numpy as np

# Two years of reports: about 105 weeks, so a week holds ~1% of the figures (the weekly
# summary, workbook and pack work week by week; fifteen years made each week tiny).
FIRST_DAY = np.datetime64("2024-01-01", "D")
LAST_DAY = np.datetime64("2025-12-31", "D")
DAYS = int((LAST_DAY - FIRST_DAY).astype(int)) + 1

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


def pick(rng: np.random.Generator, weights: dict, n: int) -> np.ndarray:
    """Indices into `weights`' keys, drawn with its values as probabilities."""
    p = np.array(list(weights.values()), dtype=float)
    return rng.choice(len(p), n, p=p / p.sum())


def indices(vocabulary: dict, names: tuple) -> list[int]:
    """The positions of `names` among `vocabulary`'s keys (the codes a plan holds)."""
    return [list(vocabulary).index(name) for name in names]
