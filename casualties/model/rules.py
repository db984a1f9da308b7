"""The named rules of `schemas/tables/*.yaml`, one vectorised function each.

Each takes the frame being validated and the `References` it may point to,
and returns a boolean Series: True where the row keeps the rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import contract

if TYPE_CHECKING:
    from .frames import pd

DISJOINT_GROUPS = ("children", "women", "men")


def _at_most(small: pd.Series, large: pd.Series) -> pd.Series:
    """True where small ≤ large or either is missing."""
    import numpy as np

    with np.errstate(invalid="ignore"):
        return (small.isna() | large.isna() | (small <= large)).astype(bool)


def bounds_ordered(f: pd.DataFrame, _refs) -> pd.Series:
    low, best, high = f["value_low"], f["value_best"], f["value_high"]
    return _at_most(low, best) & _at_most(best, high) & _at_most(low, high)


def has_a_number(f: pd.DataFrame, _refs) -> pd.Series:
    return f["value_low"].notna() | f["value_best"].notna() | f["value_high"].notna()


def qualifier_fits_bounds(f: pd.DataFrame, _refs) -> pd.Series:
    low, best, high, q = f["value_low"], f["value_best"], f["value_high"], f["qualifier"]
    exact = low.notna() & (low == high).fillna(False) & (best.isna() | (best == low)).fillna(False)
    fits = {
        "exact": exact,
        "about": best.notna(),
        "at_least": low.notna(),
        "more_than": low.notna(),
        "at_most": high.notna(),
        "fewer_than": high.notna(),
        "between": low.notna() & high.notna() & (low < high).fillna(False),
        "vague": low.notna() & high.notna() & f["value_words"].notna(),
    }
    ok = q.isna() | ~q.isin(list(fits))  # unknown qualifiers fail their vocabulary check
    for term, condition in fits.items():
        ok = ok | ((q == term) & condition.astype(bool))
    return ok.astype(bool)


def household_size_given(f: pd.DataFrame, _refs) -> pd.Series:
    # Without a size a household count stays in households: no people are derived.
    return (f["unit"] != "people") | f["household_size"].isna()


def people_derived(f: pd.DataFrame, _refs) -> pd.Series:
    ok = f["unit"].notna()
    for part in ("low", "best", "high"):
        expected = people_from(f[f"value_{part}"], f["unit"], f["household_size"])
        got = f[f"people_{part}"]
        ok &= (expected.isna() & got.isna()) | (expected == got).fillna(False)
    return (ok | f["unit"].isna()).astype(bool)


# The largest count stored: every integer up to it is a float too, so a spreadsheet,
# a JSON reader or JavaScript holds it exactly (2^53 + 1 would come back as 2^53).
LARGEST_COUNT = 2**53


def people_from(values: pd.Series, unit: pd.Series, household_size: pd.Series) -> pd.Series:
    """Counts in people: households or families × size, rounded half up (as IDMC Helix).

    None beyond LARGEST_COUNT: no such number of people is stored (the rule
    people_derived then names the figure).
    """
    import numpy as np

    from .frames import pd

    # A size that is no number (':') derives nothing: its type check names the cell.
    sizes = pd.to_numeric(household_size, errors="coerce")
    size = sizes.where(unit != "people", 1.0).astype("Float64")
    people = np.floor(values.astype("Float64") * size + 0.5)
    return people.where(people.abs() <= LARGEST_COUNT).astype("Int64")


def period_ordered(f: pd.DataFrame, _refs) -> pd.Series:
    return _at_most(f["period_start"], f["period_end"])


def reported_after_end(f: pd.DataFrame, _refs) -> pd.Series:
    return _at_most(f["period_end"], f["reported_on"])


def change_explained(f: pd.DataFrame, _refs) -> pd.Series:
    first_active = (f["version"] == 1).fillna(False) & (f["status"] == "active")
    return (first_active | f["change_reason"].notna()).astype(bool)


def not_own_parent(f: pd.DataFrame, _refs) -> pd.Series:
    return ((f["part_of"] != f["id"]) | f["part_of"].isna()) & (
        (f["supersedes"] != f["id"]) | f["supersedes"].isna()
    )


def _parents(f: pd.DataFrame, refs) -> pd.DataFrame:
    """For each row, its parent's metric, group and high (NaN where none)."""
    key = ("parents", id(f), len(f))
    if key not in refs.shared:
        refs.shared.clear()
        refs.shared[key] = _looked_up_parents(f, refs)
    return refs.shared[key]


def _looked_up_parents(f: pd.DataFrame, refs) -> pd.DataFrame:
    known = _known(f, refs, ["id", "metric", "population_group", "value_high"])
    return known.reindex(f["part_of"]).set_axis(f.index)


def subset_same_metric(f: pd.DataFrame, refs) -> pd.Series:
    parent = _parents(f, refs)
    return f["part_of"].isna() | parent["metric"].isna() | (parent["metric"] == f["metric"])


def subset_narrower_group(f: pd.DataFrame, refs) -> pd.Series:
    from .frames import pd

    parent = _parents(f, refs)
    allowed = {
        (g, broader)
        for g in contract.terms("population_group")
        for broader in contract.broader_groups(g)
    }
    linked = f["part_of"].notna() & parent["population_group"].notna()
    pairs = zip(
        f.loc[linked, "population_group"], parent.loc[linked, "population_group"], strict=True
    )
    fits = pd.Series(True, index=f.index)
    if linked.any():
        fits[linked] = [pair in allowed for pair in pairs]
    return fits


def subset_within_parent(f: pd.DataFrame, refs) -> pd.Series:
    parent = _parents(f, refs)
    return f["part_of"].isna() | _at_most(f["value_low"], parent["value_high"])


def parts_within_parent(f: pd.DataFrame, refs) -> pd.Series:
    """Disjoint subsets (children, women, men) together fit in their parent."""
    from .frames import pd

    columns = ["id", "part_of", "population_group", "value_low", "status"]
    frames = [f[columns]]
    if refs.figures is not None and "status" in refs.figures:
        frames.append(refs.figures[columns])
    parts = pd.concat(frames).drop_duplicates("id")
    parts = parts[
        parts["part_of"].notna()
        & parts["population_group"].isin(DISJOINT_GROUPS)
        & (parts["status"] == "active")
    ]
    total = parts.groupby("part_of")["value_low"].sum()
    # astype: with pyarrow installed, an empty str column keeps its str dtype through map.
    in_part = f["part_of"].map(total).astype(total.dtype)
    in_part = in_part.where(f["population_group"].isin(DISJOINT_GROUPS))
    return f["part_of"].isna() | _at_most(in_part, _parents(f, refs)["value_high"])


def supersedes_same_count(f: pd.DataFrame, refs) -> pd.Series:
    """A correction replaces a count of the same source, metric and group, or none at all."""
    columns = ["id", "source_id", "metric", "population_group"]
    replaced = _known(f, refs, columns).reindex(f["supersedes"]).set_axis(f.index)
    same = (replaced[columns[1:]] == f[columns[1:]]).fillna(False).all(axis=1).astype(bool)
    # A correction naming no stored figure is the reference check's to report.
    return f["supersedes"].isna() | replaced["metric"].isna() | same


def subsets_not_circular(f: pd.DataFrame, refs) -> pd.Series:
    """Following part_of from a figure never leads back to it (A of B of A stands under nothing)."""
    from .frames import pd

    parent_of = _known(f, refs, ["id", "part_of"])["part_of"].dropna().to_dict()
    fits = pd.Series(True, index=f.index)
    for at, figure in f.loc[f["part_of"].notna(), "id"].items():
        seen, step = {figure}, parent_of.get(figure)
        while step is not None and step not in seen:
            seen.add(step)
            step = parent_of.get(step)
        fits[at] = step is None
    return fits


def _known(f: pd.DataFrame, refs, columns: list[str]) -> pd.DataFrame:
    """`columns` of the rows being checked and the stored figures they may name, by id."""
    from .frames import pd

    frames = [f[columns]]
    if refs.figures is not None:
        frames.append(refs.figures[columns])
    return pd.concat(frames).drop_duplicates("id").set_index("id")


def retrieved_after_published(f: pd.DataFrame, _refs) -> pd.Series:
    return _at_most(f["published_on"], f["retrieved_on"])


RULES = {
    "figures": {
        rule.__name__: rule
        for rule in (
            bounds_ordered,
            has_a_number,
            qualifier_fits_bounds,
            household_size_given,
            people_derived,
            period_ordered,
            reported_after_end,
            change_explained,
            not_own_parent,
            subset_same_metric,
            subset_narrower_group,
            subset_within_parent,
            parts_within_parent,
            supersedes_same_count,
            subsets_not_circular,
        )
    },
    "publications": {"retrieved_after_published": retrieved_after_published},
}
