"""Drafts and their merging: a proposed figure, and a figure stated twice proposed once.

A `Draft` is what the reader proposes for one count: the figures table's
fields, where its quote sits, its doubts and confidence, who told it and the
total it is a subset of. A headline restating the body, or a second article
giving the same figure, is merged into one draft that names every
publication and keeps the other article's words as a citation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Draft:
    """A proposed figure: the contract's fields, where its words are, and doubts."""

    fields: dict  # the figures table's columns
    quote_start: int
    quote_end: int
    confidence: float
    doubts: tuple[str, ...] = ()
    number_at: int = 0  # where the number's words start in the text
    told_by: str | None = None  # the source as the text names it
    outlet_own: bool = False  # no teller named: read as the outlet's own count
    total: Draft | int | None = None  # the draft it is a subset of; its position once merged
    cited_in: tuple[tuple[str, str], ...] = ()  # (publication, words) of other articles

    @property
    def headline(self) -> bool:
        """Whether its sentence has no closing stop: a title restating the body."""
        return not re.search(r"[.!?\"”’)]$", self.fields["quote"])


def merged(drafts: list[Draft]) -> list[Draft]:
    """The drafts with a figure stated twice (a headline, a second article) kept once.

    Two drafts state the same figure when metric, group and values agree and
    their sources do (or one names none): the better sourced, surer one stays,
    with both publications; a subset keeps pointing at its total.
    """
    kept: list[Draft] = []
    where: dict[int, int] = {}  # id() of a draft → the position of the kept draft holding it
    # Each draft is compared only with the kept drafts that could state its figure
    # (comparing with all of them took minutes for a long text).
    alike: dict[tuple, _Alike] = {}
    for draft in drafts:
        same = alike.setdefault(_number(draft), _Alike())
        twin = next((i for i in same.candidates(draft) if _same_figure(kept[i], draft)), None)
        if twin is None:
            where[id(draft)] = len(kept)
            same.add(len(kept), draft)
            kept.append(draft)
            continue
        where[id(draft)] = twin
        where[id(kept[twin])] = twin
        same.remove(twin, kept[twin])
        kept[twin] = _joined(kept[twin], draft)
        same.add(twin, kept[twin])
        where[id(kept[twin])] = twin
    return [_repointed(d, where) for d in kept]


def _number(draft: Draft) -> tuple:
    """What two drafts of one figure share: the metric and the values."""
    return tuple(draft.fields[k] for k in ("metric", "value_low", "value_best", "value_high"))


class _Alike:
    """The positions of the kept drafts of one number, by what a new draft may join.

    Two drafts of one article's body are two counts (`_same_figure`): a draft
    of the body is compared with headlines and other articles' drafts only.
    """

    def __init__(self):
        self.headlines: list[int] = []
        self.by_publication: dict[str, list[int]] = {}

    def candidates(self, draft: Draft) -> list[int]:
        """In the order they were kept, the positions `draft` may be the same figure as."""
        own = None if draft.headline else draft.fields["publication_ids"]
        others = (at for p, ats in self.by_publication.items() if p != own for at in ats)
        return sorted([*self.headlines, *others])

    def add(self, at: int, draft: Draft) -> None:
        self._list_of(draft).append(at)

    def remove(self, at: int, draft: Draft) -> None:
        self._list_of(draft).remove(at)

    def _list_of(self, draft: Draft) -> list[int]:
        if draft.headline:
            return self.headlines
        return self.by_publication.setdefault(draft.fields["publication_ids"], [])


def _same_figure(a: Draft, b: Draft) -> bool:
    keys = ("metric", "value_low", "value_best", "value_high")
    if any(a.fields[k] != b.fields[k] for k in keys):
        return False
    if a.fields["publication_ids"] == b.fields["publication_ids"] and not (
        a.headline or b.headline
    ):
        return False  # one article giving a number twice in its body: two counts, say as written
    groups = {a.fields["population_group"], b.fields["population_group"]}
    if len(groups - {"people"}) > 1:  # "people" is what a text says when it names no group
        return False
    return len({_teller(a), _teller(b)} - {None}) <= 1


def _teller(draft: Draft) -> str | None:
    """The source the text names for the draft (not the outlet it fell back to)."""
    return None if draft.outlet_own else draft.fields["source_id"]


def _joined(a: Draft, b: Draft) -> Draft:
    first, second = sorted((a, b), key=lambda d: (_teller(d) is None, -d.confidence))
    publications = first.fields["publication_ids"].split(";")
    more = [p for p in second.fields["publication_ids"].split(";") if p not in publications]
    fields = {**first.fields, "publication_ids": ";".join([*publications, *more])}
    if fields["population_group"] == "people":
        fields["population_group"] = second.fields["population_group"]
    cited = ((more[0], second.fields["quote"]),) if more else ()  # the other article's words
    return replace(first, fields=fields, cited_in=first.cited_in + cited)


def _repointed(draft: Draft, where: dict[int, int]) -> Draft:
    """The draft with its total given as the position of the kept draft that holds it."""
    if draft.total is None or isinstance(draft.total, int):
        return draft
    return replace(draft, total=where[id(draft.total)])
