"""The store's schema as SQL, one migration per version, never edited once released.

A store records how far it has come in `PRAGMA user_version`; `Store.migrate`
runs the migrations after it, each in one transaction with its Python step.
"""

from __future__ import annotations

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
    # 2: figure_keys, a narrow copy of what orders current active figures into series
    # (hashes of the series and source keys, the report's recency, whether it is its
    # series' newest), so a week's summary asks SQLite for its few thousand figures
    # instead of reading them all.
    """
    CREATE TABLE figure_keys (
        figure INTEGER PRIMARY KEY, series INTEGER NOT NULL, source_key INTEGER NOT NULL,
        cumulative INTEGER NOT NULL, recency INTEGER NOT NULL, latest INTEGER NOT NULL
    );
    """,
    # 3: no index of current versions: the ledger retires a version in the same
    # transaction that stores the next (tests check one current version per id), and
    # keeping the index up to date cost 0.85 s of every million figures inserted.
    """
    DROP INDEX IF EXISTS figures_current;
    """,
    # 4: the subsets of a figure found without reading every figure (a file imported
    # in chunks checks each chunk's parents); few figures are subsets, so few entries.
    """
    CREATE INDEX IF NOT EXISTS figures_part_of ON figures (part_of) WHERE part_of IS NOT NULL;
    """,
    # 5: series keys with unit, kind (stock or flow) and anchor, and only the figures
    # that count (recommended, not discounted): the keys are made again from the figures.
    # Corrections found without reading every figure, for replaying an earlier day;
    # likewise the few figures set aside (triangulation, discounted) a summary shows.
    """
    DELETE FROM figure_keys;
    CREATE INDEX IF NOT EXISTS figures_supersedes ON figures (supersedes)
        WHERE supersedes IS NOT NULL;
    CREATE INDEX IF NOT EXISTS figures_set_aside ON figures (period_end)
        WHERE role != 'recommended' OR grade = 'discounted';
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)
# Python steps run after a migration's SQL, in the same transaction.
MIGRATION_STEPS: dict[int, str] = {2: "_fill_figure_keys", 5: "_fill_figure_keys"}
