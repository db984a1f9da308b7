"""bundled: the data that ships with the package, and its loaders.

The seed articles' figures, typed in by hand (`examples`, from
`data/examples/`), and the real Gaza daily series of the Ministry of Health
and the Government Media Office (`gaza_daily`, from `../shared/data/`). Each
loads through the ledger like any other write.

May import: `model`, `store`.
"""
