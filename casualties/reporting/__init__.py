"""reporting: what the stored figures say, as tables, text, charts and workbooks.

The aggregation rules (what may be added up and what may only be set side by
side) return pandas tables and nothing else (`aggregation`, `standing`); the
summary (`summary`), charts (`charts`, matplotlib), the workbook (`workbook`),
the weekly pack (`pack`) and the text forms of tables (`render`) only lay
those tables out. No computation hides in a writer.

May import: `model`, `store`, `files` (a workbook is written whole; CSV text
is made safe for spreadsheets there).
"""
