"""The public pages of the formal acts: a treaty's status and a recorded vote.

Thin views, as in pages.views: parse the request, call a selector, render. The status
table is also served as CSV and JSON (`?format=csv|json`), the same rows the page
shows.
"""

import csv
import io

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from common.errors import ParameterError
from pages.selectors import status as status_page
from pages.selectors import vote as vote_page
from pages.views.common import bad_request, rejecting_nul

CSV_COLUMNS = [
    "code",
    "name",
    "kind",
    "group",
    "status",
    "signature_date",
    "signature_date_precision",
    "signature_verification",
    "domestic_steps",
    "instrument",
    "instrument_date",
    "declarations_reservations",
    "sources",
]


def _csv_cell(value):
    if isinstance(value, list):
        return "; ".join(
            " ".join(str(v) for v in item.values() if v)
            if isinstance(item, dict)
            else str(item)
            for item in value
        )
    return "" if value is None else value


def _status_csv(page):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in page.rows:
        data = row.as_dict()
        writer.writerow([_csv_cell(data[c]) for c in CSV_COLUMNS])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{page.treaty.slug}-status.csv"'
    )
    return response


@rejecting_nul
def treaty_status(request, treaty):
    query = request.GET
    output = query.get("format", "")
    if output not in ("", "csv", "json"):
        return bad_request(request, "format: use csv or json, or leave it out.")
    unknown = set(query) - {"format", "group", "status", "vote"}
    if unknown:
        return bad_request(request, f"{sorted(unknown)[0]}: unknown parameter.")
    try:
        page = status_page.status_page(treaty, query)
    except ParameterError as error:
        return bad_request(request, f"{error.param}: {error.message}")
    if output == "csv":
        return _status_csv(page)
    if output == "json":
        return JsonResponse(
            {
                "treaty": page.treaty.slug,
                "as_of": page.status.today.isoformat(),
                "rows": [row.as_dict() for row in page.rows],
            }
        )
    return render(
        request, "pages/treaty_status.html", {"page": page, "treaty": page.treaty}
    )


@rejecting_nul
def vote_detail(request, treaty, vote_id):
    page = vote_page.vote_page(treaty, vote_id)
    return render(
        request, "pages/vote_detail.html", {"page": page, "treaty": page.treaty}
    )
