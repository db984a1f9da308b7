"""The bench's cases of files in and out: export csv, import csv, import xlsx.

The export streams the store the insert case left to a CSV; the imports read
that CSV, or the workbook the workbook case wrote, into a store holding only
the sources and publications. Their floors are pandas.read_csv (every cell a
Python str) with a bare executemany, and python-calamine reading the
workbook's Figures sheet. Beside the CSV import, the same file read typed and
validated, not stored: what the import costs beyond reading and checking.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .report_cases import workbook_job
from .workdir import existing, fresh, library_db


def export_csv_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """`casualties export csv` through the library: every figure streamed to a file."""
    from casualties.files.exports import write_figures_csv
    from casualties.store.database import Store
    from casualties.store.query import FigureQuery

    store = Store.open(existing(library_db(work, rows)))
    out = fresh(work / f"export-{rows}.csv")

    def job() -> str:
        write_figures_csv(store, FigureQuery(), out)
        return out.read_text(encoding="utf-8")

    return job


def import_csv_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """`casualties import` of the exported CSV into a store holding only the references."""
    return _import_job(_exported_csv(rows, work), _empty_store(rows, work))


def import_csv_floor_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """pandas.read_csv of the same file, then a bare executemany into the store's table.

    Every cell read as a Python str (dtype=object): pandas 3 reads dtype=str as
    Arrow-backed text, which every row handed to sqlite3 must convert back.
    """
    from casualties.model.frames import pd

    source, store = _exported_csv(rows, work), _empty_store(rows, work)
    names = [c for c in pd.read_csv(source, nrows=0).columns]
    sql = f"INSERT INTO figures ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"

    def job() -> int:
        frame = pd.read_csv(source, dtype=object, keep_default_na=False)
        # Rows zipped lazily from each column's list, the cheapest measured: at 1M
        # rows (2026-12-01, a busy 2-core machine) 33 s, against 51 s for
        # frame.to_numpy().tolist() (one array copied, then a list per row held at
        # once) and 34 s for itertuples.
        rows_in = zip(*(frame[name].tolist() for name in names), strict=True)
        connection = store.connection
        connection.execute("BEGIN")
        done = connection.executemany(sql, rows_in).rowcount
        connection.execute("COMMIT")
        return done

    return job


def read_validate_csv_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """The import's own typed read of the same file, then its pandera validation; no store.

    What `casualties import` costs before it stores a row: the cells cleaned to
    their types (`reading.read_batches`, a chunk at a time, put together here so
    that a subset's parent in an earlier chunk is found) and the whole frame
    checked against the contract (`validation.problems_in`). The job returns
    the rows that passed.
    """
    import pandera.pandas  # noqa: F401  (imported untimed, as the floor's pandas is)

    from casualties.files.cells import Reading
    from casualties.files.reading import read_batches
    from casualties.model.frames import pd
    from casualties.model.validation import References, problems_in
    from casualties.store.database import Store

    source = _exported_csv(rows, work)
    library = Store.open(existing(library_db(work, rows)))
    references = References(library.ids("sources"), library.ids("publications"))
    library.close()

    def job() -> int:
        parts = [part for batch in read_batches(source, "figures", Reading()) for part in batch]
        frame = pd.concat([part.frame for part in parts], ignore_index=True)
        del parts  # the chunks, copied into the frame, freed before validating
        references.figures = frame  # subsets name parents in the same file
        problems = problems_in("figures", frame, references)
        return len(frame) - len({problem.row for problem in problems})

    return job


def read_csv_floor_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """pandas.read_csv of the same file, every cell a Python str, nothing checked."""
    from casualties.model.frames import pd

    source = _exported_csv(rows, work)
    return lambda: len(pd.read_csv(source, dtype=object, keep_default_na=False))


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
        library = Store.open(existing(library_db(work, rows)))
        write_figures_csv(library, FigureQuery(), source)
        library.close()
    return source


def _empty_store(rows: int, work: Path):
    """A new store holding the library store's sources and publications, no figures."""
    from casualties.store import ledger
    from casualties.store.database import Store

    library = Store.open(existing(library_db(work, rows)))
    target = work / f"import-target-{rows}.db"
    for stale in work.glob(target.name + "*"):
        stale.unlink()
    store = Store.create(target)
    ledger.add_sources(store, library.table("sources"))
    ledger.add_publications(store, library.table("publications"))
    library.close()
    return store


# IOM's Displacement Tracking Matrix as HDX publishes it (beside the checkout, as tests
# find it): 13,367 rows of IDPs at admin levels 0 to 2, parts of one count summed.
DTM_FILE = Path(__file__).resolve().parents[2] / "shared" / "data" / "iom_dtm_idps_admin0-2.csv"
DTM_ROWS = 13_367


def import_dtm_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """`casualties import --from hdx` of the real IOM DTM file, into a store of references."""
    from casualties.files.hdx import Provenance
    from casualties.files.importing import import_file

    store = _references_store(work)
    provenance = Provenance("iom-dtm", "hdx-iom-dtm", None)

    def job() -> int:
        done = import_file(store, existing(DTM_FILE), dataset="hdx", provenance=provenance)
        store.close()
        return done.rows or 0

    return job


def import_dtm_floor_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """pandas.read_csv of the same file, its hashtag row left out, every cell a Python str."""
    from casualties.model.frames import pd

    def job() -> int:
        return len(pd.read_csv(existing(DTM_FILE), dtype=object, skiprows=[1]))

    return job


def _references_store(work: Path):
    """A new store holding only the source and publication the IOM file's figures name."""
    from casualties.model.frames import pd
    from casualties.store import ledger
    from casualties.store.database import Store

    target = work / "import-dtm.db"
    for stale in work.glob(target.name + "*"):
        stale.unlink()
    store = Store.create(target)
    source = {"id": "iom-dtm", "name": "IOM Displacement Tracking Matrix", "kind": "un"}
    ledger.add_sources(store, pd.DataFrame([{**source, "reliability": "high"}]))
    publication = {"id": "hdx-iom-dtm", "publisher": "HDX", "published_on": "2025-07-15"}
    ledger.add_publications(store, pd.DataFrame([publication]))
    return store
