"""store: where figures live, and the only wing that speaks SQL.

SQLite with versioned migrations and every SQL statement (`database`); every
write as one transaction, validated before it commits (`ledger`); new rows
completed before they are checked (`figures`: defaults, vague words read as
bounds, households as people, content ids); figures read back by filter and
place, and one figure's card and history (`query`).

May import: `model`.
"""
