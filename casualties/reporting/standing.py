"""Standing totals over time: a source's cumulative total after each report, by events.

A source's total for a metric and group adds the latest report of each of
its series ("lanes" here: reports with the same places and anchor share one
lane, whose newest report stands), leaving out a lane that lies inside
another: its places inside the other's, and its anchor no earlier, the
other's count running past that anchor when it first appeared (the broader,
longer count already holds it: "since the ceasefire broke down" within
"since the war began"; a count begun after another stopped is added to it).
A counted lane is never below what the lanes inside it hold: a country's 100
with its own province's 111 stands at 111. Walking the reports in order
and updating the total as each arrives costs one step per report, where
recomputing the total at every week or day would cost one per series and
time.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..model import contract
from ..model.counting import counting_view, standing_mask
from ..model.gazetteer import places_overlap, places_within
from ..model.missing import count_or_none
from ..model.series import SOURCE_KEY, key_codes, recency
from .bounds import Bounds

if TYPE_CHECKING:
    import numpy as np

    from ..model.frames import pd

STEP_PARTS = ("low", "best", "high")
SEP = contract.LIST_SEPARATOR


def standing_steps(
    cumulative: pd.DataFrame, key: list[str], times: np.ndarray, groups: np.ndarray | None = None
) -> pd.DataFrame:
    """Per `key`, the total standing after the last report of each time that has reports.

    `cumulative` holds active cumulative reports (the key columns,
    place_codes, value_low/best/high, id and the recency columns); `times`
    gives each report's time (a week or day number, rising with period_end).
    Columns: the key, _time, low, best (missing if any counted best is),
    high (likewise), ids (tuple, the counted reports in order of their
    lanes' first report). `groups`: key_codes of `key`, where known already.
    """
    import numpy as np

    from ..model.frames import pd

    columns = [*key, "_time", *STEP_PARTS, "ids"]
    if cumulative.empty:
        return pd.DataFrame(columns=columns)
    if groups is None:
        groups = key_codes(cumulative, key)
    ranked = cumulative["_recency"] if "_recency" in cumulative.columns else recency(cumulative)
    order = np.lexsort((ranked.to_numpy(), groups))
    group, time = groups[order], np.asarray(times)[order]
    lanes = _lanes(cumulative)
    # A step is taken after the last report of each group and time.
    last = np.append((group[1:] != group[:-1]) | (time[1:] != time[:-1]), True)
    rows = zip(
        group.tolist(),
        time.tolist(),
        [lanes[i] for i in order.tolist()],
        *(_counts(cumulative[f"value_{p}"].iloc[order]) for p in STEP_PARTS),
        cumulative["id"].to_numpy()[order].tolist(),
        cumulative["period_end"].to_numpy()[order].tolist(),
        last.tolist(),
        strict=True,
    )
    stocks = set(groups[(cumulative["basis"] == "stock").to_numpy()].tolist())
    steps = _walk(rows, _Places(cumulative["place_codes"].unique().tolist()), stocks)
    first_of_group = np.unique(groups, return_index=True)[1]
    values = zip(*(cumulative[k].to_numpy()[first_of_group].tolist() for k in key), strict=True)
    labels = dict(zip(groups[first_of_group].tolist(), values, strict=True))
    return pd.DataFrame(
        [(*labels[group], *rest) for group, *rest in steps], columns=columns
    ).astype({"best": "Int64", "high": "Int64"})


def _counts(values: pd.Series) -> list:
    """Python ints, None where missing."""
    return values.astype("Int64").to_numpy(dtype=object, na_value=None).tolist()


def _lanes(cumulative: pd.DataFrame) -> list[tuple[str, str]]:
    """Each report's lane: (its places, its anchor)."""
    places = cumulative["place_codes"].tolist()
    if "anchor" not in cumulative.columns:
        return [(p, "") for p in places]
    return list(zip(places, cumulative["anchor"].tolist(), strict=True))


class _Places:
    """For each place list present, itself and the lists it lies inside, and those inside it.

    A lane (places, anchor) lies inside another when its places are the
    other's or inside them and its anchor is no earlier.
    """

    def __init__(self, places: list[str]):
        pairs = [(p, q) for p in places for q in places if p != q and places_within(p, q)]
        self.outer: dict[str, list[str]] = {p: [p] for p in places}
        self.inner: dict[str, list[str]] = {p: [p] for p in places}
        for inside, around in pairs:
            self.outer[inside].append(around)
            self.inner[around].append(inside)
        self.inner_sets = {p: set(inner) for p, inner in self.inner.items()}
        self._overlaps: dict[tuple[str, str], bool] = {}

    def overlap(self, first: str, second: str) -> bool:
        """Whether two place lists share ground (remembered: the gazetteer is slow to ask)."""
        pair = (first, second)
        if pair not in self._overlaps:
            self._overlaps[pair] = places_overlap(first, second)
        return self._overlaps[pair]


def _walk(rows, places_of: _Places, stocks: set) -> list[tuple]:
    """(group, time, low, best, high, ids) after the last report of each group and time.

    `stocks`: the groups counting a stock, whose older levels inside a newer
    one do not raise it.
    """
    steps = []
    group = None
    for code, time, places, low, best, high, figure, end, last in rows:
        if code != group:
            group, lanes, total = code, _Lanes(), _Total(code in stocks)
        lane = (low or 0, best, high, figure, end)
        if places not in lanes:
            total.admit(places, lane, lanes, places_of)
        elif places in total.counted:
            total.remove(lanes[places])
            total.add(lane)
            total.counted[places] = figure
            if end > lanes[places][4]:
                total.hold_inside(places, end, lanes, places_of)
        lanes[places] = lane
        if last:
            bounds, ids = total.bounds(), tuple(total.counted.values())
            if total.held:
                bounds, ids = _raised_by_inner(total, lanes, places_of, bounds, ids)
            if total.shared:
                bounds = _overlaps_bounded(total, lanes, places_of, bounds)
            steps.append((code, time, *bounds, ids))
    return steps


def _raised_by_inner(total, lanes, places_of, bounds: tuple, ids: tuple) -> tuple:
    """The total with each counted lane raised to what the lanes inside it hold.

    A source's count for a country cannot be below its own count for a
    province of it: SOHR's 100 for Syria and 111 for Idlib are at least 111.
    A stock is a level on its day: a district's IDPs of last year do not
    raise this year's count for its province (IOM's round that left it out).
    The lanes directly inside a counted one add up where their places are
    disjoint (else the largest stands); the ids of those that raise it join.
    Which lanes hold which changes only when a lane is admitted, so it is
    worked out then, not at every step.
    """
    if total.holding is None:
        total.holding = _holding(total, lanes, places_of)
    low, best, high = bounds
    for outer, (inside, tops, disjoint) in total.holding.items():
        outer_low, outer_best, outer_high, _, outer_end = lanes[outer]
        if total.stock:
            inside = [lane for lane in inside if lanes[lane][4] >= outer_end]
            tops = [lane for lane in tops if lanes[lane][4] >= outer_end]
        # What the inner lanes hold is at most all their lows: usually no more than the outer.
        if not tops or sum(lanes[lane][0] for lane in inside) <= outer_low:
            continue
        lows = [lanes[lane][0] for lane in tops]
        held = sum(lows) if disjoint else max(lows)
        if held <= outer_low:
            continue
        low += held - outer_low
        if best is not None and outer_best is not None and outer_best < held:
            best += held - outer_best
        if high is not None and outer_high is not None and outer_high < held:
            high += held - outer_high
        chosen = tops if disjoint else [tops[lows.index(held)]]
        ids += tuple(lanes[lane][3] for lane in chosen)
    return (low, best, high), ids


def _overlaps_bounded(total, lanes, places_of, bounds: tuple) -> tuple:
    """The total where counted lanes share some ground: at least the largest, at most all.

    Lanes of one source that overlap in part ("Idlib and rural Aleppo",
    "Aleppo and Hama") may count the same dead: together they hold at least
    the largest low and at most the sum of the highs; the best is unknown.
    """
    if total.clusters is None:
        total.clusters = _overlapping(list(total.counted), places_of)
    low, best, high = bounds
    for cluster in total.clusters:
        lows = [lanes[lane][0] for lane in cluster]
        low -= sum(lows) - max(lows)
        best = None
    return low, best, high


def _overlapping(counted: list[tuple], places_of: _Places) -> list[list[tuple]]:
    """Groups of counted lanes linked by sharing ground (only lists of several places can)."""
    several = [lane for lane in counted if SEP in lane[0]]
    clusters: list[list[tuple]] = []
    for lane in several:
        linked = [c for c in clusters if any(_share(lane, other, places_of) for other in c)] + [
            [o] for o in counted if o not in several and _share(lane, o, places_of)
        ]
        merged = [lane, *(o for c in linked for o in c if o != lane)]
        clusters = [c for c in clusters if c not in linked] + [list(dict.fromkeys(merged))]
    return [c for c in clusters if len(c) > 1]


def _share(first: tuple, second: tuple, places_of: _Places) -> bool:
    return first[0] != second[0] and places_of.overlap(first[0], second[0])


def _holding(total, lanes, places_of) -> dict[tuple, tuple]:
    """Per counted lane holding others: (the lanes it holds, the outermost, disjoint?)."""
    held_by: dict[tuple, list[tuple]] = {}
    for lane in total.held:
        for codes in places_of.outer[lane[0]]:
            for outer in lanes.by_places.get(codes, ()):
                if outer in total.counted and _holds(outer, lane, places_of):
                    held_by.setdefault(outer, []).append(lane)
    holding = {}
    for outer, inside in held_by.items():
        tops = _outermost(inside, places_of)
        disjoint = not any(
            places_of.overlap(a[0], b[0]) for n, a in enumerate(tops) for b in tops[n + 1 :]
        )
        holding[outer] = (inside, tops, disjoint)
    return holding


def _outermost(lanes: list[tuple], places_of: _Places) -> list[tuple]:
    """The lanes no other of them holds."""
    by_places: dict[str, list[tuple]] = {}
    for lane in lanes:
        by_places.setdefault(lane[0], []).append(lane)
    return [
        lane
        for lane in lanes
        if not any(
            _holds(other, lane, places_of)
            for codes in places_of.outer[lane[0]]
            for other in by_places.get(codes, ())
        )
    ]


def _holds(outer: tuple, inner: tuple, places_of: _Places) -> bool:
    """Whether lane `outer` holds lane `inner` (places inside, anchor no earlier)."""
    return outer != inner and inner[1] >= outer[1] and inner[0] in places_of.inner_sets[outer[0]]


class _Lanes(dict):
    """A source key's lanes met so far, each with its current report, found by place list."""

    def __init__(self):
        super().__init__()
        self.by_places: dict[str, list[tuple]] = {}

    def __setitem__(self, lane: tuple, report: tuple) -> None:
        if lane not in self:
            self.by_places.setdefault(lane[0], []).append(lane)
        super().__setitem__(lane, report)


class _Total:
    """Running sums over the counted lanes; a missing best or high makes that sum missing."""

    def __init__(self, stock: bool = False):
        self.stock = stock
        # The counted lanes in order of appearance, each with its current report's id.
        self.counted: dict[str, str] = {}
        # The lanes left out because another holds them, in order of appearance, and
        # which counted lane holds which (worked out again after each admission).
        self.held: dict[tuple, None] = {}
        self.holding: dict | None = None
        # Whether a counted lane names several places (only those overlap in part),
        # and the counted lanes sharing ground (worked out again after each admission).
        self.shared = False
        self.clusters: list | None = None
        self.low = self.best = self.high = 0
        self.best_missing = self.high_missing = 0

    def admit(self, places: tuple, lane: tuple, lanes: _Lanes, places_of: _Places) -> None:
        """A new lane: it counts unless inside another; lanes inside it stop counting."""
        where, since = places
        by_places = lanes.by_places
        self.holding = self.clusters = None
        self.hold_inside(places, lane[4], lanes, places_of)
        around = (
            True
            for codes in places_of.outer[where]
            for other in by_places.get(codes, ())
            if other[1] <= since and (other[1] == since or lanes[other][4] >= since)
        )
        if not any(around):
            self.counted[places] = lane[3]
            self.add(lane)
            self.shared = self.shared or SEP in where
        else:
            self.held[places] = None

    def hold_inside(self, places: tuple, end: str, lanes: _Lanes, places_of: _Places) -> None:
        """Counted lanes inside `places` whose start its count now runs past stop counting.

        "Since the ceasefire broke down" begun after "since the war began" last
        stood is added to it; once the longer count runs past that start, it
        holds the shorter one, which then counts no more.
        """
        where, since = places
        for codes in places_of.inner[where]:
            for other in lanes.by_places.get(codes, ()):
                if other != places and since <= other[1] <= end and other in self.counted:
                    self.remove(lanes[other])
                    del self.counted[other]
                    self.held[other] = None
                    self.holding = self.clusters = None

    def add(self, lane: tuple, sign: int = 1) -> None:
        low, best, high, *_ = lane
        self.low += sign * low
        if best is None:
            self.best_missing += sign
        else:
            self.best += sign * best
        if high is None:
            self.high_missing += sign
        else:
            self.high += sign * high

    def remove(self, lane: tuple) -> None:
        self.add(lane, -1)

    def bounds(self) -> tuple[int, int | None, int | None]:
        return (
            self.low,
            None if self.best_missing else self.best,
            None if self.high_missing else self.high,
        )


def carried_forward(steps: pd.DataFrame, key: list[str], times: int) -> pd.DataFrame:
    """The steps with a row for every time from each key's first step to `times` - 1.

    A time without a report of its own shows the total standing from before.
    """
    import numpy as np

    from ..model.frames import pd

    codes = key_codes(steps, key)
    first = pd.Series(steps["_time"].to_numpy()).groupby(codes).min()
    lengths = (times - first).clip(lower=0).to_numpy()
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    grid = pd.DataFrame(
        {
            "_code": np.repeat(first.index.to_numpy(), lengths),
            "_time": np.repeat(first.to_numpy(), lengths) + offsets,
        }
    )
    at = pd.Series(np.arange(len(steps)), index=pd.MultiIndex.from_arrays([codes, steps["_time"]]))
    found = at.reindex(pd.MultiIndex.from_frame(grid)).to_numpy()
    # Each time takes the whole row of its key's latest step (not column by column:
    # a step's missing best must stay missing, not inherit an older step's).
    latest = pd.Series(found).groupby(grid["_code"].to_numpy()).ffill().to_numpy()
    carried = steps.iloc[latest.astype("int64")].reset_index(drop=True)
    return carried.assign(_time=grid["_time"].to_numpy(), _code=grid["_code"].to_numpy())


def standing_totals(figures: pd.DataFrame, day: date) -> dict[tuple, Bounds]:
    """Each source's standing total per source key (SOURCE_KEY) at the end of `day`."""
    import numpy as np

    cumulative = counting_view(figures)
    cumulative = cumulative[standing_mask(cumulative)]
    cumulative = cumulative[cumulative["period_end"] <= day.isoformat()]
    steps = standing_steps(cumulative, SOURCE_KEY, np.zeros(len(cumulative), dtype="int64"))
    return {
        tuple(row[: len(SOURCE_KEY)]): Bounds(
            row.low, count_or_none(row.best), count_or_none(row.high), row.ids
        )
        for row in steps.itertuples(index=False)
    }
