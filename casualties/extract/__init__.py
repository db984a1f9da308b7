"""extract: draft figures read from news text, for an analyst to review.

An article read into drafts sentence by sentence (`drafting`): its text cut
into sentences (`sentences`), each number read with its qualifier
(`mentions`) and kept when it counts people, with its metric and group
(`counts`), the teller it is attributed to (`attribution`), the places named
(`places`), dates like "Sunday" read against the publication day
(`relative_dates`), subsets linked to their totals (`subsets`), a figure
stated twice proposed once (`merging`), and the drafts written as the entry
workbook lays them out (`drafts`). Nothing here stores a figure: drafts are
imported like any file.

May import: `model`, `files` (drafts are written as the template and the
exports write files).
"""
