"""The figure store: every SQL statement of casualties lives in this module.

SQLite by default. The schema is versioned (`PRAGMA user_version`) and moved
forward by MIGRATIONS; a later store on PostgreSQL replaces this module only.
Figures are kept in every version: the row a user sees is the current one
(`is_current = 1`); older versions stay for `history`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import contract
from .errors import StoreNotInitialised, StoreTooNew, StoreUnreadable, UnknownFigure

if TYPE_CHECKING:
    import pandas as pd

MIGRATIONS: list[str] = [
    # 1: the first contract
    """
    CREATE TABLE sources (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, aliases TEXT, kind TEXT NOT NULL,
        reliability TEXT NOT NULL, url TEXT, notes TEXT
    );
    CREATE TABLE publications (
        id TEXT PRIMARY KEY, publisher TEXT NOT NULL, title TEXT, url TEXT,
        published_on TEXT NOT NULL, retrieved_on TEXT, language TEXT
    );
    CREATE TABLE figures (
        id TEXT NOT NULL, version INTEGER NOT NULL,
        metric TEXT NOT NULL, population_group TEXT NOT NULL,
        value_low INTEGER, value_best INTEGER, value_high INTEGER,
        qualifier TEXT NOT NULL, value_words TEXT, unit TEXT NOT NULL, household_size REAL,
        people_low INTEGER, people_best INTEGER, people_high INTEGER,
        place_reported TEXT NOT NULL, place_codes TEXT NOT NULL, place_precision TEXT NOT NULL,
        period_start TEXT NOT NULL, period_end TEXT NOT NULL, date_precision TEXT NOT NULL,
        basis TEXT NOT NULL, anchor_words TEXT, date_words TEXT, date_resolution TEXT,
        reported_on TEXT NOT NULL,
        source_id TEXT NOT NULL REFERENCES sources(id), publication_ids TEXT NOT NULL,
        quote TEXT NOT NULL, source_term TEXT, cause TEXT, notes TEXT,
        role TEXT NOT NULL, grade TEXT NOT NULL, grade_note TEXT,
        part_of TEXT, status TEXT NOT NULL, supersedes TEXT, change_reason TEXT,
        entered_by TEXT NOT NULL, entered_at TEXT NOT NULL,
        is_current INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (id, version)
    );
    CREATE UNIQUE INDEX figures_current ON figures (id) WHERE is_current = 1;
    CREATE TABLE citations (
        figure_id TEXT NOT NULL, publication_id TEXT NOT NULL REFERENCES publications(id),
        quote TEXT NOT NULL, PRIMARY KEY (figure_id, publication_id)
    );
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)
INTERNAL_COLUMNS = ("is_current",)
LARGE_BATCH = 50_000


@dataclass(frozen=True)
class FigureFilter:
    """Which current figures to read; every field narrows, None means any."""

    metrics: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    # period overlaps [start, end]
    start: str | None = None
    end: str | None = None


class Store:
    """A casualties store in one SQLite file."""

    def __init__(self, connection: sqlite3.Connection, path: str):
        self.connection = connection
        self.path = path

    @classmethod
    def create(cls, path: str | Path) -> Store:
        """Open the store at `path`, creating it or migrating it to the current schema."""
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        store = cls(_connect(path), str(path))
        store.migrate()
        return store

    @classmethod
    def open(cls, path: str | Path) -> Store:
        """Open an existing store; refuses a missing or uninitialised one."""
        if str(path) != ":memory:" and not Path(path).is_file():
            raise StoreNotInitialised(str(path))
        store = cls(_connect(path), str(path))
        version = store.schema_version()
        if version == 0:
            raise StoreNotInitialised(str(path))
        if version > SCHEMA_VERSION:
            raise StoreTooNew(str(path), version, SCHEMA_VERSION)
        if version < SCHEMA_VERSION:
            store.migrate()
        return store

    def close(self) -> None:
        self.connection.close()

    def schema_version(self) -> int:
        return self.connection.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> int:
        """Apply the migrations this store lacks, each in its own transaction."""
        start = self.schema_version()
        if start > SCHEMA_VERSION:
            raise StoreTooNew(self.path, start, SCHEMA_VERSION)
        for number, script in enumerate(MIGRATIONS[start:], start=start + 1):
            with self.transaction():
                for statement in filter(str.strip, script.split(";")):
                    self.connection.execute(statement)
                self.connection.execute(f"PRAGMA user_version = {number}")
        return SCHEMA_VERSION - start

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside land together or not at all."""
        if self.connection.in_transaction:
            yield
            return
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.connection.rollback()
            raise
        self.connection.commit()

    # writes ---------------------------------------------------------------

    def insert(self, table_name: str, frame: pd.DataFrame) -> int:
        """Insert the rows of a frame laid out as the contract's table."""
        names = contract.table(table_name).column_names
        placeholders = ", ".join("?" for _ in names)
        sql = f"INSERT INTO {table_name} ({', '.join(names)}) VALUES ({placeholders})"
        with self.transaction():
            self.connection.executemany(sql, _rows(frame, names))
        return len(frame)

    def retire_versions(self, figure_ids: list[str]) -> None:
        """Mark the current versions of these figures as history."""
        with self.transaction():
            self.connection.executemany(
                "UPDATE figures SET is_current = 0 WHERE id = ? AND is_current = 1",
                [(i,) for i in figure_ids],
            )

    # reads ----------------------------------------------------------------

    def ids(self, table_name: str) -> set[str]:
        """Every id in sources or publications."""
        if table_name not in ("sources", "publications"):
            raise ValueError(table_name)
        return {row[0] for row in self.connection.execute(f"SELECT id FROM {table_name}")}

    def table(self, table_name: str, ids: list[str] | None = None) -> pd.DataFrame:
        """All rows of sources, publications or citations (or those with these ids)."""
        names = contract.table(table_name).column_names
        sql = f"SELECT {', '.join(names)} FROM {table_name}"
        key = "figure_id" if table_name == "citations" else "id"
        params: list = []
        if ids is not None:
            sql += f" WHERE {key} IN (SELECT value FROM json_each(?))"
            params.append(_json_list(ids))
        return self._frame(sql + f" ORDER BY {key}", params, table_name, names)

    def figures(
        self,
        where: FigureFilter | None = None,
        columns: list[str] | None = None,
        ordered: bool = True,
    ) -> pd.DataFrame:
        """Current versions of the figures matching `where`, oldest period first if `ordered`."""
        names = columns or contract.table("figures").column_names
        sql, params = _figures_sql(where, names, ordered)
        return self._frame(sql, params, "figures", names)

    def figure_batches(
        self,
        where: FigureFilter | None = None,
        columns: list[str] | None = None,
        size: int = 50_000,
    ) -> Iterator[list[tuple]]:
        """The same rows as `figures`, as plain tuples, a batch at a time (for streaming)."""
        names = columns or contract.table("figures").column_names
        cursor = self.connection.execute(*_figures_sql(where, names, ordered=True))
        while batch := cursor.fetchmany(size):
            yield batch

    def figure_versions(self, figure_id: str) -> pd.DataFrame:
        """Every version of one figure, oldest first."""
        names = contract.table("figures").column_names
        sql = f"SELECT {', '.join(names)} FROM figures WHERE id = ? ORDER BY version"
        frame = self._frame(sql, [figure_id], "figures", names)
        if frame.empty:
            raise UnknownFigure(figure_id)
        return frame

    def related_figures(self, ids: list[str]) -> pd.DataFrame:
        """Current figures with these ids, and the current subsets of them."""
        names = contract.table("figures").column_names
        sql = (
            f"SELECT {', '.join(names)} FROM figures WHERE is_current = 1 AND "
            "(id IN (SELECT value FROM json_each(?))"
            " OR part_of IN (SELECT value FROM json_each(?)))"
        )
        listed = _json_list(ids)
        return self._frame(sql, [listed, listed], "figures", names)

    def existing_figure_ids(self, ids: list[str]) -> set[str]:
        """Those of `ids` already in the store (in any version)."""
        if len(ids) > LARGE_BATCH:
            # One scan of the key beats a million lookups; sets do the rest.
            stored = self.connection.execute("SELECT DISTINCT id FROM figures")
            return {row[0] for row in stored}.intersection(ids)
        sql = "SELECT DISTINCT id FROM figures WHERE id IN (SELECT value FROM json_each(?))"
        return {row[0] for row in self.connection.execute(sql, [_json_list(ids)])}

    def counts(self) -> dict[str, int]:
        """Rows per table (current figures only)."""
        counts = {
            name: self.connection.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
            for name in ("sources", "publications", "citations")
        }
        sql = "SELECT count(*) FROM figures WHERE is_current = 1"
        counts["figures"] = self.connection.execute(sql).fetchone()[0]
        return counts

    def _frame(self, sql: str, params: list, table_name: str, names: list[str]) -> pd.DataFrame:
        import pandas as pd

        from .validation import frame_dtypes

        rows = self.connection.execute(sql, params).fetchall()
        frame = pd.DataFrame.from_records(rows, columns=names)
        dtypes = frame_dtypes(table_name)
        return frame.astype({n: dtypes[n] for n in names if n in dtypes})


def _connect(path: str | Path) -> sqlite3.Connection:
    try:
        # isolation_level=None: transactions are opened explicitly by Store.transaction.
        connection = sqlite3.connect(str(path), isolation_level=None)
        # A rollback journal writes a bulk insert once; WAL writes it twice (log, then
        # checkpoint): 1M figures land in 13 s instead of 16. One analyst's store
        # needs no concurrent readers; FULL keeps each commit durable.
        connection.execute("PRAGMA journal_mode = DELETE")
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA foreign_keys = ON")
        # A larger page cache keeps the key indexes in memory during bulk inserts.
        connection.execute("PRAGMA cache_size = -131072")
    except sqlite3.Error as error:
        raise StoreUnreadable(str(path), str(error)) from error
    return connection


def _figures_sql(where: FigureFilter | None, names: list[str], ordered: bool) -> tuple[str, list]:
    clauses, params = _figure_clauses(where or FigureFilter())
    sql = f"SELECT {', '.join(names)} FROM figures WHERE {' AND '.join(clauses)}"
    return sql + (" ORDER BY period_start, reported_on, id" if ordered else ""), params


def _figure_clauses(where: FigureFilter) -> tuple[list[str], list]:
    clauses, params = ["is_current = 1"], []
    for column, values in (
        ("metric", where.metrics),
        ("population_group", where.groups),
        ("source_id", where.sources),
        ("status", where.statuses),
        ("id", where.ids),
    ):
        if values:
            clauses.append(f"{column} IN (SELECT value FROM json_each(?))")
            params.append(_json_list(values))
    if where.start:
        clauses.append("period_end >= ?")
        params.append(where.start)
    if where.end:
        clauses.append("period_start <= ?")
        params.append(where.end)
    return clauses, params


def _json_list(values) -> str:
    import json

    return json.dumps(list(values))


def _rows(frame: pd.DataFrame, names: list[str], chunk: int = 50_000) -> Iterator[tuple]:
    """Rows as plain Python tuples, a chunk at a time so memory stays bounded.

    Missing values go in as NaN, which SQLite stores as NULL; whole floats in
    INTEGER columns are stored as integers (column affinity).
    """
    for start in range(0, len(frame), chunk):
        part = frame.iloc[start : start + chunk]
        yield from zip(*(_plain_values(part[name]) for name in names), strict=True)


def _plain_values(column: pd.Series) -> list:
    if str(column.dtype) in ("Int64", "Float64"):
        return column.to_numpy(dtype="float64", na_value=float("nan")).tolist()
    if column.dtype == object:
        return column.where(column.notna(), None).tolist()
    return column.tolist()
