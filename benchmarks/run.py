"""The bench's runner: `make bench` (python -m benchmarks.run).

For 10k, 100k and 1M synthetic figures it times validate, bulk insert,
`list --format csv`, the weekly `summary` (through the library and as the CLI),
the Excel `workbook`, the weekly `pack` and `one chart`, each beside its floor:
the same job done the cheapest honest way (plain pandas masks, a bare sqlite3
executemany, pandas.read_sql, groupby().idxmax(), bare xlsxwriter, a bare
matplotlib step plot). It also times `casualties --help` against `import click`.

Every case runs in a fresh process: its input is prepared there untimed, then
the process's peak-RSS mark is reset (Linux /proc/self/clear_refs), so the
peak reported is that of the timed call alone, with its input already held.
Missed targets are reported, not failed; a crashed case makes the exit code 1.
The cases themselves are in `cases`, the table and its targets in `report`.
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
from pathlib import Path

from .cases import (
    CASE_ORDER,
    CASES,
    FLOOR_FROM,
    ONLY_UP_TO,
    REAL_FILES,
    SKIPPED_BY_WORKBOOK_FLAG,
    csv_rows,
)
from .everyday import everyday_outcomes, timed_run
from .report import (
    HELP_RUNS,
    TARGET_HELP_SECONDS,
    TARGET_ROWS,
    Measure,
    Outcome,
    find_outcome,
    notes_lines,
    table_text,
    target_for,
    verdict_lines,
)
from .workdir import last_line

RUSAGE_SELF, RUSAGE_CHILDREN = resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN
SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (10_000,)
CASE_TIMEOUT_SECONDS = 3600
RESULT_PREFIX = "RESULT "


# in the child process: one case, timed alone ---------------------------------


def run_case(case: str, floor: bool, rows: int, seed: int, work: Path) -> dict:
    """Prepare a case untimed, then time it alone; the measure as a dict."""
    library, floor_job, expected, as_expected = CASES[case]
    job = (floor_job if floor else library)(rows, seed, work)
    reset = _reset_peak_memory()
    start_mb = _current_rss_mb()
    started = time.perf_counter()
    result = job()
    seconds = time.perf_counter() - started
    # A case that runs the CLI: its peak is the child's (RUSAGE_CHILDREN is 0 otherwise).
    peak_kb = max(resource.getrusage(who).ru_maxrss for who in (RUSAGE_SELF, RUSAGE_CHILDREN))
    peak_mb = peak_kb / 1024
    measure = {"seconds": seconds, "peak_mb": peak_mb, "start_mb": start_mb, "peak_reset": reset}
    if not as_expected(rows, result):
        shown = result if isinstance(result, int) else f"{csv_rows(result):,} rows"
        measure["error"] = f"expected {expected}, got {shown}"
    return measure


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


def size_outcomes(
    rows: int, seed: int, work: Path, timeout: float, skip_workbook: bool = False
) -> list[Outcome]:
    """Every case of CASE_ORDER at one size, each with its floor."""
    outcomes: list[Outcome] = []
    for case in CASE_ORDER:
        target = target_for(case, rows)
        if rows > ONLY_UP_TO.get(case, rows):
            continue
        if skip_workbook and rows == TARGET_ROWS and case in SKIPPED_BY_WORKBOOK_FLAG:
            outcomes.append(Outcome(case, rows, None, None, "  ".join(("skipped", target))))
            continue
        _progress(f"{case} {rows:,}")
        measure, error = measure_in_child(case, False, rows, seed, work, timeout)
        if case in FLOOR_FROM:
            floor, floor_error = _summed_floor(
                [find_outcome(outcomes, c, rows) for c in FLOOR_FROM[case]]
            )
        else:
            _progress(f"{case} {rows:,} floor")
            floor, floor_error = measure_in_child(case, True, rows, seed, work, timeout)
        if floor_error:
            floor_error = f"floor: {floor_error}"
        outcomes.append(Outcome(case, rows, measure, floor, target, error or floor_error))
    for stale in work.glob(f"*-{rows}.*"):
        stale.unlink()
    shutil.rmtree(work / f"pack-{rows}", ignore_errors=True)
    return outcomes


def _summed_floor(parts: list[Outcome | None]) -> tuple[Measure | None, str | None]:
    """Floors of other cases as one: seconds added, the larger peak."""
    floors = [p.floor if p else None for p in parts]
    if any(f is None for f in floors):
        return None, "a floor it is made of did not run"
    seconds = sum(f.seconds for f in floors)
    return Measure(seconds, max(f.peak_mb for f in floors)), None


def real_file_outcomes(seed: int, work: Path, timeout: float) -> list[Outcome]:
    """The cases on real published files, each with its floor, at the file's size."""
    outcomes = []
    for case, rows in REAL_FILES.items():
        _progress(f"{case} {rows:,}")
        measure, error = measure_in_child(case, False, rows, seed, work, timeout)
        floor, floor_error = measure_in_child(case, True, rows, seed, work, timeout)
        outcomes.append(
            Outcome(case, rows, measure, floor, target_for(case, rows), error or floor_error)
        )
    return outcomes


def help_outcomes() -> list[Outcome]:
    """`casualties --help` beside `python -c "import click"`, and bare `python -c pass`."""
    _progress("--help")
    python = sys.executable
    casualties = str(Path(python).with_name("casualties"))
    try:
        shown = best_of([casualties, "--help"])
        click = best_of([python, "-c", "import click"])
        bare = best_of([python, "-c", "pass"])
    except (OSError, RuntimeError) as error:
        return [Outcome("--help", None, None, None, error=str(error))]
    return [
        Outcome("--help", None, shown, click, f"< {TARGET_HELP_SECONDS:g} s"),
        Outcome("python -c pass", None, bare, None),
    ]


def best_of(argv: list[str], runs: int = HELP_RUNS) -> Measure:
    """The fastest of `runs` runs of a command, and its peak RSS (from wait4)."""
    measured = [timed_run(argv) for _ in range(runs)]
    return Measure(min(m[0] for m in measured), max(m[2] for m in measured))


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
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=CASE_TIMEOUT_SECONDS)
    parser.add_argument(
        "--skip-1m-workbook",
        action="store_true",
        help="skip the workbook and the pack (which writes it) at 1,000,000 rows",
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


def print_report(
    sizes: tuple[int, ...], seed: int, timeout: float, skip_workbook: bool = False
) -> int:
    """Run every case, print the table and the targets; 1 if any case crashed."""
    work = Path(tempfile.mkdtemp(prefix="casualties-bench-"))
    try:
        outcomes = [
            o for rows in sizes for o in size_outcomes(rows, seed, work, timeout, skip_workbook)
        ]
        outcomes += real_file_outcomes(seed, work, timeout)
        _progress("everyday commands")
        outcomes += everyday_outcomes(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    outcomes += help_outcomes()
    print(table_text(outcomes))
    print()
    print("\n".join(notes_lines(outcomes)))
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
    raise SystemExit(print_report(sizes, args.seed, args.timeout, args.skip_1m_workbook))


if __name__ == "__main__":
    main()
