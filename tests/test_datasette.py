"""The store browsed with Datasette: read-only, every table and column described from schemas/."""

import asyncio
import json

from click.testing import CliRunner

from casualties.cli.app import cli
from casualties.model import contract
from tests.conftest import store_digest


def test_datasette_serves_the_store_read_only_with_the_contracts_descriptions(tmp_path):
    from datasette.app import Datasette

    db, metadata = tmp_path / "store.db", tmp_path / "metadata.json"
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", str(db), "init", "--example"]).exit_code == 0
    args = ["--db", str(db), "export", "datasette-metadata", "--out", str(metadata)]
    assert runner.invoke(cli, args).exit_code == 0
    before = store_digest(db)
    site = Datasette([str(db)], immutables=[str(db)], metadata=json.loads(metadata.read_text()))

    async def pages():
        figures = await site.client.get("/store/figures.json?_shape=objects")
        described = await site.client.get("/-/metadata.json")
        hidden = await site.client.get("/store.json")
        return figures.json(), described.json(), hidden.json()

    figures, described, database = asyncio.run(pages())
    assert len(figures["rows"]) == 7
    tables = described["databases"]["store"]["tables"]
    quote = next(c for c in contract.table("figures").columns if c.name == "quote")
    assert tables["figures"]["columns"]["quote"] == quote.description
    assert set(contract.TABLE_NAMES) <= set(tables)
    shown = {t["name"] for t in database["tables"] if not t["hidden"]}
    assert "figure_keys" not in shown and "figures" in shown
    assert store_digest(db) == before
