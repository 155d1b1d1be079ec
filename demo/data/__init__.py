"""The demo record's data files: CSV, UTF-8, one row per record (README.md here says
what each file holds and where its facts come from).

The statements and their positions are in the positions import's format
(states.imports.columns) and are loaded through the import; the other files are
keyed on natural keys (a code, a slug, a session number), never on ids.
"""

import csv
from pathlib import Path

DIR = Path(__file__).resolve().parent


def rows(name):
    """The rows of data file `name` as {column: text}."""
    with (DIR / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))
