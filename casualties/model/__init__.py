"""model: what a figure, a place, a week and a series are.

The data contract read from `schemas/` (`contract`) and the pandera schemas
and cross-column rules built from it (`validation`, `rules`); missing values
and pandas as the package uses it (`missing`, `frames`); places and which lies
inside which (`gazetteer`); ISO weeks (`weeks`); which reports count the same
thing and which is newer (`series`); what a figure counts as in totals:
people, stock or flow, anchor, whether it counts at all (`counting`); how a
count and its bounds are written (`notation`). Every other wing stands on
this one.

May import: nothing of the package but `errors`.
"""
