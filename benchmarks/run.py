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
`cases`, a child's run in `child`, the command line in `options`, the table and
its targets in `report`, the lines judging them in `verdicts`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from .cases import (
    CASE_ORDER,
    FLOOR_FROM,
    ONLY_UP_TO,
    REAL_FILES,
    SKIPPED_BY_WORKBOOK_FLAG,
)
from .child import RESULT_PREFIX, run_case
from .everyday import everyday_outcomes, in_turn, timed_run
from .options import (
    QUICK_SIZES,
    REPEATS,
    cases_to_run,
    parse_args,
)
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
)
from .verdicts import verdict_lines
from .workdir import last_line

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
