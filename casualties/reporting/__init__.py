"""reporting: what the stored figures say, as tables, text, charts and workbooks.

The aggregation rules (what may be added up and what may only be set side by
side) return pandas tables and nothing else: `aggregation` (each source's
week), `candidates` (which figures count, and which a week is made of),
`bounds` (counts with their bounds and ids), `changes` (a week's change as an
interval), `incidents`, `standing` (running totals walked report by report),
`chart_tables`, `workbook_tables` (with the About sheet's rows in
`workbook_about`), `summary`, its `flags`, and `week_words`
(a total and a change as the summary and the Weekly sheet write them). The
writers only lay those tables out: `charts` (matplotlib: the toll, weekly
and place charts, and `chart_compare`), drawn with `chart_marks` (lines,
bars' whiskers, open bounds, revisions) on `chart_axes`, worded by
`chart_words` (titles, the source line) with line-end labels kept apart
(`chart_labels`), and each chart's manifest of ids (`chart_manifests`);
`workbook` (rustpy-xlsxwriter), `brief` (brief.html: the summary's rows and
the charts on a printable page), `pack` (the weekly pack) and `render` (text,
CSV, JSON, Markdown). No computation
hides in a writer.

May import: `model`, `store`, `files` (a workbook is written whole; CSV text
is made safe for spreadsheets there).
"""
