"""brief.html's footnotes: each figure a number stands on, with its source, publications and quote.

Every text here comes from the store, much of it from news articles: all of it is
HTML-escaped, and a link is made only of a publication's http(s) address.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from ..model.missing import is_missing
from .bounds import SEP

if TYPE_CHECKING:
    from ..model.frames import pd


class Notes:
    """Footnotes numbered in the order figures are first cited: one per figure id."""

    def __init__(self, figures: pd.DataFrame, sources: pd.DataFrame, publications: pd.DataFrame):
        self.figures = figures
        self.source_names = dict(zip(sources["id"], sources["name"], strict=True))
        self.publications = publications.set_index("id", drop=False)
        self.numbers: dict[str, int] = {}

    def mark(self, ids: str) -> str:
        """The note links for a ';'-joined list of figure ids ('' for none)."""
        numbers = [self._number(i) for i in ids.split(SEP) if i]
        links = ",".join(f'<a href="#n{n}">{n}</a>' for n in numbers)
        return f"<sup>{links}</sup>" if links else ""

    def _number(self, figure_id: str) -> int:
        return self.numbers.setdefault(figure_id, len(self.numbers) + 1)

    def html(self) -> str:
        """The notes as an ordered list, each naming source, publications and the quote."""
        # Only the figures cited: a pack of a million figures cites dozens.
        cited = self.figures[self.figures["id"].isin(self.numbers)]
        by_id = dict(zip(cited["id"], cited.to_dict("records"), strict=True))
        items = [self._note(i, n, by_id.get(i)) for i, n in self.numbers.items()]
        return '<ol class="notes">\n' + "\n".join(items) + "\n</ol>"

    def _note(self, figure_id: str, number: int, figure: dict | None) -> str:
        if figure is None:
            return f'<li id="n{number}"><code>{escape(figure_id)}</code></li>'
        source = self.source_names.get(figure["source_id"], figure["source_id"])
        cited = [self._publication(p) for p in str(figure["publication_ids"]).split(SEP) if p]
        return (
            f'<li id="n{number}"><code>{escape(figure_id)}</code> {escape(str(source))}. '
            f"{'; '.join(cited)}. <q>{escape(str(figure['quote']))}</q></li>"
        )

    def _publication(self, publication_id: str) -> str:
        """Publisher, title, date and a link, as a reader cites them."""
        if publication_id not in self.publications.index:
            return escape(publication_id)
        row = self.publications.loc[publication_id]
        parts = [escape(str(row["publisher"]))]
        if _given(row["title"]):
            parts.append(f"<cite>{escape(str(row['title']))}</cite>")
        parts.append(escape(str(row["published_on"])))
        text = ", ".join(parts)
        url = row["url"]
        linked = _given(url) and str(url).startswith(("https://", "http://"))
        return f'<a href="{escape(str(url))}">{text}</a>' if linked else text


def _given(value) -> bool:
    return not is_missing(value) and str(value) != ""
