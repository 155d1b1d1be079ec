"""Reads for the public pages, one module per page: each returns everything its page
needs in a fixed number of queries, whatever the size of the data.

Matrix cells always come from the materialized snapshots (states.matrix.read);
nothing here recomputes them.
"""
