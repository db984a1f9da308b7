"""The bench's case of drafting figures from news text: a long text to a drafts workbook.

The text is the two seed articles over and over, to the size asked (in
characters), as `casualties extract TEXT --out drafts.xlsx` reads it with the
example's sources known. The floor writes the same drafts' fields, row by
row, into a bare openpyxl workbook: what writing them costs with no
extraction, no merging and no entry-workbook layout.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from .workdir import fresh

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
TEXT_CHARACTERS = 5_000_000
PUBLISHED = date(2024, 12, 6)


def extract_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """extract + merged + draft_tables + write_drafts of `rows` characters of news text."""
    from casualties.bundled.examples import example_tables
    from casualties.extract.drafting import Article, extract
    from casualties.extract.drafts import draft_tables, known_sources, write_drafts
    from casualties.extract.merging import merged

    text = _long_text(rows)
    sources = example_tables()["sources"]
    known = known_sources(sources.to_dict("records"))
    out = fresh(work / f"drafts-{rows}.xlsx")

    def job() -> int:
        article = Article(text, PUBLISHED, "long-text-2024-12-06", "long text")
        drafts = merged(extract(article, known))
        tables = draft_tables(drafts, [article], {})
        write_drafts(out, tables, sources, overwrite=True)
        return len(drafts)

    return job


def extract_floor_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """The same drafts' fields appended to a bare openpyxl sheet (drafted untimed)."""
    from openpyxl import Workbook

    from casualties.extract.drafting import Article, extract

    fields = [d.fields for d in extract(Article(_long_text(rows), PUBLISHED, "floor-2024", ""))]
    out = fresh(work / f"drafts-floor-{rows}.xlsx")

    def job() -> int:
        book = Workbook()
        sheet = book.active
        names = list(fields[0]) if fields else []
        sheet.append(names)
        for row in fields:
            sheet.append([row[n] for n in names])
        book.save(out)
        return len(fields)

    return job


def _long_text(characters: int) -> str:
    """The seed articles, repeated and cut to `characters`."""
    articles = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    once = articles + "\n\n"
    return (once * (characters // len(once) + 1))[:characters]
