"""pandas as casualties uses it: text columns held in Python objects, not in pyarrow.

With pyarrow installed (the `parquet` extra) pandas 3 keeps text in Arrow
arrays by default, and their `isin` is twenty times slower on ids: storing
100k figures took 3.6 s instead of 1.9 s. Every module takes pandas from here,
so the choice holds however pandas was first imported.
"""

import pandas as pd

pd.set_option("mode.string_storage", "python")

__all__ = ["pd"]
