"""The places synthetic figures are counted in: Syria's governorates, cities and the
country from the bundled gazetteer, plus a few two-governorate regions, with the
weights series and incidents are spread over them by.
"""

from __future__ import annotations

import numpy as np

from casualties.model.gazetteer import GAZETTEER_DIR, Gazetteer


def place_table() -> dict:
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
