"""The figure store: every SQL statement that reads or writes figures lives here.

SQLite by default. The schema is versioned (`PRAGMA user_version`) and moved
forward by `migrations`; a later store on PostgreSQL replaces these two modules
only.
Figures are kept in every version: the row a user sees is the current one
(`is_current = 1`); older versions stay for `history`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import StoreNotInitialised, StoreTooNew, StoreUnreadable, UnknownFigure
from ..model import contract
from .migrations import MIGRATION_STEPS, MIGRATIONS, SCHEMA_VERSION

if TYPE_CHECKING:
    from ..model.frames import pd

INTERNAL_COLUMNS = ("is_current",)
# A week's figures read as model.counting.counting_view counts them: households of
# a known size in people (the stored people bounds), the rest as entered.
IN_PEOPLE = "unit = 'people' OR household_size IS NULL"
COUNTED = {
    **{
        f"value_{p}": f"CASE WHEN {IN_PEOPLE} THEN value_{p} ELSE people_{p} END AS value_{p}"
        for p in ("low", "best", "high")
    },
    "unit": f"CASE WHEN {IN_PEOPLE} THEN unit ELSE 'people' END AS unit",
}
LARGE_BATCH = 50_000
# How long a command waits for another one's write to end (a 1M-row import
# takes about half a minute) before saying the store is busy.
BUSY_TIMEOUT_MS = 120_000


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
    # reported on or before this day
    reported_by: str | None = None


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
        while self._migrated_one_step():
            pass
        return SCHEMA_VERSION - start

    def _migrated_one_step(self) -> bool:
        """Apply the next migration, if the store still lacks one; whether one was applied.

        The version is read again once the write lock is held: several processes
        opening a new store at once queue here, and only the first migrates.
        """
        with self.transaction():
            number = self.schema_version() + 1
            if number > SCHEMA_VERSION:
                return False
            for statement in filter(str.strip, MIGRATIONS[number - 1].split(";")):
                self.connection.execute(statement)
            if number in MIGRATION_STEPS:
                getattr(self, MIGRATION_STEPS[number])()
            self.connection.execute(f"PRAGMA user_version = {number}")
        return True

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

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Writes inside undone together if they fail, the enclosing transaction going on."""
        with self.transaction():
            self.connection.execute("SAVEPOINT part")
            try:
                yield
            except BaseException:
                self.connection.execute("ROLLBACK TO part")
                self.connection.execute("RELEASE part")
                raise
            self.connection.execute("RELEASE part")

    # writes ---------------------------------------------------------------

    def insert(self, table_name: str, frame: pd.DataFrame) -> int:
        """Insert the rows of a frame laid out as the contract's table."""
        names = contract.table(table_name).column_names
        placeholders = ", ".join("?" for _ in names)
        sql = f"INSERT INTO {table_name} ({', '.join(names)}) VALUES ({placeholders})"
        with self.transaction():
            last = self._last_rowid(table_name)
            self.connection.executemany(sql, _rows(frame, names))
            if table_name == "figures":
                self._add_figure_keys(frame, self._inserted_rowids(last, len(frame)))
        return len(frame)

    def retire_versions(self, figure_ids: list[str]) -> None:
        """Mark the current versions of these figures as history."""
        current = "SELECT rowid FROM figures WHERE id = ? AND is_current = 1"
        with self.transaction():
            keyed = [(i,) for i in figure_ids]
            newest = f"SELECT series FROM figure_keys WHERE latest AND figure IN ({current})"
            orphaned = [row[0] for i in keyed for row in self.connection.execute(newest, i)]
            drop_keys = f"DELETE FROM figure_keys WHERE figure IN ({current})"
            self.connection.executemany(drop_keys, keyed)
            self._mark_latest(orphaned)
            self.connection.executemany(
                "UPDATE figures SET is_current = 0 WHERE id = ? AND is_current = 1", keyed
            )

    def _last_rowid(self, table_name: str) -> int:
        return self.connection.execute(f"SELECT max(rowid) FROM {table_name}").fetchone()[0] or 0

    def _add_figure_keys(self, figures: pd.DataFrame, rowids) -> None:
        """Key rows for the figures of these that count (active, recommended, not discounted).

        Keys are those of the counting view (units, kind, anchor), so the store picks
        the same reports as the rules. `cumulative` marks standing counts: running
        totals and stocks, whose newest report replaces the ones before.
        """
        import numpy as np

        from ..model.counting import counting_view, counts_mask, standing_mask
        from ..model.series import key_hashes, recency

        active = (figures["status"] == "active").to_numpy() & counts_mask(figures)
        if not active.any():
            return
        chosen = counting_view(figures if active.all() else figures[active])
        series, source_key = key_hashes(chosen)
        order = recency(chosen).to_numpy()
        columns = (
            np.asarray(rowids)[active].tolist(),
            series.tolist(),
            source_key.tolist(),
            standing_mask(chosen).astype(int).tolist(),
            order.tolist(),
            self._newest_of_their_series(series, order).astype(int).tolist(),
        )
        self.connection.executemany(
            "INSERT INTO figure_keys VALUES (?, ?, ?, ?, ?, ?)", zip(*columns, strict=True)
        )

    def _newest_of_their_series(self, series, order):
        """Which new key rows will be their series' newest; unmarks the stored ones they pass."""
        import numpy as np

        from ..model.frames import pd

        new = pd.DataFrame({"series": series, "recency": order, "at": np.arange(len(series))})
        newest = new.sort_values("recency").drop_duplicates("series", keep="last")
        sql = (
            "SELECT figure, series, recency FROM figure_keys WHERE latest"
            " AND series IN (SELECT value FROM json_each(?))"
        )
        listed = _json_list(newest["series"].tolist())
        stored = pd.DataFrame(
            self.connection.execute(sql, [listed]).fetchall(),
            columns=["figure", "series", "stored"],
        )
        # Nullable integers: recency needs all 63 bits, which a float would round.
        stored = stored.astype({"figure": "Int64", "stored": "Int64"})
        both = newest.merge(stored, on="series", how="left")
        later = (both["recency"] > both["stored"]).fillna(False).astype(bool)
        passed = both["stored"].isna() | later
        self.connection.execute(
            "UPDATE figure_keys SET latest = 0 WHERE figure IN (SELECT value FROM json_each(?))",
            [_json_list(both.loc[passed & both["figure"].notna(), "figure"].astype(int).tolist())],
        )
        marked = np.zeros(len(series), dtype=bool)
        marked[both.loc[passed, "at"].to_numpy()] = True
        return marked

    def _mark_latest(self, series: list[int] | None = None) -> None:
        """Mark each series' newest key row (of these series, or of all)."""
        where, params = "", []
        if series is not None:
            if not series:
                return
            where = " WHERE series IN (SELECT value FROM json_each(?))"
            params = [_json_list(series)]
        self.connection.execute(f"UPDATE figure_keys SET latest = 0{where}", params)
        newest = f"SELECT figure, max(recency) FROM figure_keys{where} GROUP BY series"
        self.connection.execute(
            f"UPDATE figure_keys SET latest = 1 WHERE figure IN (SELECT figure FROM ({newest}))",
            params,
        )

    def _inserted_rowids(self, last_before: int, count: int):
        """The rowids SQLite gave the rows just inserted: the next ones after the last."""
        import numpy as np

        if self._last_rowid("figures") != last_before + count:
            raise RuntimeError("figures were not given consecutive rowids")  # not in SQLite
        return np.arange(last_before + 1, last_before + count + 1)

    def _fill_figure_keys(self) -> None:
        """Keys for every current figure of a store made before figure_keys existed."""
        from ..model.counting import NEEDED_COLUMNS
        from ..model.series import RECENCY_COLUMNS

        keyed = ["source_id", "metric", "population_group", "place_codes", *NEEDED_COLUMNS]
        names = list(dict.fromkeys(["status", "role", "grade", *keyed, *RECENCY_COLUMNS]))
        sql = f"SELECT rowid, {', '.join(names)} FROM figures WHERE is_current = 1"
        frame = self._frame(sql, [], "figures", ["rowid", *names])
        self._add_figure_keys(frame, frame["rowid"].to_numpy())

    # reads ----------------------------------------------------------------

    def ids(self, table_name: str) -> set[str]:
        """Every id in sources or publications."""
        if table_name not in ("sources", "publications"):
            raise ValueError(table_name)
        return {row[0] for row in self.connection.execute(f"SELECT id FROM {table_name}")}

    def source_ids(self) -> list[str]:
        """The ids of the stored sources (no pandas: a filter check needs only these)."""
        return [row[0] for row in self.connection.execute("SELECT id FROM sources ORDER BY id")]

    def table(self, table_name: str, ids: list[str] | None = None) -> pd.DataFrame:
        """All rows of sources, publications or citations (or those with these ids)."""
        names = contract.table(table_name).column_names
        return self._frame(*_table_sql(table_name, ids), table_name, names)

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

    def figures_as_stored(
        self,
        stored_at: str,
        where: FigureFilter | None = None,
        columns: list[str] | None = None,
        ordered: bool = True,
    ) -> pd.DataFrame:
        """The figures as the store held them at `stored_at` (UTC, as entered_at is written).

        Each figure's newest version entered by then, whatever came after:
        a later amendment, retraction or correction is not yet there.
        """
        names = columns or contract.table("figures").column_names
        sql, params = _as_stored_sql(stored_at, where, names, ordered)
        return self._frame(sql, params, "figures", names)

    def stored_until(self) -> str | None:
        """The store's time: when its newest figure version was entered (None if empty)."""
        return self.connection.execute("SELECT max(entered_at) FROM figures").fetchone()[0]

    def figure_batches(
        self,
        where: FigureFilter | None = None,
        columns: list[str] | None = None,
        size: int = 50_000,
        stored_at: str | None = None,
    ) -> Iterator[list[tuple]]:
        """The same rows as `figures` (or `figures_as_stored`), as plain tuples, a batch at a
        time (for streaming)."""
        names = columns or contract.table("figures").column_names
        if stored_at:
            cursor = self.connection.execute(*_as_stored_sql(stored_at, where, names, True))
        else:
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

    def figure_record(self, figure_id: str) -> tuple[dict, int]:
        """One figure's current version as plain values, and how many versions it has.

        Read without pandas: `show` answers at once.
        """
        names = contract.table("figures").column_names
        sql = f"SELECT {', '.join(names)} FROM figures WHERE id = ? ORDER BY version"
        rows = self.connection.execute(sql, [figure_id]).fetchall()
        if not rows:
            raise UnknownFigure(figure_id)
        return dict(zip(names, rows[-1], strict=True)), len(rows)

    def records(self, table_name: str, ids: list[str] | None = None) -> list[dict]:
        """The rows `table` gives (all, or those with these ids), as plain values: no pandas."""
        names = contract.table(table_name).column_names
        rows = self.connection.execute(*_table_sql(table_name, ids))
        return [dict(zip(names, row, strict=True)) for row in rows]

    def subset_records(self, figure_id: str) -> list[dict]:
        """The current figures that are part of this one, as plain values."""
        names = contract.table("figures").column_names
        sql = f"SELECT {', '.join(names)} FROM figures WHERE is_current = 1 AND part_of = ?"
        rows = self.connection.execute(sql, [figure_id]).fetchall()
        return [dict(zip(names, row, strict=True)) for row in rows]

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

    def week_figures(
        self,
        week_start: date,
        week_end: date,
        as_of: date | None,
        where: FigureFilter,
        names: list[str],
        incidents_per_place: bool = False,
    ) -> pd.DataFrame:
        """The figures a week's numbers are made of, found through figure_keys.

        Their counts and unit come as the rules count them (COUNTED), so the
        people columns need not be read.

        Every active figure whose period ends in the week; before it, each
        cumulative series' newest report and each source's newest incident per
        metric and group (per place too if `incidents_per_place`, for a
        caller that filters by place). (In memory the same choice is
        reporting.candidates.week_candidates.)
        """
        from ..model.series import first_recency, recency_day, recency_report_day

        known = "recency < :until"
        params: dict = {"until": first_recency(week_end + timedelta(days=1))}
        params["after"] = first_recency(week_start)
        if as_of is not None:
            known += f" AND {recency_report_day('recency')} <= :as_of"
            params["as_of"] = recency_day(as_of)
        incident_key = "series" if incidents_per_place else "source_key"
        params["reported_from"] = recency_day(week_start)
        params["reported_to"] = recency_day(week_end)
        reported = recency_report_day("recency")
        # Narrow queries, then one read of the chosen rows: faster than one statement
        # that joins them (SQLite would scan figure_keys as often anyway). Conditions
        # that pick single rows share one scan.
        picked = [
            "recency >= :after",
            # Reported in the week about an earlier one: back-dated, flagged this week.
            f"{reported} BETWEEN :reported_from AND :reported_to",
        ]
        replay = as_of is not None
        if not replay:
            # Each series' newest report, where it came before the week.
            picked.append("(cumulative AND latest)")
        chosen = [
            f"SELECT figure FROM figure_keys WHERE {known} AND ({' OR '.join(picked)})",
            f"SELECT figure, max(recency) FROM figure_keys"
            f" WHERE {known} AND NOT cumulative AND recency < :after GROUP BY {incident_key}",
            _standing_before(known, replay),  # the slowest last
        ]
        rowids = sorted(self._first_columns(chosen, params))
        clauses, values = _figure_clauses(where)
        params = {f"p{n}": v for n, v in enumerate(values)} | {"rowids": _json_list(rowids)}
        condition = _numbered(" AND ".join(clauses))
        sql = (
            f"SELECT {', '.join(COUNTED.get(n, n) for n in names)} FROM figures"
            f" WHERE {condition} AND rowid IN (SELECT value FROM json_each(:rowids))"
        )
        return self._frame(sql, params, "figures", names)

    def _first_columns(self, queries: list[str], params: dict) -> list:
        """The first column of every row of the queries.

        The slowest (the last) runs on a second, read-only connection at the same
        time as the others: SQLite works outside the GIL, so two cores share it.
        """

        def first_column(connection, sql: str) -> list:
            return [row[0] for row in connection.execute(sql, params)]

        if self.path == ":memory:" or self.connection.in_transaction or len(queries) < 2:
            return [value for sql in queries for value in first_column(self.connection, sql)]
        from concurrent.futures import ThreadPoolExecutor

        def on_its_own(sql: str) -> list:
            uri = Path(self.path).resolve().as_uri() + "?mode=ro"
            connection = sqlite3.connect(uri, uri=True)
            try:
                return first_column(connection, sql)
            finally:
                connection.close()

        with ThreadPoolExecutor(1) as pool:
            slowest = pool.submit(on_its_own, queries[-1])
            values = [value for sql in queries[:-1] for value in first_column(self.connection, sql)]
            return values + slowest.result()

    def set_aside_figures(
        self, first: date, last: date, where: FigureFilter, names: list[str]
    ) -> pd.DataFrame:
        """Current figures not counted (not recommended, or discounted) ending in [first, last]."""
        clauses, values = _figure_clauses(where)
        condition = " AND ".join(
            [
                "(role != 'recommended' OR grade = 'discounted')",
                "period_end >= ? AND period_end <= ?",
                *clauses,
            ]
        )
        sql = f"SELECT {', '.join(names)} FROM figures WHERE {condition}"
        return self._frame(sql, [first.isoformat(), last.isoformat(), *values], "figures", names)

    def counted_subsets(
        self,
        parents: list[str],
        before: date,
        as_of: date | None,
        where: FigureFilter,
        names: list[str],
    ) -> pd.DataFrame:
        """Counting subsets of these figures whose periods end before `before` (as COUNTED)."""
        clauses, values = _figure_clauses(where)
        condition = [
            "part_of IN (SELECT value FROM json_each(?))",
            "status = 'active'",
            "role = 'recommended' AND grade != 'discounted'",
            "period_end < ?",
            *clauses,
        ]
        params = [_json_list(parents), before.isoformat(), *values]
        if as_of is not None:
            condition.append("reported_on <= ?")
            params.append(as_of.isoformat())
        sql = (
            f"SELECT {', '.join(COUNTED.get(n, n) for n in names)} FROM figures"
            f" WHERE {' AND '.join(condition)}"
        )
        return self._frame(sql, params, "figures", names)

    def corrected_after(self, day: date) -> bool:
        """Whether a current correction (a figure superseding another) was reported after `day`."""
        sql = (
            "SELECT 1 FROM figures WHERE supersedes IS NOT NULL AND is_current = 1"
            " AND reported_on > ? LIMIT 1"
        )
        return self.connection.execute(sql, [day.isoformat()]).fetchone() is not None

    def latest_period_end(self, as_of: date | None) -> date | None:
        """The last day any active figure counts (of those reported by `as_of`)."""
        from ..model.series import recency_day, recency_end_day, recency_report_day

        sql = "SELECT max(recency) FROM figure_keys"
        params = []
        if as_of is not None:
            sql += f" WHERE {recency_report_day('recency')} <= ?"
            params.append(recency_day(as_of))
        newest = self.connection.execute(sql, params).fetchone()[0]
        return None if newest is None else recency_end_day(newest)

    def existing_figure_ids(self, ids: list[str]) -> set[str]:
        """Those of `ids` already in the store (in any version)."""
        if len(ids) > LARGE_BATCH and self._last_rowid("figures") < 2 * len(ids):
            # One scan of the key beats a million lookups; sets do the rest. A batch
            # into a store much larger than itself (a file read in chunks) looks up.
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

    def _frame(self, sql: str, params, table_name: str, names: list[str]) -> pd.DataFrame:
        from ..model.frames import pd
        from ..model.validation import frame_dtypes

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
        # Writers queue: a second command waits for the first to commit (BEGIN
        # IMMEDIATE takes the write lock) instead of failing at once.
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA foreign_keys = ON")
        # A larger page cache keeps the key indexes in memory during bulk inserts.
        connection.execute("PRAGMA cache_size = -131072")
    except sqlite3.Error as error:
        raise StoreUnreadable(str(path), str(error)) from error
    return connection


def _as_stored_sql(
    stored_at: str, where: FigureFilter | None, names: list[str], ordered: bool
) -> tuple[str, list]:
    """SQL for each figure's newest version entered by `stored_at`."""
    clauses, params = _figure_clauses(where or FigureFilter(), current=False)
    newest = (
        "version = (SELECT max(version) FROM figures AS v"
        " WHERE v.id = figures.id AND v.entered_at <= ?)"
    )
    condition = " AND ".join(["entered_at <= ?", newest, *clauses])
    sql = f"SELECT {', '.join(names)} FROM figures WHERE {condition}"
    # In the order `figures` gives: its own, or the rows' (a version keeps its rowid).
    sql += " ORDER BY " + ("period_start, reported_on, id" if ordered else "rowid")
    return sql, [stored_at, stored_at, *params]


def _figures_sql(where: FigureFilter | None, names: list[str], ordered: bool) -> tuple[str, list]:
    clauses, params = _figure_clauses(where or FigureFilter())
    sql = f"SELECT {', '.join(names)} FROM figures WHERE {' AND '.join(clauses)}"
    return sql + (" ORDER BY period_start, reported_on, id" if ordered else ""), params


def _figure_clauses(where: FigureFilter, current: bool = True) -> tuple[list[str], list]:
    clauses, params = (["is_current = 1"] if current else []), []
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
    if where.reported_by:
        clauses.append("reported_on <= ?")
        params.append(where.reported_by)
    return clauses, params


def _standing_before(known: str, replay: bool) -> str:
    """SQL for the newest report before the week (`:after`) of each series needing a sort.

    Replaying an earlier day must sort the reports known then; otherwise the
    newest report of a series that has none since is marked (`latest`), and
    only the few series reported again since need sorting.
    """
    if replay:
        return (
            f"SELECT figure, max(recency) FROM figure_keys"
            f" WHERE {known} AND cumulative AND recency < :after GROUP BY series"
        )
    since = "SELECT series FROM figure_keys WHERE cumulative AND latest AND recency >= :after"
    return (
        f"SELECT figure, max(recency) FROM figure_keys WHERE cumulative AND recency < :after"
        f" AND series IN ({since}) GROUP BY series"
    )


def _table_sql(table_name: str, ids: list[str] | None) -> tuple[str, list]:
    """SQL for the rows of sources, publications or citations (or those with these ids)."""
    names = contract.table(table_name).column_names
    sql = f"SELECT {', '.join(names)} FROM {table_name}"
    key = "figure_id" if table_name == "citations" else "id"
    params: list = []
    if ids is not None:
        sql += f" WHERE {key} IN (SELECT value FROM json_each(?))"
        params.append(_json_list(ids))
    return sql + f" ORDER BY {key}", params


def _numbered(condition: str) -> str:
    """Positional placeholders as :p0, :p1, … so they mix with named ones."""
    parts = condition.split("?")
    return "".join(f"{part}:p{n}" for n, part in enumerate(parts[:-1])) + parts[-1]


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
