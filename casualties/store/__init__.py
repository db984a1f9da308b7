"""store: where figures live, and the only wing that speaks SQL.

SQLite and every SQL statement that reads or writes figures (`database`), the
schema version by version (`migrations`); every write as one transaction,
validated before it commits (`ledger`); new rows completed before they are
checked (`figures`: defaults, vague words read as bounds, households as
people, content ids); figures read back by filter and place, and one figure's
card and history (`query`).

May import: `model`.
"""
