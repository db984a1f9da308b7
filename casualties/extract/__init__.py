"""extract: draft figures read from news text, for an analyst to review.

Finding the sentences that hold counts and reading each number with its
qualifier, metric and group (`extraction`, `mentions`), the teller and place
they are attributed to, dates like "Sunday" read against the publication day
(`relative_dates`), and the drafts written as the entry workbook lays them out
(`drafts`). Nothing here stores a figure: drafts are imported like any file.

May import: `model`, `files` (drafts are written as the template and the
exports write files).
"""
