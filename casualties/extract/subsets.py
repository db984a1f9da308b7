"""Subset links: counts a sentence names as part of another ("ten children ... were among 25").

A link word ("were among", "including", "of whom") ties the children,
women or men counted on one side of it to the total on the other; each such
draft points at its total's draft, and a subset listed after its total takes
the total's metric.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .counts import SUBSET_GROUPS, Count
from .merging import Draft

SUBSET_LINKS = re.compile(
    r"\b(?:were among|are among|among them|including|of whom|of them|among whom)\b",
    re.IGNORECASE,
)


def linked_subsets(sentence: str, counted: list[Count], drafts: list[Draft]) -> list[Draft]:
    """Subsets named with their total, pointing at it (and taking its metric when listed).

    "ten children and four women were among at least 25 civilians": the
    subsets before the link, the total after; "killed 12 civilians, including
    one child, three women and eight men": the total before, the subsets after;
    "112,000 people, 12,000 of whom are civilians": the count just before the
    link is the subset, the one before that its total.
    """
    parent_of: dict[int, int] = {}
    listed: set[int] = set()  # subsets that take their total's metric
    for link in SUBSET_LINKS.finditer(sentence):
        words = link.group(0).lower()
        after_link = [i for i, (m, _) in enumerate(counted) if m.start >= link.end()]
        before_link = [i for i, (m, _) in enumerate(counted) if m.end <= link.start()]
        if words in ("of whom", "of them"):
            if len(before_link) >= 2:
                parent_of[before_link[-1]] = before_link[-2]
            continue
        if words.endswith("among") and words != "among them":
            totals, subsets = after_link[:1], before_link
        else:
            totals, subsets = before_link[-1:], []
            for i in after_link:  # the subsets listed after the link, up to the next total
                if counted[i][1][0] not in SUBSET_GROUPS:
                    break
                subsets.append(i)
        if not totals or counted[totals[0]][1][0] in SUBSET_GROUPS:
            continue
        for i in subsets:
            if counted[i][1][0] in SUBSET_GROUPS:
                parent_of[i] = totals[0]
                listed.add(i)
    return _pointing(drafts, parent_of, listed)


def _pointing(drafts: list[Draft], parent_of: dict[int, int], listed: set[int]) -> list[Draft]:
    """The drafts with each subset pointing at its total's final draft (totals made first)."""
    final: dict[int, Draft] = {}

    def made(i: int) -> Draft:
        if i not in final:
            draft = drafts[i]
            if i in parent_of:
                total = made(parent_of[i])
                fields = dict(draft.fields)
                if i in listed:
                    fields["metric"] = total.fields["metric"]
                draft = replace(draft, fields=fields, total=total)
            final[i] = draft
        return final[i]

    return [made(i) for i in range(len(drafts))]
