"""files: figures in and out of files an analyst or another tool opens.

Reading a CSV, workbook or JSON into typed rows (`reading`, with the cell
cleaning in `cells`) and storing them all or nothing (`importing`); event
datasets and HDX files as figures (`datasets`, `hdx`, `hxl`); the entry
workbook (`template`); exports to CSV, JSON and Parquet (`exports`) and HXL
(`hxl`); and the two guarantees every writer keeps: a file is written whole
(`atomic`) and no text reaches a spreadsheet as a formula (`csv_text`).

May import: `model`, `store`, `bundled` (the template shows an example row
from the example data).
"""
