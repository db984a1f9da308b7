"""The bench's runner: `make bench` (python -m benchmarks.run).

For 10k, 100k and 1M synthetic figures it times validate, bulk insert,
`list --format csv`, the weekly `summary` (through the library and as the CLI),
the Excel `workbook`, the weekly `pack`, `one chart`, the CSV export, the CSV
and xlsx imports and the typed read and validation of the imported CSV, each
beside its floor: the same job done the cheapest honest way (plain pandas
masks, a bare sqlite3 executemany, pandas.read_sql, groupby().idxmax(), bare
xlsxwriter, a bare matplotlib step plot, pandas.read_csv). Then real files
(`cases.REAL_FILES`), the everyday commands, and `casualties --help` against
`import click`.

Each case and its floor run in turn (case, floor, case, floor, ...), `--repeats`
times (3 unless told), so that a machine's drift from minute to minute (another
process, a warm disk cache) falls on both alike; the table shows the median of
each one's wall and CPU seconds, and the largest peak. Every run is a fresh
process: its input is prepared there untimed, then the process's peak-RSS mark
is reset (Linux /proc/self/clear_refs), so the peak reported is that of the
timed call alone, with its input already held. Missed targets are reported,
not failed; a crashed case makes the exit code 1. The cases themselves are in
`cases`, the table and its targets in `report`.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from .cases import (
    CASE_ORDER,
    CASES,
    FLOOR_FROM,
    ONLY_UP_TO,
    REAL_FILES,
    SKIPPED_BY_WORKBOOK_FLAG,
    csv_rows,
)
from .everyday import everyday_outcomes, in_turn, timed_run
from .report import (
    HELP_RUNS,
    TARGET_HELP_SECONDS,
    TARGET_ROWS,
    Measure,
    Outcome,
    find_outcome,
    median_of,
    notes_lines,
    table_text,
    target_for,
    verdict_lines,
)
from .workdir import last_line

RUSAGE_SELF, RUSAGE_CHILDREN = resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN
SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (10_000,)
CASE_TIMEOUT_SECONDS = 3600  # each run of a case
REPEATS = 3
RESULT_PREFIX = "RESULT "


# in the child process: one case, timed alone ---------------------------------


def run_case(case: str, floor: bool, rows: int, seed: int, work: Path) -> dict:
    """Prepare a case untimed, then time it alone; the measure as a dict."""
    library, floor_job, expected, as_expected = CASES[case]
    job = (floor_job if floor else library)(rows, seed, work)
    reset = _reset_peak_memory()
    start_mb = _current_rss_mb()
    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    result = job()
    seconds = time.perf_counter() - started
    cpu_seconds = _cpu_seconds() - cpu_before
    # A case that runs the CLI: its peak is the child's (RUSAGE_CHILDREN is 0 otherwise).
    peak_kb = max(resource.getrusage(who).ru_maxrss for who in (RUSAGE_SELF, RUSAGE_CHILDREN))
    peak_mb = peak_kb / 1024
    measure = {"seconds": seconds, "peak_mb": peak_mb, "start_mb": start_mb, "peak_reset": reset}
    measure["cpu_seconds"] = cpu_seconds
    if not as_expected(rows, result):
        shown = result if isinstance(result, int) else f"{csv_rows(result):,} rows"
        measure["error"] = f"expected {expected}, got {shown}"
    return measure


def _cpu_seconds() -> float:
    """User + system seconds of this process and of the processes it has waited for.

    A case that runs the CLI spends its CPU in a child, counted once it has ended.
    """
    usages = (resource.getrusage(who) for who in (RUSAGE_SELF, RUSAGE_CHILDREN))
    return sum(usage.ru_utime + usage.ru_stime for usage in usages)


def _reset_peak_memory() -> bool:
    """Free what preparing the input left behind and restart the peak-RSS mark."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _current_rss_mb() -> float | None:
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    kilobytes = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))
    return int(kilobytes) / 1024


# in the parent process: every case, each in a child of its own ------------------


def measure_in_child(case: str, floor: bool, rows: int, seed: int, work: Path, timeout: float):
    """Run one case in a fresh interpreter; its Measure, or the error that stopped it."""
    argv = [sys.executable, "-m", "benchmarks.run", "--child", case, "--rows", str(rows)]
    argv += ["--seed", str(seed), "--work", str(work)] + (["--floor"] if floor else [])
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=timeout, cwd=_project_root()
        )
    except subprocess.TimeoutExpired:
        return None, f"timed out after {timeout:.0f} s"
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if done.returncode != 0 or not lines:
        return None, last_line(done.stderr) or f"exit code {done.returncode}"
    fields = json.loads(lines[-1].removeprefix(RESULT_PREFIX))
    error = fields.pop("error", None)
    return Measure(**fields), error


def _project_root() -> Path:
    return Path(__file__).resolve().parent.parent


# One run of a case (floor=False) or of its floor (floor=True): its Measure, or why not.
Run = Callable[[bool], tuple[Measure | None, str | None]]


class Timed(NamedTuple):
    """A job's runs as one: their median (None if none ran through), the first error."""

    measure: Measure | None
    error: str | None = None


def alternated(run: Run, repeats: int, label: str, with_floor: bool = True) -> tuple[Timed, Timed]:
    """The case and its floor run in turn, `repeats` times each: each one's median.

    Run in turn, a slow minute of the machine falls on both alike, not on one of
    them. A job that fails is not run again (a timeout would cost as much again):
    its error stands, beside the median of the runs before it.
    """
    measures: dict[bool, list[Measure]] = {False: [], True: []}
    errors: dict[bool, str] = {}
    for number in range(1, repeats + 1):
        for floor in (False, True) if with_floor else (False,):
            if floor in errors:
                continue
            _progress(f"{label}{' floor' if floor else ''} ({number}/{repeats})")
            measure, error = run(floor)
            if measure is not None:
                measures[floor].append(measure)
            if error:
                errors[floor] = error
    case, floor = (Timed(median_of(measures[side]), errors.get(side)) for side in (False, True))
    return case, floor


def size_outcomes(
    rows: int,
    seed: int,
    work: Path,
    timeout: float,
    skip_workbook: bool = False,
    repeats: int = REPEATS,
    run: frozenset[str] = frozenset(CASE_ORDER),
) -> list[Outcome]:
    """Every case of CASE_ORDER at one size (of those in `run`), each alternated with its
    floor."""
    outcomes: list[Outcome] = []
    for case in CASE_ORDER:
        target = target_for(case, rows)
        if rows > ONLY_UP_TO.get(case, rows) or case not in run:
            continue
        if skip_workbook and rows == TARGET_ROWS and case in SKIPPED_BY_WORKBOOK_FLAG:
            outcomes.append(Outcome(case, rows, None, None, "  ".join(("skipped", target))))
            continue
        done, floor = alternated(
            _runs_of(case, rows, seed, work, timeout),
            repeats,
            f"{case} {rows:,}",
            with_floor=case not in FLOOR_FROM,
        )
        if case in FLOOR_FROM:
            floor = _summed_floor([find_outcome(outcomes, c, rows) for c in FLOOR_FROM[case]])
        outcomes.append(_outcome(case, rows, done, floor, target))
    for stale in work.glob(f"*-{rows}.*"):
        stale.unlink()
    shutil.rmtree(work / f"pack-{rows}", ignore_errors=True)
    return outcomes


def _runs_of(case: str, rows: int, seed: int, work: Path, timeout: float) -> Run:
    """One run of the case or of its floor, each call in a fresh process."""
    return lambda floor: measure_in_child(case, floor, rows, seed, work, timeout)


def _outcome(case: str, rows: int, done: Timed, floor: Timed, target: str) -> Outcome:
    """The table's row of a case and its floor; the case's error first, the floor's named."""
    floor_error = f"floor: {floor.error}" if floor.error else None
    return Outcome(case, rows, done.measure, floor.measure, target, done.error or floor_error)


def _summed_floor(parts: list[Outcome | None]) -> Timed:
    """Floors of other cases as one: their medians added (wall and CPU), the larger peak."""
    floors = [p.floor if p else None for p in parts]
    if any(f is None for f in floors):
        return Timed(None, "a floor it is made of did not run")
    seconds = sum(f.seconds for f in floors)
    cpu = [f.cpu_seconds for f in floors]
    cpu_seconds = None if None in cpu else sum(cpu)
    return Timed(Measure(seconds, max(f.peak_mb for f in floors), cpu_seconds=cpu_seconds))


def real_file_outcomes(
    seed: int,
    work: Path,
    timeout: float,
    repeats: int = REPEATS,
    run: frozenset[str] = frozenset(REAL_FILES),
) -> list[Outcome]:
    """The cases on real published files (of those in `run`), each alternated with its
    floor, at the file's size."""
    outcomes = []
    for case, rows in REAL_FILES.items():
        if case not in run:
            continue
        runs = _runs_of(case, rows, seed, work, timeout)
        done, floor = alternated(runs, repeats, f"{case} {rows:,}")
        outcomes.append(_outcome(case, rows, done, floor, target_for(case, rows)))
    return outcomes


def help_outcomes() -> list[Outcome]:
    """`casualties --help` in turn with `python -c "import click"`, and bare `python -c pass`
    in turn with nothing: each the median of HELP_RUNS runs."""
    _progress("--help")
    python = sys.executable
    casualties = str(Path(python).with_name("casualties"))
    try:
        shown, click = in_turn([casualties, "--help"], [python, "-c", "import click"], HELP_RUNS)
        bare = median_of([timed_run([python, "-c", "pass"]) for _ in range(HELP_RUNS)])
    except (OSError, RuntimeError) as error:
        return [Outcome("--help", None, None, None, error=str(error))]
    return [
        Outcome("--help", None, shown, click, f"< {TARGET_HELP_SECONDS:g} s"),
        Outcome("python -c pass", None, bare, None),
    ]


def _progress(text: str) -> None:
    print(f"running {text} ...", file=sys.stderr, flush=True)


# entry point --------------------------------------------------------------------------


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
        type=_case_names,
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


def _case_names(text: str) -> frozenset[str]:
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


def print_report(
    sizes: tuple[int, ...],
    seed: int,
    timeout: float,
    skip_workbook: bool = False,
    repeats: int = REPEATS,
    only: frozenset[str] = frozenset(),
) -> int:
    """Run every case (or those asked for), print the table and the targets; 1 if any
    case crashed."""
    run = cases_to_run(only)
    work = Path(tempfile.mkdtemp(prefix="casualties-bench-"))
    try:
        outcomes = [
            o
            for rows in sizes
            for o in size_outcomes(rows, seed, work, timeout, skip_workbook, repeats, run)
        ]
        outcomes += real_file_outcomes(seed, work, timeout, repeats, run)
        if "everyday" in run:
            _progress("everyday commands")
            outcomes += everyday_outcomes(work, runs=repeats)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if "--help" in run:
        outcomes += help_outcomes()
    print(table_text(outcomes))
    print()
    print("\n".join(notes_lines(outcomes, repeats, sizes)))
    print()
    print("\n".join(verdict_lines(outcomes)))
    return 1 if any(o.error for o in outcomes) else 0


def main(argv: list[str] | None = None) -> None:
    """Print the benchmark report (or, with --child, run one case and print its measure)."""
    args = parse_args(argv)
    if args.child:
        measure = run_case(args.child, args.floor, args.rows, args.seed, args.work)
        print(RESULT_PREFIX + json.dumps(measure), flush=True)
        return
    sizes = QUICK_SIZES if args.quick else args.sizes
    raise SystemExit(
        print_report(sizes, args.seed, args.timeout, args.skip_1m_workbook, args.repeats, args.only)
    )


if __name__ == "__main__":
    main()
