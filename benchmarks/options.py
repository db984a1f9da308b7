"""The bench's command line: sizes, repeats, the cases to run (or, inside, the one
case a child process runs)."""

from __future__ import annotations

import argparse
from pathlib import Path

from .cases import CASE_ORDER, CASES

SIZES = (10_000, 100_000, 1_000_000)


QUICK_SIZES = (10_000,)


CASE_TIMEOUT_SECONDS = 3600  # each run of a case


REPEATS = 3


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line: sizes to run, or (internal) the one case a child process runs."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description="Benchmark validate, insert, list, summary, workbook, pack, a chart, --help.",
    )
    parser.add_argument("--sizes", type=_sizes, default=SIZES, help="e.g. 10000,100000")
    parser.add_argument("--quick", action="store_true", help="only 10,000 rows (a smoke run)")
    parser.add_argument(
        "--repeats",
        type=_repeats,
        default=REPEATS,
        help=f"runs of each case and of its floor, in turn; medians shown (default {REPEATS})",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=CASE_TIMEOUT_SECONDS)
    parser.add_argument(
        "--skip-1m-workbook",
        action="store_true",
        help="skip the workbook and the pack (which writes it) at 1,000,000 rows",
    )
    parser.add_argument(
        "--only",
        type=case_names,
        default=frozenset(),
        help="only these cases, comma-separated (e.g. 'import csv,read+validate csv'); insert"
        " runs too when a case reads its store; 'everyday' and '--help' name those rows",
    )
    parser.add_argument("--child", choices=list(CASES), help=argparse.SUPPRESS)
    parser.add_argument("--floor", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a list of row counts: {text!r}") from error
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"not a list of row counts: {text!r}")
    return sizes


def case_names(text: str) -> frozenset[str]:
    names = frozenset(part.strip() for part in text.split(",") if part.strip())
    unknown = names - set(CASES) - {"everyday", "--help"}
    if unknown or not names:
        known = ", ".join([*CASES, "everyday", "--help"])
        raise argparse.ArgumentTypeError(f"no such case {sorted(unknown)}: one of {known}")
    return names


def cases_to_run(only: frozenset[str]) -> frozenset[str]:
    """The cases asked for, and insert where one of them reads the store it writes."""
    if not only:
        return frozenset([*CASES, "everyday", "--help"])
    readers = set(CASE_ORDER[CASE_ORDER.index("insert") + 1 :])
    return only | ({"insert"} if only & readers else set())


def _repeats(text: str) -> int:
    try:
        repeats = int(text)
    except ValueError:
        repeats = 0
    if repeats < 1:
        raise argparse.ArgumentTypeError(f"not a number of runs (1 or more): {text!r}")
    return repeats
