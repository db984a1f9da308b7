"""The benchmark report: `make bench` (python -m benchmarks.run).

For 10k, 100k and 1M synthetic figures it times validate, bulk insert and
`list --format csv` through the library, each beside its floor: the same job
done the cheapest honest way (plain pandas masks, a bare sqlite3 executemany,
pandas.read_sql). It also times `casualties --help` against `import click`.

Every case runs in a fresh process: its input is prepared there untimed, then
the process's peak-RSS mark is reset (Linux /proc/self/clear_refs), so the
peak reported is that of the timed call alone, with its input already held.
Missed targets are reported, not failed; a crashed case makes the exit code 1.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (10_000,)
CASE_ORDER = ("validate", "insert", "list")  # list reads the store insert wrote
HELP_RUNS = 5
TARGET_ROWS = 1_000_000
TARGET_INSERT_SECONDS = 15.0
TARGET_INSERT_MB = 2048
TARGET_HELP_SECONDS = 0.15
CASE_TIMEOUT_SECONDS = 3600
RESULT_PREFIX = "RESULT "


@dataclass(frozen=True)
class Measure:
    """One timed run: wall seconds, peak RSS and the RSS held when timing began."""

    seconds: float
    peak_mb: float
    start_mb: float | None = None
    peak_reset: bool = True


@dataclass(frozen=True)
class Outcome:
    """A case at one size: its measure and its floor's, or why one failed."""

    case: str
    rows: int | None
    measure: Measure | None
    floor: Measure | None
    target: str = ""
    error: str | None = None


# the cases, as run inside their own process --------------------------------------


def validate_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """problems_in on a generated frame; the job returns how many problems it found."""
    import pandera.pandas  # noqa: F401  (imported untimed, as the floor's pandas is)

    from casualties.validation import problems_in

    from .generate import references_for, synthetic_figures

    sources, publications, figures = synthetic_figures(rows, seed)
    references = references_for(sources, publications, figures)
    return lambda: len(problems_in("figures", figures, references))


def validate_floor_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """The same rules as plain pandas masks; the job returns how many rows fail."""
    from .generate import synthetic_figures

    sources, publications, figures = synthetic_figures(rows, seed)
    source_ids, publication_ids = set(sources["id"]), set(publications["id"])
    return lambda: failing_row_count(figures, source_ids, publication_ids)


def failing_row_count(figures, source_ids: set[str], publication_ids: set[str]) -> int:
    """Rows breaking a vocabulary, a required value, a minimum, an order or a reference."""
    import pandas as pd

    from casualties import contract

    ok = pd.Series(True, index=figures.index)
    for column in contract.table("figures").columns:
        values = figures[column.name]
        if column.required:
            ok &= values.notna()
        if column.vocabulary:
            ok &= values.isna() | values.isin(contract.terms(column.vocabulary))
        if column.min is not None:
            ok &= values.isna() | (values >= column.min)
    low, best, high = figures["value_low"], figures["value_best"], figures["value_high"]
    for small, large in ((low, best), (best, high), (low, high)):
        ok &= ~(small > large).fillna(False)
    ok &= figures["period_end"] >= figures["period_start"]
    ok &= figures["reported_on"] >= figures["period_start"]
    ok &= ~figures["id"].duplicated(keep=False)
    ok &= figures["source_id"].isin(source_ids)
    listed = figures["publication_ids"].str.split(contract.LIST_SEPARATOR).explode()
    ok &= listed.isin(publication_ids).groupby(level=0).all()
    for column in ("part_of", "supersedes"):
        ok &= figures[column].isna() | figures[column].isin(figures["id"])
    return int((~ok).sum())


def insert_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """ledger.add_figures (validate + insert) into a fresh store; returns rows stored."""
    from casualties import ledger

    store, figures = _store_with_references(rows, seed, library_db(work, rows))

    def job() -> int:
        stored = len(ledger.add_figures(store, figures))
        store.close()
        return stored

    return job


def insert_floor_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """A bare executemany of the same rows into the same table; returns rows inserted."""
    from casualties import contract

    store, figures = _store_with_references(rows, seed, work / f"floor-{rows}.db")
    names = contract.table("figures").column_names
    sql = f"INSERT INTO figures ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})"

    def job() -> int:
        columns = [figures[n].to_numpy(dtype=object, na_value=None).tolist() for n in names]
        connection = store.connection
        connection.execute("BEGIN")
        inserted = connection.executemany(sql, zip(*columns, strict=True)).rowcount
        connection.execute("COMMIT")
        connection.close()
        return inserted

    return job


def _store_with_references(rows: int, seed: int, path: Path):
    """A new store at `path` holding the generated sources and publications, and the figures."""
    from casualties import ledger
    from casualties.store import Store

    from .generate import synthetic_figures

    for stale in path.parent.glob(path.name + "*"):
        stale.unlink()
    sources, publications, figures = synthetic_figures(rows, seed)
    store = Store.create(path)
    ledger.add_sources(store, sources)
    ledger.add_publications(store, publications)
    return store, figures


def list_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """`casualties list --format csv` through the library, on the store insert wrote."""
    import pandas  # noqa: F401  (imported untimed, as for the floor)

    from casualties.query import FigureQuery, matching_figures
    from casualties.render import to_csv
    from casualties.store import Store

    path = _existing(library_db(work, rows))

    def job() -> str:
        store = Store.open(path)
        text = to_csv(matching_figures(store, FigureQuery()))
        store.close()
        return text

    return job


def list_floor_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """pandas.read_sql_query of the whole figures table, written as CSV."""
    import pandas as pd

    path = _existing(library_db(work, rows))

    def job() -> str:
        connection = sqlite3.connect(path)
        text = pd.read_sql_query("SELECT * FROM figures", connection).to_csv()
        connection.close()
        return text

    return job


def library_db(work: Path, rows: int) -> Path:
    """The store the insert case writes and the list case reads."""
    return work / f"library-{rows}.db"


def _existing(path: Path) -> Path:
    if not path.is_file():
        raise FileNotFoundError(f"{path}: the insert case did not leave its store")
    return path


def _csv_rows(text: object) -> int:
    return str(text).rstrip("\n").count("\n")


# case: (library job, floor job, what the result should be, how to read the result)
CASES: dict[str, tuple[Callable, Callable, str, Callable[[int, object], bool]]] = {
    "validate": (validate_job, validate_floor_job, "no problems", lambda n, r: r == 0),
    "insert": (insert_job, insert_floor_job, "every row stored", lambda n, r: r == n),
    "list": (list_job, list_floor_job, "every row listed", lambda n, r: _csv_rows(r) == n),
}


def run_case(case: str, floor: bool, rows: int, seed: int, work: Path) -> dict:
    """Prepare a case untimed, then time it alone; the measure as a dict."""
    library, floor_job, expected, as_expected = CASES[case]
    job = (floor_job if floor else library)(rows, seed, work)
    reset = _reset_peak_memory()
    start_mb = _current_rss_mb()
    started = time.perf_counter()
    result = job()
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    measure = {"seconds": seconds, "peak_mb": peak_mb, "start_mb": start_mb, "peak_reset": reset}
    if not as_expected(rows, result):
        shown = result if isinstance(result, int) else f"{_csv_rows(result):,} rows"
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


# the report, run by the parent process ---------------------------------------------


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
        return None, _last_line(done.stderr) or f"exit code {done.returncode}"
    fields = json.loads(lines[-1].removeprefix(RESULT_PREFIX))
    error = fields.pop("error", None)
    return Measure(**fields), error


def _project_root() -> Path:
    return Path(__file__).resolve().parent.parent


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def size_outcomes(rows: int, seed: int, work: Path, timeout: float) -> list[Outcome]:
    """validate, insert and list at one size, each with its floor."""
    outcomes = []
    for case in CASE_ORDER:
        _progress(f"{case} {rows:,}")
        measure, error = measure_in_child(case, False, rows, seed, work, timeout)
        _progress(f"{case} {rows:,} floor")
        floor, floor_error = measure_in_child(case, True, rows, seed, work, timeout)
        if floor_error:
            floor_error = f"floor: {floor_error}"
        target = _insert_target() if case == "insert" and rows == TARGET_ROWS else ""
        outcomes.append(Outcome(case, rows, measure, floor, target, error or floor_error))
    for stale in work.glob(f"*-{rows}.db*"):
        stale.unlink()
    return outcomes


def _insert_target() -> str:
    return f"< {TARGET_INSERT_SECONDS:g} s, < {TARGET_INSERT_MB} MB"


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
    best_seconds, peak_kb = float("inf"), 0
    for _ in range(runs):
        to_null = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_WRONLY, 0) for fd in (1, 2)]
        started = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=to_null)
        _, status, usage = os.wait4(pid, 0)
        elapsed = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"{' '.join(argv)} exited with {os.waitstatus_to_exitcode(status)}")
        best_seconds = min(best_seconds, elapsed)
        peak_kb = max(peak_kb, usage.ru_maxrss)
    return Measure(best_seconds, peak_kb / 1024)


def _progress(text: str) -> None:
    print(f"running {text} ...", file=sys.stderr, flush=True)


# printing ---------------------------------------------------------------------------

HEADER = ("case", "rows", "seconds", "rows/s", "peak MB", "floor s", "floor MB", "ratio", "target")


def table_text(outcomes: list[Outcome]) -> str:
    """The outcomes as an aligned table, numbers right-aligned."""
    body = [_cells(o) for o in outcomes]
    widths = [max(len(row[i]) for row in [HEADER, *body]) for i in range(len(HEADER))]
    lines = []
    for row in [HEADER, tuple("-" * w for w in widths), *body]:
        cells = [
            c.ljust(w) if i in (0, len(HEADER) - 1) else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _cells(outcome: Outcome) -> tuple[str, ...]:
    m, f = outcome.measure, outcome.floor
    rows = f"{outcome.rows:,}" if outcome.rows else "-"
    rate = f"{outcome.rows / m.seconds:,.0f}" if m and outcome.rows else "-"
    ratio = f"{m.seconds / f.seconds:.1f}" if m and f else "-"
    failed = f"FAILED: {outcome.error}" if outcome.error else ""
    target = "  ".join(part for part in (outcome.target, failed) if part)
    return (
        outcome.case,
        rows,
        _seconds(m),
        rate,
        f"{m.peak_mb:,.0f}" if m else "-",
        _seconds(f),
        f"{f.peak_mb:,.0f}" if f else "-",
        ratio,
        target,
    )


def _seconds(measure: Measure | None) -> str:
    if measure is None:
        return "-"
    return f"{measure.seconds:.3f}" if measure.seconds < 10 else f"{measure.seconds:.1f}"


def verdict_lines(outcomes: list[Outcome]) -> list[str]:
    """One line per target: what was measured against it, met or not."""
    insert = _find(outcomes, "insert", TARGET_ROWS)
    if insert is None or insert.measure is None:
        why = "not run" if insert is None else f"failed ({insert.error})"
        lines = [f"validate+insert 1M: {why}"]
    else:
        m = insert.measure
        met = m.seconds < TARGET_INSERT_SECONDS and m.peak_mb < TARGET_INSERT_MB
        lines = [
            f"validate+insert 1M: {m.seconds:.1f} s (target < {TARGET_INSERT_SECONDS:g} s), "
            f"peak {m.peak_mb:,.0f} MB (target < {TARGET_INSERT_MB} MB): {_met(met)}"
        ]
    shown = _find(outcomes, "--help", None)
    if shown is None or shown.measure is None:
        lines.append(f"--help: failed ({shown.error if shown else 'not run'})")
    else:
        seconds = shown.measure.seconds
        lines.append(
            f"--help: {seconds:.3f} s (target < {TARGET_HELP_SECONDS:g} s): "
            f"{_met(seconds < TARGET_HELP_SECONDS)}"
        )
    return lines


def _met(met: bool) -> str:
    return "met" if met else "NOT met"


def _find(outcomes: list[Outcome], case: str, rows: int | None) -> Outcome | None:
    return next((o for o in outcomes if o.case == case and o.rows == rows), None)


def notes_lines(outcomes: list[Outcome]) -> list[str]:
    """What the columns mean, and the memory each case held before its timed call."""
    largest = max((o.rows for o in outcomes if o.rows), default=None)
    held = [
        f"{o.case} {o.measure.start_mb:,.0f} MB"
        for o in outcomes
        if o.rows == largest and o.measure and o.measure.start_mb is not None
    ]
    lines = [
        "seconds: the timed call only (generating the figures and the store's sources and",
        "  publications are not timed); ratio = seconds / floor s; --help: best of "
        f"{HELP_RUNS} runs.",
        "floors: validate = plain pandas masks (vocabularies, required, >= 0, low <= best <=",
        "  high, period and report order, unique id, references); insert = sqlite3 executemany",
        "  into the store's own table; list = pandas.read_sql_query(...).to_csv();",
        "  --help = python -c 'import click'.",
        "peak MB: the case's own process, mark reset after its input was prepared, so it",
        "  includes Python, pandas and the input frame already held.",
    ]
    if held:
        lines.append(f"  held before the timed call at {largest:,} rows: " + ", ".join(held))
    if any(m and not m.peak_reset for o in outcomes for m in (o.measure, o.floor)):
        lines.append("  (the peak mark could not be reset here: peaks include preparing the input)")
    return lines


# entry point --------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line: sizes to run, or (internal) the one case a child process runs."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description="Benchmark validate, insert, list, --help."
    )
    parser.add_argument("--sizes", type=_sizes, default=SIZES, help="e.g. 10000,100000")
    parser.add_argument("--quick", action="store_true", help="only 10,000 rows (a smoke run)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=CASE_TIMEOUT_SECONDS)
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


def report(sizes: tuple[int, ...], seed: int, timeout: float) -> int:
    """Run every case, print the table and the targets; 1 if any case crashed."""
    work = Path(tempfile.mkdtemp(prefix="casualties-bench-"))
    try:
        outcomes = [o for rows in sizes for o in size_outcomes(rows, seed, work, timeout)]
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
    raise SystemExit(report(sizes, args.seed, args.timeout))


if __name__ == "__main__":
    main()
