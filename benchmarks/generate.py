"""Realistic synthetic figures for the benchmarks, drawn with numpy from one seed.

Most figures belong to cumulative series (one source's running count of one
metric, for one group, in one place) whose values rise from report to report;
the rest are single incidents, and about 5% are subsets (children, women, ...)
of an earlier figure. Every row is complete and keeps the data contract:
`python -m benchmarks.generate` checks that on 10,000 rows.

The rows are planned as integer codes with numpy (`plans`), drawn from the
`vocabulary` and `places` tables; text comes last (`tables`, `wording`).
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np

from casualties.model.frames import pd
from casualties.model.validation import References, problems_in

from .places import place_table
from .plans import (
    add_bounds,
    concat_plans,
    cumulative_plan,
    in_report_order,
    incident_plan,
    subset_plan,
)
from .tables import figures_frame, publications_frame, sources_frame
from .vocabulary import DAYS

SUBSET_SHARE = 0.05
INCIDENT_SHARE = 0.15
FIGURES_PER_PUBLICATION = 20


def synthetic_figures(n: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Sources, publications and `n` valid figures, the same for the same seed."""
    rng = np.random.default_rng(seed)
    places = place_table()
    sources = sources_frame()
    n_publications = max(2, math.ceil(n / FIGURES_PER_PUBLICATION))
    publication_days = np.sort(rng.integers(30, DAYS, n_publications))
    publications = publications_frame(rng, publication_days, places)
    n_subsets = round(n * SUBSET_SHARE)
    n_incidents = round(n * INCIDENT_SHARE)
    base = concat_plans(
        cumulative_plan(rng, n - n_subsets - n_incidents, publication_days, places),
        incident_plan(rng, n_incidents, publication_days, places),
    )
    add_bounds(rng, base)
    plan = concat_plans(base, subset_plan(rng, base, n_subsets))
    # Too few parents for the subsets asked (a tiny n): more incidents make up the rows.
    extra = incident_plan(rng, n - len(plan["count"]), publication_days, places)
    add_bounds(rng, extra)
    plan = in_report_order(concat_plans(plan, extra))
    figures = figures_frame(rng, plan, places, publications["id"].to_numpy(dtype=object))
    return sources, publications, figures


def references_for(
    sources: pd.DataFrame, publications: pd.DataFrame, figures: pd.DataFrame
) -> References:
    """The References a batch of generated figures is validated against."""
    return References(
        source_ids=set(sources["id"]), publication_ids=set(publications["id"]), figures=figures
    )


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
