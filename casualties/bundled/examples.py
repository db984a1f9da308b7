"""The example data set: every figure of the two seed articles, typed in by hand."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..model.contract import read_yaml
from ..store.database import Store
from ..store.ledger import add_figures, add_publications, add_sources

EXAMPLE_FILE = Path(__file__).resolve().parents[2] / "data" / "examples" / "seed_articles.yaml"


@dataclass(frozen=True)
class Loaded:
    """How many rows of each table a load added (0 for those already there)."""

    sources: int
    publications: int
    figures: int
    retracted: int = 0  # figures an earlier load misfiled, withdrawn with the reason


def example_tables(path: Path = EXAMPLE_FILE) -> dict:
    """The example file's tables as pandas frames, by table name."""
    from ..model.frames import pd

    raw = read_yaml(path)
    return {name: pd.DataFrame(rows) for name, rows in raw.items()}


def load_example(store: Store, path: Path = EXAMPLE_FILE) -> Loaded:
    """Load the example data; what is already stored is left as it is."""
    tables = example_tables(path)
    with store.transaction():
        sources = add_sources(store, tables["sources"], skip_existing=True)
        publications = add_publications(store, tables["publications"], skip_existing=True)
        figures = add_figures(
            store, tables["figures"], citations=tables.get("citations"), skip_existing=True
        )
    return Loaded(sources, publications, len(figures))
