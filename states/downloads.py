"""Where the complete downloads of each treaty live, and reading what was built.

A build (states.dump) writes its files under a name of their own, then replaces the
treaty's manifest `<slug>.json` in one rename: a reader always finds a manifest whose
files are complete and whose sizes and SHA-256 sums are theirs.
"""

import json
import re
from pathlib import Path

from django.conf import settings

KINDS = {"zip": "application/zip", "sqlite": "application/vnd.sqlite3"}
FILE_NAME = re.compile(r"^[a-z0-9][A-Za-z0-9-]*\.(zip|sqlite)$")


def root():
    return Path(settings.DOWNLOADS_ROOT)


def manifest_path(treaty_slug):
    return root() / f"{treaty_slug}.json"


def manifest(treaty_slug):
    """The treaty's last complete build (a dict, see states.dump), or None."""
    try:
        return json.loads(manifest_path(treaty_slug).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def built_file(treaty_slug, kind):
    """(path, manifest entry) of the treaty's current `kind` file, or None."""
    current = manifest(treaty_slug)
    entry = (current or {}).get("files", {}).get(kind)
    if not entry or not FILE_NAME.match(entry.get("stored_as", "")):
        return None
    path = root() / entry["stored_as"]
    return (path, entry) if path.is_file() else None
