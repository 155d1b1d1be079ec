"""The complete downloads of a treaty's public record: a ZIP of CSV tables described
by CSV on the Web (CSVW) metadata, and a SQLite file of the same tables.

`tables` says what goes out (a new table is one entry of TABLES, a new column one
Column); `build` writes both files from one consistent read and publishes them.
"""

from states.dump.build import csvw_metadata, dump_build, dump_build_all
from states.dump.tables import LICENCE, TABLES

__all__ = ["LICENCE", "TABLES", "csvw_metadata", "dump_build", "dump_build_all"]
