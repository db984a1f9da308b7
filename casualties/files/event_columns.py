"""What UCDP's and ACLED's columns say that the mapping files in schemas/datasets/ do not yet.

The country and admin-name columns an event is placed by, the codes of
precision and violence in the contract's words, the report day, the
coordinates and the outlets the dataset read. Each dataset's keys sit here
beside its mapping file; a key the mapping file gives wins, so moving these
into `schemas/datasets/NAME.yaml` is a cut and paste.
"""

from __future__ import annotations

# UCDP GED codebook (ucdp.uu.se, GED codebook 19.1): where_prec, date_prec, type_of_violence.
UCDP_GED = {
    "country": ["iso3", "country"],  # iso3 in HDX's copy; the API export names the country
    "admin1": "adm_1",
    "admin2": "adm_2",
    # The place as UCDP words it: these columns' words, each once ("Bhāndāria town, ...").
    "place_words": ["where_description", "where_coordinates", "adm_2", "adm_1", "country"],
    "precision": {
        "column": "where_prec",
        # 2, "within 25 km of a known point", is a town and its surroundings: `city`.
        "terms": {"1": "point", "2": "city", "3": "admin2", "4": "admin1", "5": "region"}
        | {"6": "country", "7": "region"},
        "words": {
            "1": "exact location",
            "2": "within 25 km of a known point",
            "3": "within an admin2 area",
            "4": "within an admin1 area",
            "5": "larger than an admin1 area or along a line",
            "6": "somewhere in the country",
            "7": "international waters or airspace",
        },
    },
    "date_precision": {
        "column": "date_prec",
        "terms": {"1": "day", "2": "week", "3": "week", "4": "month", "5": "year"},
    },
    "reported_on": ["source_date", "date_end"],  # the first report; else the event's last day
    "cause": {
        "column": "type_of_violence",
        "terms": {
            "1": "state-based conflict",
            "2": "non-state conflict",
            "3": "one-sided violence",
        },
        "parties": ["dyad_name"],
    },
    "coordinates": ["latitude", "longitude"],
    "outlets": "source_office",
    "told_by": "source_original",
}

# ACLED codebook (acleddata.com, 2023): geo_precision, time_precision; timestamp in Unix time.
ACLED = {
    "country": ["iso3", "country"],  # ACLED's `iso` is numeric: the name says the country
    "admin1": "admin1",
    "admin2": "admin2",
    "place_words": ["location", "admin2", "admin1", "country"],
    "precision": {
        "column": "geo_precision",
        "terms": {"1": "city", "2": "admin2", "3": "admin1"},
        "words": {
            "1": "the town named",
            "2": "near the town named, in its admin2 area",
            "3": "only the admin1 area known",
        },
    },
    "date_precision": {
        "column": "time_precision",
        "terms": {"1": "day", "2": "week", "3": "month"},
    },
    "reported_on": ["timestamp", "event_date"],  # when ACLED last changed the event
    "cause": {"parties": ["actor1", "actor2"], "between": " against "},
    "coordinates": ["latitude", "longitude"],
    "outlets": "source",
}

EXTRA_COLUMNS = {"ucdp-ged": UCDP_GED, "acled": ACLED}


def with_extra_columns(name: str, spec: dict) -> dict:
    """A dataset's mapping with the keys this module holds for it (the mapping's own win)."""
    return {**EXTRA_COLUMNS.get(name, {}), **spec}
