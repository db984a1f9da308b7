"""The benchmark report: `make bench` (python -m benchmarks.run).

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

RUSAGE_SELF, RUSAGE_CHILDREN = resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN
SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (10_000,)
# list and the cases after it read the store insert wrote
CASE_ORDER = ("validate", "insert", "list", "summary", "summary (CLI)", "workbook", "pack")
CASE_ORDER += ("one chart", "export csv", "import csv", "import xlsx")
# Cases whose floor is not run but made of other cases' floors at the same size (summed).
FLOOR_FROM = {"summary (CLI)": ("summary",), "pack": ("summary", "workbook")}
FLOOR_FROM["export csv"] = ("list",)  # read_sql_query + to_csv of the same figures
SKIPPED_BY_WORKBOOK_FLAG = ("workbook", "pack")  # the pack writes the workbook too
# Excel holds 1,048,576 rows a sheet: a million-figure workbook is not imported.
ONLY_UP_TO = {"import xlsx": 100_000}
HELP_RUNS = 5
TARGET_ROWS = 1_000_000
TARGET_INSERT_SECONDS = 15.0
TARGET_INSERT_MB = 2048
TARGET_HELP_SECONDS = 0.15
TARGET_SUMMARY_SECONDS = 2.0  # at TARGET_ROWS, end to end
WORKBOOK_ROWS = 100_000
TARGET_WORKBOOK_RATIO = 1.2
TARGET_WORKBOOK_MB = 1024  # above what the case held before its timed call
TARGET_CHART_SECONDS = 0.5
TARGET_XLSX_IMPORT_SECONDS = 4.0  # at WORKBOOK_ROWS
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

    from casualties.model.validation import problems_in

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
    from casualties.model import contract
    from casualties.model.frames import pd

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
    from casualties.store import ledger

    store, figures = _store_with_references(rows, seed, library_db(work, rows))

    def job() -> int:
        stored = len(ledger.add_figures(store, figures))
        store.close()
        return stored

    return job


def insert_floor_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """A bare executemany of the same rows into the same table; returns rows inserted."""
    from casualties.model import contract

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
    from casualties.store import ledger
    from casualties.store.database import Store

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
    import casualties.model.frames  # noqa: F401  (pandas, imported untimed, as for the floor)
    from casualties.reporting.render import to_csv
    from casualties.store.database import Store
    from casualties.store.query import FigureQuery, matching_figures

    path = _existing(library_db(work, rows))

    def job() -> str:
        store = Store.open(path)
        text = to_csv(matching_figures(store, FigureQuery()))
        store.close()
        return text

    return job


def list_floor_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """pandas.read_sql_query of the whole figures table, written as CSV."""
    from casualties.model.frames import pd

    path = _existing(library_db(work, rows))

    def job() -> str:
        connection = sqlite3.connect(path)
        text = pd.read_sql_query("SELECT * FROM figures", connection).to_csv()
        connection.close()
        return text

    return job


def summary_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """`casualties summary` through the library: open, the week's figures, summary, render."""
    import casualties.model.frames  # noqa: F401  (pandas, imported untimed, as for the floor)
    from casualties.reporting.render import render
    from casualties.reporting.summary import summary_from_store
    from casualties.store.database import Store
    from casualties.store.query import FigureQuery

    path = _existing(library_db(work, rows))

    def job() -> int:
        store = Store.open(path)
        _, table = summary_from_store(store, FigureQuery(), None, None)
        text = render(table, "table", terminal=False)
        store.close()
        return text.count("\n")

    return job


def summary_floor_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """Latest report per series: read_sql_query of the same columns, groupby().idxmax()."""
    from casualties.model.frames import pd
    from casualties.model.series import SERIES_KEY
    from casualties.reporting.aggregation import RULE_COLUMNS

    path = _existing(library_db(work, rows))
    sql = f"SELECT {', '.join(RULE_COLUMNS)} FROM figures WHERE is_current = 1"

    def job() -> int:
        connection = sqlite3.connect(path)
        frame = pd.read_sql_query(sql, connection)
        connection.close()
        cumulative = frame[(frame["status"] == "active") & (frame["basis"] == "cumulative")]
        end, reported = (_iso_days(cumulative[c]) for c in ("period_end", "reported_on"))
        version = cumulative["version"].to_numpy() % 2**8
        recency = pd.Series(end * 2**32 + reported * 2**8 + version, index=cumulative.index)
        return len(recency.groupby([cumulative[k] for k in SERIES_KEY]).idxmax())

    return job


def summary_cli_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """`casualties --db PATH summary > /dev/null`, wall time of the whole process."""
    path = _existing(library_db(work, rows))
    argv = [str(Path(sys.executable).with_name("casualties")), "--db", str(path), "summary"]

    def job() -> int:
        done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            raise RuntimeError(_last_line(done.stderr) or f"exit code {done.returncode}")
        return 1

    return job


def workbook_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """workbook_tables + write_workbook of every figure (read untimed) into a temp .xlsx."""
    from datetime import UTC, datetime

    import xlsxwriter  # noqa: F401  (imported untimed, as for the floor)

    from casualties.reporting.workbook import provenance_rows, workbook_tables, write_workbook
    from casualties.store.database import Store

    store = Store.open(_existing(library_db(work, rows)))
    figures, sources = store.figures(), store.table("sources")
    publications = store.table("publications")
    store.close()
    out = _fresh(work / f"workbook-{rows}.xlsx")
    about = provenance_rows(str(library_db(work, rows)), {}, datetime.now(UTC))

    def job() -> int:
        tables = workbook_tables(figures, sources, publications, about)
        write_workbook(tables, out)
        return len(tables.figures)

    return job


def workbook_floor_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """The same rows as the Figures sheet, column by column with bare xlsxwriter."""
    import xlsxwriter

    from casualties.store.database import Store

    store = Store.open(_existing(library_db(work, rows)))
    figures = store.figures()
    store.close()
    out = _fresh(work / f"workbook-floor-{rows}.xlsx")

    def job() -> int:
        book = xlsxwriter.Workbook(str(out), {"strings_to_urls": False})
        sheet = book.add_worksheet("Figures")
        sheet.write_row(0, 0, [str(c) for c in figures.columns])
        for number, name in enumerate(figures.columns):
            column = figures[name]
            values = column.astype(object).where(column.notna(), None).tolist()
            sheet.write_column(1, number, values)
        book.close()
        return len(figures)

    return job


def pack_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """write_weekly_pack for the default week, every figure read untimed as the CLI reads it."""
    import matplotlib  # noqa: F401  (imported untimed)
    import xlsxwriter  # noqa: F401

    from casualties.reporting.pack import PackRequest, write_weekly_pack
    from casualties.reporting.summary import default_week
    from casualties.store.database import Store
    from casualties.store.query import FigureQuery, matching_figures

    path = _existing(library_db(work, rows))
    store = Store.open(path)
    figures = matching_figures(store, FigureQuery())
    week = default_week(figures, None)
    out = work / f"pack-{rows}"
    shutil.rmtree(out, ignore_errors=True)

    def job() -> int:
        manifest = write_weekly_pack(store, figures, PackRequest(week, out, str(path)))
        store.close()
        return len(manifest["files"])

    return job


def chart_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """standing_over_time of the largest metric and group, toll_chart, save_chart."""
    from dataclasses import replace

    from casualties.reporting.aggregation import standing_over_time
    from casualties.reporting.charts import save_chart, toll_chart, within_palette
    from casualties.reporting.pack import chart_context

    figures, sources, metric, group = _chart_input(rows, work)
    out = _fresh(work / f"chart-{rows}.png")
    period = f"{figures['period_start'].min()} to {figures['period_end'].max()}"

    def job() -> int:
        steps = standing_over_time(figures, metric, group)
        chosen = figures[(figures["metric"] == metric) & (figures["population_group"] == group)]
        context = chart_context(chosen, sources, metric, group, None, period)
        drawn, left_out = within_palette("toll", steps)
        save_chart(toll_chart(drawn, replace(context, left_out=left_out)), out)
        return len(drawn)

    return job


def chart_floor_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """The same steps (computed untimed) as bare matplotlib step lines, saved as the same PNG."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from casualties.reporting.aggregation import standing_over_time
    from casualties.reporting.charts import DPI, SIZE_INCHES

    figures, _, metric, group = _chart_input(rows, work)
    steps = standing_over_time(figures, metric, group)
    lines = [
        (of_source["day"].to_numpy().astype("datetime64[D]"), of_source["low"].to_numpy(float))
        for _, of_source in steps.groupby("source_id", sort=True)
    ]
    out = _fresh(work / f"chart-floor-{rows}.png")

    def job() -> int:
        chart = Figure(figsize=SIZE_INCHES, dpi=DPI)
        FigureCanvasAgg(chart)
        axes = chart.add_subplot()
        for days, values in lines:
            axes.step(days, values, where="post")
        chart.savefig(out, dpi=DPI, format="png")
        return len(steps)

    return job


def _chart_input(rows: int, work: Path):
    """The figures of the metric and group most counted (rule columns), and the sources."""
    import matplotlib.backends.backend_agg  # noqa: F401  (imported untimed)

    from casualties.reporting.aggregation import RULE_COLUMNS
    from casualties.store.database import Store

    store = Store.open(_existing(library_db(work, rows)))
    figures, sources = store.figures(columns=RULE_COLUMNS), store.table("sources")
    store.close()
    cumulative = figures[figures["basis"] == "cumulative"]
    metric, group = cumulative.groupby(["metric", "population_group"]).size().idxmax()
    # What `casualties chart toll --metric M --group G` reads: the store filters by both.
    chosen = figures[(figures["metric"] == metric) & (figures["population_group"] == group)]
    return chosen, sources, metric, group


def export_csv_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """`casualties export csv` through the library: every figure streamed to a file."""
    from casualties.files.exports import write_figures_csv
    from casualties.store.database import Store
    from casualties.store.query import FigureQuery

    store = Store.open(_existing(library_db(work, rows)))
    out = _fresh(work / f"export-{rows}.csv")

    def job() -> str:
        write_figures_csv(store, FigureQuery(), out)
        return out.read_text(encoding="utf-8")

    return job


def import_csv_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """`casualties import` of the exported CSV into a store holding only the references."""
    return _import_job(_exported_csv(rows, work), _empty_store(rows, work))


def import_csv_floor_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """pandas.read_csv of the same file, then a bare executemany into the store's table."""
    from casualties.model.frames import pd

    source, store = _exported_csv(rows, work), _empty_store(rows, work)
    names = [c for c in pd.read_csv(source, nrows=0).columns]
    sql = f"INSERT INTO figures ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"

    def job() -> int:
        frame = pd.read_csv(source, dtype=str, keep_default_na=False)
        connection = store.connection
        connection.execute("BEGIN")
        done = connection.executemany(sql, frame.itertuples(index=False, name=None)).rowcount
        connection.execute("COMMIT")
        return done

    return job


def import_xlsx_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """`casualties import` of the workbook `export xlsx` wrote, into a store of references."""
    return _import_job(_workbook_of(rows, work), _empty_store(rows, work))


def _import_job(source: Path, store) -> Callable[[], int]:
    """The import of `source` into `store`, timed; how many figures it added."""
    from casualties.files.importing import import_file

    def job() -> int:
        done = import_file(store, source)
        store.close()
        return done.added["figures"]

    return job


def import_xlsx_floor_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """python-calamine reading the same workbook's Figures sheet into Python rows."""
    from python_calamine import CalamineWorkbook

    source = _workbook_of(rows, work)

    def job() -> int:
        book = CalamineWorkbook.from_path(str(source))
        return len(book.get_sheet_by_name("Figures").to_python()) - 1

    return job


def _workbook_of(rows: int, work: Path) -> Path:
    """The workbook case's file, written untimed if that case did not leave it."""
    path = work / f"workbook-{rows}.xlsx"
    if not path.is_file():
        workbook_job(rows, 0, work)()
    return path


def _exported_csv(rows: int, work: Path) -> Path:
    """The library store's figures as CSV, written untimed once per size."""
    from casualties.files.exports import write_figures_csv
    from casualties.store.database import Store
    from casualties.store.query import FigureQuery

    source = work / f"import-{rows}.csv"
    if not source.is_file():
        library = Store.open(_existing(library_db(work, rows)))
        write_figures_csv(library, FigureQuery(), source)
        library.close()
    return source


def _empty_store(rows: int, work: Path):
    """A new store holding the library store's sources and publications, no figures."""
    from casualties.store import ledger
    from casualties.store.database import Store

    library = Store.open(_existing(library_db(work, rows)))
    target = work / f"import-target-{rows}.db"
    for stale in work.glob(target.name + "*"):
        stale.unlink()
    store = Store.create(target)
    ledger.add_sources(store, library.table("sources"))
    ledger.add_publications(store, library.table("publications"))
    library.close()
    return store


def _iso_days(dates):
    """Days since 1970 of ISO date strings, as int64."""
    return dates.to_numpy().astype("datetime64[D]").astype("int64")


def _fresh(path: Path) -> Path:
    path.unlink(missing_ok=True)
    return path


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
    "summary": (summary_job, summary_floor_job, "a summary", lambda n, r: r > 0),
    "summary (CLI)": (summary_cli_job, summary_floor_job, "exit code 0", lambda n, r: r == 1),
    "workbook": (workbook_job, workbook_floor_job, "every figure", lambda n, r: r == n),
    "pack": (pack_job, summary_floor_job, "a pack", lambda n, r: r > 0),
    "one chart": (chart_job, chart_floor_job, "a chart", lambda n, r: r > 0),
    "export csv": (export_csv_job, list_floor_job, "every row", lambda n, r: _csv_rows(r) == n),
    "import csv": (import_csv_job, import_csv_floor_job, "every row", lambda n, r: r == n),
    "import xlsx": (import_xlsx_job, import_xlsx_floor_job, "every row", lambda n, r: r == n),
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
    # A case that runs the CLI: its peak is the child's (RUSAGE_CHILDREN is 0 otherwise).
    peak_kb = max(resource.getrusage(who).ru_maxrss for who in (RUSAGE_SELF, RUSAGE_CHILDREN))
    peak_mb = peak_kb / 1024
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


def size_outcomes(
    rows: int, seed: int, work: Path, timeout: float, skip_workbook: bool = False
) -> list[Outcome]:
    """Every case of CASE_ORDER at one size, each with its floor."""
    outcomes: list[Outcome] = []
    for case in CASE_ORDER:
        target = _target(case, rows)
        if rows > ONLY_UP_TO.get(case, rows):
            continue
        if skip_workbook and rows == TARGET_ROWS and case in SKIPPED_BY_WORKBOOK_FLAG:
            outcomes.append(Outcome(case, rows, None, None, "  ".join(("skipped", target))))
            continue
        _progress(f"{case} {rows:,}")
        measure, error = measure_in_child(case, False, rows, seed, work, timeout)
        if case in FLOOR_FROM:
            floor, floor_error = _summed_floor([_find(outcomes, c, rows) for c in FLOOR_FROM[case]])
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


def _target(case: str, rows: int) -> str:
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
    return ""


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
    lines = [
        _million_verdict(outcomes, "insert", "validate+insert 1M"),
        _million_verdict(outcomes, "import csv", "import of a 1M-row CSV"),
    ]
    lines += _summary_verdicts(outcomes) + [_workbook_verdict(outcomes), _chart_verdict(outcomes)]
    lines.append(_xlsx_import_verdict(outcomes))
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


def _million_verdict(outcomes: list[Outcome], case: str, label: str) -> str:
    """The 15 s and 2 GB targets of a million rows stored."""
    found = _find(outcomes, case, TARGET_ROWS)
    if found is None or found.measure is None:
        return f"{label}: {'not run' if found is None else f'failed ({found.error})'}"
    m = found.measure
    met = m.seconds < TARGET_INSERT_SECONDS and m.peak_mb < TARGET_INSERT_MB
    return (
        f"{label}: {m.seconds:.1f} s (target < {TARGET_INSERT_SECONDS:g} s), "
        f"peak {m.peak_mb:,.0f} MB (target < {TARGET_INSERT_MB} MB): {_met(met)}"
    )


def _summary_verdicts(outcomes: list[Outcome]) -> list[str]:
    lines = []
    for case in ("summary", "summary (CLI)"):
        found = _find(outcomes, case, TARGET_ROWS)
        if found is None or found.measure is None:
            why = "not run" if found is None else f"failed ({found.error})"
            lines.append(f"{case} 1M: {why}")
            continue
        seconds = found.measure.seconds
        lines.append(
            f"{case} 1M: {seconds:.1f} s (target < {TARGET_SUMMARY_SECONDS:g} s end to end): "
            f"{_met(seconds < TARGET_SUMMARY_SECONDS)}"
        )
    return lines


def _workbook_verdict(outcomes: list[Outcome]) -> str:
    found = _find(outcomes, "workbook", WORKBOOK_ROWS)
    if found is None or found.measure is None or found.floor is None:
        why = "not run" if found is None else f"failed ({found.error or 'skipped'})"
        return f"workbook 100k: {why}"
    m = found.measure
    ratio = m.seconds / found.floor.seconds
    over = m.peak_mb - (m.start_mb or 0)
    met = ratio <= TARGET_WORKBOOK_RATIO and over < TARGET_WORKBOOK_MB
    return (
        f"workbook 100k: {m.seconds:.1f} s = {ratio:.1f}x floor (target <= "
        f"{TARGET_WORKBOOK_RATIO:g}x), {over:,.0f} MB above the data (target < "
        f"{TARGET_WORKBOOK_MB} MB): {_met(met)}"
    )


def _xlsx_import_verdict(outcomes: list[Outcome]) -> str:
    found = _find(outcomes, "import xlsx", WORKBOOK_ROWS)
    if found is None or found.measure is None:
        return f"import xlsx 100k: {'not run' if found is None else f'failed ({found.error})'}"
    seconds = found.measure.seconds
    floor = f" (calamine alone {found.floor.seconds:.1f} s)" if found.floor else ""
    return (
        f"import xlsx 100k: {seconds:.1f} s{floor} (target < {TARGET_XLSX_IMPORT_SECONDS:g} s): "
        f"{_met(seconds < TARGET_XLSX_IMPORT_SECONDS)}"
    )


def _chart_verdict(outcomes: list[Outcome]) -> str:
    charts = [o for o in outcomes if o.case == "one chart" and o.rows]
    if not charts:
        return "one chart: not run"
    found = max(charts, key=lambda o: o.rows or 0)
    if found.measure is None:
        return f"one chart {found.rows:,}: failed ({found.error})"
    seconds = found.measure.seconds
    return (
        f"one chart {found.rows:,}: {seconds:.2f} s (target < {TARGET_CHART_SECONDS:g} s): "
        f"{_met(seconds < TARGET_CHART_SECONDS)}"
    )


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
        "  summary = pd.read_sql_query of the rule columns (current figures), then the latest",
        "  report per cumulative series: groupby(series key).idxmax() of a recency key (period",
        "  end, report day, version); summary (CLI) reuses that floor (no interpreter start).",
        "  workbook = the store's figures (read untimed, as for the case) written as one sheet",
        "  with bare xlsxwriter, write_column per column, no formats; pack = the summary floor",
        "  + the workbook floor (seconds added, larger peak; no charts); one chart = the same",
        "  steps (computed untimed) as bare matplotlib step lines saved as a 1600x900 PNG.",
        "summary: open the store, pick the latest week's figures through figure_keys, the",
        "  summary, rendered; summary (CLI): wall time of `casualties --db PATH summary >",
        "  /dev/null`, peak of that process; workbook (written with rustpy-xlsxwriter), pack:",
        "  every figure read untimed; one chart: the figures of the metric and group with the",
        "  most cumulative figures (as `chart toll` reads them), matplotlib imported untimed.",
        "export csv: every figure streamed to a file (floor: the list floor); import csv: that",
        "  file into a store holding only its sources and publications (floor: pandas.read_csv",
        "  of the file, then a bare executemany of its rows); import xlsx: the workbook the",
        "  workbook case wrote, likewise (floor: python-calamine reading its Figures sheet),",
        "  at 10k and 100k only: a sheet holds 1,048,576 rows.",
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


def report(sizes: tuple[int, ...], seed: int, timeout: float, skip_workbook: bool = False) -> int:
    """Run every case, print the table and the targets; 1 if any case crashed."""
    work = Path(tempfile.mkdtemp(prefix="casualties-bench-"))
    try:
        outcomes = [
            o for rows in sizes for o in size_outcomes(rows, seed, work, timeout, skip_workbook)
        ]
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
    raise SystemExit(report(sizes, args.seed, args.timeout, args.skip_1m_workbook))


if __name__ == "__main__":
    main()
