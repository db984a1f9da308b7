"""The SQLite store: schema versions, migrations, the contract's columns."""

import sqlite3

import pytest

from casualties.errors import StoreNotInitialised, StoreTooNew
from casualties.model import contract
from casualties.store.database import INTERNAL_COLUMNS, Store
from casualties.store.migrations import SCHEMA_VERSION


def test_a_new_store_has_the_current_schema(store):
    assert store.schema_version() == SCHEMA_VERSION
    assert store.counts() == {"sources": 0, "publications": 0, "citations": 0, "figures": 0}


def test_store_tables_have_exactly_the_contract_columns(store):
    for name in contract.TABLE_NAMES:
        rows = store.connection.execute(f"PRAGMA table_info({name})").fetchall()
        columns = [r[1] for r in rows if r[1] not in INTERNAL_COLUMNS]
        assert columns == contract.table(name).column_names, name


def test_required_contract_columns_are_not_null_in_sql(store):
    for name in contract.TABLE_NAMES:
        not_null = {r[1] for r in store.connection.execute(f"PRAGMA table_info({name})") if r[3]}
        for column in contract.table(name).columns:
            if column.required and column.name not in ("id", "figure_id", "publication_id"):
                assert column.name in not_null, (name, column.name)


def test_opening_a_missing_store_says_to_run_init(tmp_path):
    with pytest.raises(StoreNotInitialised, match="casualties init"):
        Store.open(tmp_path / "none.db")


def test_opening_a_file_that_is_not_a_store_is_refused(tmp_path):
    path = tmp_path / "other.db"
    sqlite3.connect(path).close()
    with pytest.raises(StoreNotInitialised):
        Store.open(path)


def test_a_store_from_a_newer_casualties_is_refused(tmp_path):
    path = tmp_path / "new.db"
    Store.create(path).connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreTooNew):
        Store.open(path)


def test_migrating_twice_does_nothing(tmp_path):
    store = Store.create(tmp_path / "s.db")
    assert store.migrate() == 0
    assert Store.create(tmp_path / "s.db").schema_version() == SCHEMA_VERSION


def test_a_failed_transaction_leaves_nothing(example_store):
    before = example_store.counts()
    with pytest.raises(RuntimeError), example_store.transaction():
        example_store.connection.execute("DELETE FROM figures")
        raise RuntimeError("interrupted")
    assert example_store.counts() == before
