"""The bench's report: the table of figures, what its columns mean, the targets met.

An Outcome is one row of the table: a case at one size, its Measure and its
floor's, each the median of the runs the runner made of it (`median_of`). The
targets (seconds and megabytes at a million rows, the workbook's ratio to its
floor at 100,000, a chart, `--help`) are shown beside the rows they apply to
and judged, met or not, in one line each below the notes.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

HELP_RUNS = 5  # `--help` is the median of this many runs, in turn with its floor
TARGET_ROWS = 1_000_000
TARGET_INSERT_SECONDS = 15.0
TARGET_INSERT_MB = 2048
TARGET_HELP_SECONDS = 0.15
TARGET_EVERYDAY_SECONDS = 0.3  # show, list, the example's summary, place, vocab, extract (14)
EVERYDAY_TARGET = f"< {TARGET_EVERYDAY_SECONDS:g} s"  # the target column of those rows
TARGET_SUMMARY_SECONDS = 2.0  # at TARGET_ROWS, end to end
WORKBOOK_ROWS = 100_000
TARGET_WORKBOOK_RATIO = 1.2
TARGET_WORKBOOK_MB = 1024  # above what the case held before its timed call
TARGET_CHART_SECONDS = 0.5
TARGET_XLSX_IMPORT_SECONDS = 4.0  # at WORKBOOK_ROWS
TARGET_DTM_IMPORT_SECONDS = 10.0  # IOM's DTM file as HDX publishes it (issue 12)
TARGET_EXTRACT_SECONDS = 30.0  # a 5 MB text drafted into a workbook: seconds, not minutes (13)


@dataclass(frozen=True)
class Measure:
    """One timed run: wall seconds, peak RSS and the RSS held when timing began."""

    seconds: float
    peak_mb: float
    start_mb: float | None = None
    peak_reset: bool = True
    cpu_seconds: float | None = None  # user + system time, its child processes included


def median_of(measures: list[Measure]) -> Measure | None:
    """Runs of one job as one: median wall and CPU seconds, the largest peak.

    The median, not the best: the figure a user meets most often, which one
    slow or one lucky run does not move. The memory held before the timed call
    is that of the run that peaked, so that peak less held is one run's.
    """
    if not measures:
        return None
    peaked = max(measures, key=lambda m: m.peak_mb)
    cpu = [m.cpu_seconds for m in measures if m.cpu_seconds is not None]
    return Measure(
        statistics.median(m.seconds for m in measures),
        peaked.peak_mb,
        peaked.start_mb,
        all(m.peak_reset for m in measures),
        statistics.median(cpu) if cpu else None,
    )


@dataclass(frozen=True)
class Outcome:
    """A case at one size: its measure and its floor's, or why one failed."""

    case: str
    rows: int | None
    measure: Measure | None
    floor: Measure | None
    target: str = ""
    error: str | None = None


def target_for(case: str, rows: int) -> str:
    """The target shown beside a case at one size, if it has one there."""
    if case == "insert" and rows == TARGET_ROWS:
        return _insert_target()
    if case.startswith("summary") and rows == TARGET_ROWS:
        return f"< {TARGET_SUMMARY_SECONDS:g} s"
    if case == "workbook" and rows == WORKBOOK_ROWS:
        return f"<= {TARGET_WORKBOOK_RATIO:g}x floor, < {TARGET_WORKBOOK_MB} MB over data"
    if case == "one chart":
        return f"< {TARGET_CHART_SECONDS:g} s"
    if case == "import csv" and rows == TARGET_ROWS:
        return _insert_target()
    if case == "import xlsx" and rows == WORKBOOK_ROWS:
        return f"< {TARGET_XLSX_IMPORT_SECONDS:g} s"
    if case == "import IOM DTM":
        return f"< {TARGET_DTM_IMPORT_SECONDS:g} s"
    if case == "extract 5 MB text":
        return f"< {TARGET_EXTRACT_SECONDS:g} s"
    return ""


def _insert_target() -> str:
    return f"< {TARGET_INSERT_SECONDS:g} s, < {TARGET_INSERT_MB} MB"


HEADER = ("case", "rows", "seconds", "CPU s", "rows/s", "peak MB")
HEADER += ("floor s", "floor CPU s", "floor MB", "ratio", "target")


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
        _cpu(m),
        rate,
        f"{m.peak_mb:,.0f}" if m else "-",
        _seconds(f),
        _cpu(f),
        f"{f.peak_mb:,.0f}" if f else "-",
        ratio,
        target,
    )


def _seconds(measure: Measure | None) -> str:
    return "-" if measure is None else shown_seconds(measure.seconds)


def _cpu(measure: Measure | None) -> str:
    if measure is None or measure.cpu_seconds is None:
        return "-"
    return shown_seconds(measure.cpu_seconds)


def shown_seconds(seconds: float) -> str:
    return f"{seconds:.3f}" if seconds < 10 else f"{seconds:.1f}"


def find_outcome(outcomes: list[Outcome], case: str, rows: int | None) -> Outcome | None:
    """The outcome of `case` at `rows`, if it ran."""
    return next((o for o in outcomes if o.case == case and o.rows == rows), None)


def notes_lines(outcomes: list[Outcome], repeats: int, sizes: tuple[int, ...] = ()) -> list[str]:
    """What the columns mean, and the memory each case held before its timed call at the
    largest of the sizes asked for (not a real file's rows or a text's characters)."""
    largest = max(sizes, default=None)
    held = [
        f"{o.case} {o.measure.start_mb:,.0f} MB"
        for o in outcomes
        if o.rows == largest and o.measure and o.measure.start_mb is not None
    ]
    lines = [
        f"seconds, CPU s: {_runsshown_seconds(repeats)} of each case and of its floor, run in turn",
        "  (case, floor, case, ...), each run a fresh process; peak MB: the largest of them.",
        "  The timed call only (generating the figures and the store's sources and",
        "  publications are not timed); CPU s: its user + system time, child processes",
        f"  included (summary (CLI)); ratio = seconds / floor s; --help: the median of {HELP_RUNS}",
        "  runs in turn with its floor.",
        "floors: validate = plain pandas masks (vocabularies, required, >= 0, low <= best <=",
        "  high, period and report order, unique id, references); insert = sqlite3 executemany",
        "  into the store's own table; list = pandas.read_sql_query(...).to_csv();",
        "  --help = python -c 'import click'.",
        "  summary = pd.read_sql_query of the rule columns (current figures), then the latest",
        "  report per cumulative series: groupby(series key).idxmax() of a recency key (period",
        "  end, report day, version); summary (CLI) reuses that floor (no interpreter start).",
        "  workbook = the store's figures (read untimed, as for the case) written as one sheet",
        "  with bare xlsxwriter, write_column per column, no formats; pack = the summary floor",
        "  + the workbook floor (medians added, larger peak; no charts); one chart = the same",
        "  steps (computed untimed) as bare matplotlib step lines saved as a 1600x900 PNG.",
        "summary: open the store, pick the latest week's figures through figure_keys, the",
        "  summary, rendered; summary (CLI): wall time of `casualties --db PATH summary >",
        "  /dev/null`, peak of that process; workbook (written with rustpy-xlsxwriter), pack:",
        "  every figure read untimed; one chart: the figures of the metric and group with the",
        "  most cumulative figures (as `chart toll` reads them), matplotlib imported untimed.",
        "export csv: every figure streamed to a file (floor: the list floor); import csv: that",
        "  file into a store holding only its sources and publications (floor:",
        "  pandas.read_csv(dtype=object) of the file, then a bare executemany of its rows);",
        "  read+validate csv: the same file read typed as the import reads it, then validated",
        "  whole with pandera (validation.problems_in), nothing stored (floor:",
        "  pandas.read_csv(dtype=object)); import xlsx: the workbook the workbook case wrote,",
        "  imported likewise (floor: python-calamine reading its Figures sheet), at 10k and",
        "  100k only: a sheet holds 1,048,576 rows.",
        "import IOM DTM: `casualties import --from hdx` of IOM's DTM file as HDX publishes it",
        "  (../shared/data/iom_dtm_idps_admin0-2.csv, 13,367 rows), at that size whatever the",
        "  sizes; floor: pandas.read_csv(dtype=object) of the file.",
        "peak MB: the case's own process, mark reset after its input was prepared, so it",
        "  includes Python, pandas and the input frame already held.",
    ]
    if held:
        lines.append(f"  held before the timed call at {largest:,} rows: " + ", ".join(held))
    if any(m and not m.peak_reset for o in outcomes for m in (o.measure, o.floor)):
        lines.append("  (the peak mark could not be reset here: peaks include preparing the input)")
    return lines


def _runsshown_seconds(repeats: int) -> str:
    """What each figure of the table is: one run, or the median of several."""
    return "one run" if repeats == 1 else f"the median of {repeats} runs"
