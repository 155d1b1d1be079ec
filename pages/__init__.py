"""The public site: read-only pages, feeds and charts over the record."""
