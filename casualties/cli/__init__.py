"""cli: the `casualties` command, a thin shell over the library.

`app` builds the click group and registers every command on it; each other
module holds one family of commands (the store, figures, files, reports,
extraction, reference look-ups) and the shared `shell` and `options`. A
command parses its options, calls one function of the core and prints what it
returns. Nothing imports this wing but `casualties/__main__.py`.

May import: `model`, `store`, `bundled`, `files`, `reporting`, `extract`.
"""
