"""The bench's cases on the store: validate, insert, list, summary, summary (CLI).

Each `*_job` runs in its own process: it prepares its input untimed and returns
the call to time; each `*_floor_job` beside it does the same work the cheapest
honest way (plain pandas masks, a bare sqlite3 executemany, pandas.read_sql,
groupby().idxmax()). Heavy libraries are imported inside the jobs, so a case
times only what it means to.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from .workdir import existing, last_line, library_db


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
    from casualties.files.csv_text import to_csv
    from casualties.store.database import Store
    from casualties.store.query import FigureQuery, matching_figures

    path = existing(library_db(work, rows))

    def job() -> str:
        store = Store.open(path)
        text = to_csv(matching_figures(store, FigureQuery()))
        store.close()
        return text

    return job


def list_floor_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """pandas.read_sql_query of the whole figures table, written as CSV."""
    from casualties.model.frames import pd

    path = existing(library_db(work, rows))

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

    path = existing(library_db(work, rows))

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
    from casualties.reporting.candidates import RULE_COLUMNS

    # The series key as stored columns (the rules derive kind and anchor from basis and start).
    series_key = ["source_id", "metric", "population_group", "unit", "basis", "place_codes"]
    series_key.append("period_start")

    path = existing(library_db(work, rows))
    sql = f"SELECT {', '.join(RULE_COLUMNS)} FROM figures WHERE is_current = 1"

    def job() -> int:
        connection = sqlite3.connect(path)
        frame = pd.read_sql_query(sql, connection)
        connection.close()
        cumulative = frame[(frame["status"] == "active") & (frame["basis"] == "cumulative")]
        end, reported = (_iso_days(cumulative[c]) for c in ("period_end", "reported_on"))
        version = cumulative["version"].to_numpy() % 2**8
        recency = pd.Series(end * 2**32 + reported * 2**8 + version, index=cumulative.index)
        return len(recency.groupby([cumulative[k] for k in series_key]).idxmax())

    return job


def summary_cli_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """`casualties --db PATH summary > /dev/null`, wall time of the whole process, the
    summary made (answers off: asked again, it would be the answer remembered)."""
    path = existing(library_db(work, rows))
    argv = [str(Path(sys.executable).with_name("casualties")), "--db", str(path), "summary"]
    env = {**os.environ, "CASUALTIES_NO_CACHE": "1"}

    def job() -> int:
        done = subprocess.run(
            argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env
        )
        if done.returncode != 0:
            raise RuntimeError(last_line(done.stderr) or f"exit code {done.returncode}")
        return 1

    return job


def _iso_days(dates):
    """Days since 1970 of ISO date strings, as int64."""
    return dates.to_numpy().astype("datetime64[D]").astype("int64")
