"""The downloads page and its files: the whole record of each treaty."""

from django.http import FileResponse, Http404
from django.shortcuts import render

from pages.selectors import data as data_page
from states import downloads


def data(request):
    return render(request, "pages/data.html", {"entries": data_page.treaty_downloads()})


def data_file(request, treaty, kind):
    """The treaty's current ZIP or SQLite file, streamed from DOWNLOADS_ROOT."""
    found = downloads.built_file(treaty, kind)
    if found is None:
        raise Http404("No such download.")
    path, entry = found
    response = FileResponse(
        open(path, "rb"),  # noqa: SIM115 (FileResponse closes it)
        as_attachment=True,
        filename=data_page.download_name(treaty, kind, downloads.manifest(treaty)),
        content_type=downloads.KINDS[kind],
    )
    # The SHA-256 of the manifest is the file's: a strong validator for caches.
    response["ETag"] = f'"{entry["sha256"]}"'
    response["Cache-Control"] = "public, max-age=300"
    return response
