"""The /data/ page: each treaty's complete downloads as last built."""

import datetime
from dataclasses import dataclass

from provisions.models import Treaty
from states import downloads


@dataclass
class TreatyDownloads:
    treaty: Treaty
    manifest: dict | None

    @property
    def built_at(self):
        return self._moment("built_at")

    @property
    def matrix_built_at(self):
        return self._moment("matrix_built_at")

    def _moment(self, key):
        value = (self.manifest or {}).get(key)
        return datetime.datetime.fromisoformat(value) if value else None


def treaty_downloads():
    """Every treaty with its manifest (None when never built); one query."""
    return [
        TreatyDownloads(treaty, downloads.manifest(treaty.slug))
        for treaty in Treaty.objects.order_by("title")
    ]


def download_name(treaty_slug, kind, manifest):
    """What the saved file is called: `un-cybercrime-record-2026-12-01.zip`."""
    day = manifest["built_at"][:10]
    return f"{treaty_slug}-record-{day}.{kind}"
