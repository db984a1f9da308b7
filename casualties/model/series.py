"""Series and report order: which figures count the same thing, and which is newer.

A series is one source's count of one metric for one group, unit, kind
(stock or flow), place and anchor, as `counting.counting_view` reads them;
its reports are ordered by `recency`. These keys are
computed here once, for the aggregation rules in memory and for the store's
`figure_keys` table, which lets SQLite pick a week's figures without
reading every row.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from .frames import pd

SOURCE_KEY = ["source_id", "metric", "population_group", "unit", "kind"]
SERIES_KEY = [*SOURCE_KEY, "place_codes", "anchor"]
RECENCY_COLUMNS = ("period_end", "reported_on", "version", "id")
# recency packs, high bits first: the period's end and the report's day (days since
# 1900, 17 bits each), the version (8 bits) and, for reports equal in all three, a
# 20-bit hash of the id, so that every copy of the rules picks the same one.
EPOCH = date(1970, 1, 1)
RECENCY_EPOCH = date(1900, 1, 1)
END_SHIFT, REPORTED_SHIFT, VERSION_SHIFT = 45, 28, 20
DAY_BITS = 17


def recency(frame: pd.DataFrame | dict) -> pd.Series:
    """A number that orders reports by period end, then report day, then version, then id."""
    import numpy as np

    from .frames import pd

    end = _recency_days(days(frame["period_end"]))
    reported = _recency_days(days(frame["reported_on"]))
    version = np.asarray(frame["version"]).astype("int64") % 2 ** (REPORTED_SHIFT - VERSION_SHIFT)
    tie = id_hashes(frame["id"]) % 2**VERSION_SHIFT
    number = (end << END_SHIFT) + (reported << REPORTED_SHIFT) + (version << VERSION_SHIFT) + tie
    return pd.Series(number, index=getattr(frame, "index", None))


def _recency_days(numbers: np.ndarray) -> np.ndarray:
    # Days before 1900 all count as 1900: no conflict this tool tracks reaches back so far.
    import numpy as np

    return np.clip(np.asarray(numbers) - day_number(RECENCY_EPOCH), 0, 2**DAY_BITS - 1)


def id_hashes(ids) -> np.ndarray:
    """A stable non-negative 63-bit number per id (pandas' SipHash with its fixed key)."""
    import numpy as np

    from .frames import pd

    hashed = pd.util.hash_array(np.asarray(ids, dtype=object), categorize=False)
    return (hashed >> np.uint64(1)).astype("int64")


def recency_end_day(number: int) -> date:
    """The period end a recency number holds."""
    from datetime import timedelta

    return RECENCY_EPOCH + timedelta(days=number >> END_SHIFT)


def days(dates) -> np.ndarray:
    """Days since 1970 of ISO date strings, as int64 (each distinct date parsed once)."""
    from .frames import pd

    codes, distinct = pd.factorize(dates)
    numbers = pd.Index(distinct).to_numpy().astype("datetime64[D]").astype("int64")
    return numbers[codes]


def day_number(day: date) -> int:
    """Days since 1970."""
    return (day - EPOCH).days


def first_recency(day: date) -> int:
    """The lowest recency of a report whose period ends on `day`."""
    return int(_recency_days(day_number(day))) << END_SHIFT


def recency_report_day(column: str) -> str:
    """SQL for the report day (as days since 1900) held in a recency column."""
    return f"(({column} >> {REPORTED_SHIFT}) & {2**DAY_BITS - 1})"


def recency_day(day: date) -> int:
    """A day as recency counts it (days since 1900)."""
    return int(_recency_days(day_number(day)))


def key_codes(frame: pd.DataFrame | dict, key: list[str]) -> np.ndarray:
    """One integer per distinct combination of the `key` columns (faster to group by than text)."""
    return _combined(_factorised(frame, key))


def series_and_source_codes(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """key_codes of SERIES_KEY and of SOURCE_KEY, its prefix, factorising the columns once."""
    columns = _factorised(frame, SERIES_KEY)
    source = _combined(columns[: len(SOURCE_KEY)])
    return _combined([source, *columns[len(SOURCE_KEY) :]]), source


def key_hashes(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Stable 64-bit numbers naming each row's series and its source key, in every session.

    Each distinct key is hashed once (BLAKE2b); a store keeps these numbers, so
    they must not depend on pandas' or Python's own hashing. The columns are
    factorised once for both keys (the source key is the series key's prefix).
    """
    series, source = series_and_source_codes(frame)
    return _hashed(frame, series, SERIES_KEY), _hashed(frame, source, SOURCE_KEY)


def _factorised(frame: pd.DataFrame | dict, key: list[str]) -> list[np.ndarray]:
    from .frames import pd

    return [pd.factorize(frame[name], use_na_sentinel=False)[0] for name in key]


def _combined(columns: list[np.ndarray]) -> np.ndarray:
    """One dense code per distinct combination of several columns of codes, in order of
    first appearance."""
    from .frames import pd

    codes = columns[0]
    for column in columns[1:]:
        codes = pd.factorize(codes * (int(column.max(initial=0)) + 1) + column)[0]
    return codes


def _hashed(frame: pd.DataFrame, codes: np.ndarray, key: list[str]) -> np.ndarray:
    import numpy as np

    from .frames import pd

    first = pd.Series(codes).drop_duplicates().index.to_numpy()
    distinct = zip(*(frame[name].to_numpy()[first] for name in key), strict=True)
    numbers = np.array([_hash("\x1f".join(map(str, values))) for values in distinct], "int64")
    # codes number the keys in order of first appearance, as `first` lists them.
    return numbers[codes]


def _hash(text: str) -> int:
    digest = hashlib.blake2b(text.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def newest_positions(frame: pd.DataFrame, rows: np.ndarray, key: list[str]) -> np.ndarray:
    """Positions of the most recent report of each `key` among the `rows` (a boolean mask)."""
    import numpy as np

    positions = np.flatnonzero(rows)
    if not len(positions):
        return positions
    # Only the columns needed, as arrays: taking whole rows of a million costs more.
    chosen = {name: frame[name].to_numpy()[positions] for name in {*key, *RECENCY_COLUMNS}}
    codes = key_codes(chosen, key)
    # Sorted by key, then recency: the last row of each key is its newest.
    order = np.lexsort((recency(chosen).to_numpy(), codes))
    last = np.append(codes[order][1:] != codes[order][:-1], True)
    return positions[order[last]]
