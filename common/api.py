"""Project-wide REST framework pieces named in the settings.

Pagination that refuses bad page numbers, a CSV renderer, throttles whose rates follow
the settings, the error handler and the schema hook documenting error responses. They
must not import rest_framework.views (which loads them); the base viewset lives in
common.viewsets.
"""

import csv
import io

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models.deletion import ProtectedError, RestrictedError
from rest_framework import exceptions, renderers, status, throttling
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings

from common import spreadsheet

# Query parameters every endpoint understands, whatever its filters.
COMMON_QUERY_PARAMS = frozenset({"format", spreadsheet.BOM_PARAM})
LIST_QUERY_PARAMS = frozenset({"page", "page_size", "ordering"})


def _positive_int_param(request, name):
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise exceptions.ValidationError({name: ["Must be a positive integer."]})
    return value


class Pagination(PageNumberPagination):
    """Page numbers from 1; `page_size` up to 1000 (larger is clamped, not refused)."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request):
        size = _positive_int_param(request, self.page_size_query_param)
        return min(size, self.max_page_size) if size else self.page_size

    def paginate_queryset(self, queryset, request, view=None):
        # A malformed page number is the client's mistake (400); a well-formed one past
        # the end is a page that does not exist (404), as DRF has it.
        _positive_int_param(request, self.page_query_param)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters


def _flat(value):
    if isinstance(value, list | tuple):
        return ";".join(str(item) for item in value)
    if isinstance(value, dict):
        return ";".join(f"{key}={item}" for key, item in value.items())
    if value is None:
        return ""
    return value


class CSVRenderer(renderers.BaseRenderer):
    """One row per result (the current page of a list); lists joined with `;`.

    Formula-looking cells are neutralised; `?bom=1` prefixes a byte-order mark.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and "results" in data:
            rows = data["results"]
        elif isinstance(data, list):
            rows = data
        else:
            rows = [data]
        out = io.StringIO()
        header = list(rows[0].keys()) if rows else []
        writer = csv.writer(out)
        writer.writerow(header)
        for row in rows:
            writer.writerow(spreadsheet.safe_row(_flat(row.get(key)) for key in header))
        return _csv_download(out.getvalue(), renderer_context).encode(self.charset)


def _csv_download(text, renderer_context):
    """The CSV with its BOM if asked for, and a file name saying what it holds."""
    request = (renderer_context or {}).get("request")
    response = (renderer_context or {}).get("response")
    if request is None:
        return text
    if response is not None and response.status_code < 400:
        spreadsheet.attachment(response, _download_name(request))
    return spreadsheet.with_bom(text, request.query_params.get("bom") == "1")


def _download_name(request):
    """`statements-treaty-un-cybercrime-page-2.csv` for /api/v1/statements/?…"""
    path = request.path.strip("/").split("/")
    resource = path[2:] if path[:2] == ["api", "v1"] else path[-1:]
    query = [
        part
        for name, values in request.query_params.lists()
        if name not in ("format", "bom", "page_size")
        for value in values
        for part in (name, value)
    ]
    return spreadsheet.filename(*resource, *query)


class _SettingsRateMixin:
    """Read the rate at request time, so settings overrides (and tests) apply."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonRateThrottle(_SettingsRateMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_SettingsRateMixin, throttling.UserRateThrottle):
    pass


class WriteRateThrottle(_SettingsRateMixin, throttling.UserRateThrottle):
    """Writes per user (scope `writes`); reads are not counted."""

    scope = "writes"

    def allow_request(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return super().allow_request(request, view)


def django_error_detail(exc):
    if hasattr(exc, "error_dict"):
        return {
            field if field != "__all__" else api_settings.NON_FIELD_ERRORS_KEY: [
                message for error in errors for message in error.messages
            ]
            for field, errors in exc.error_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}


def exception_handler(exc, context):
    """DRF's handler, plus model validation (400) and conflicts (409)."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(django_error_detail(exc))
    elif isinstance(exc, ProtectedError | RestrictedError):
        names = sorted({str(obj._meta.verbose_name_plural) for obj in exc.args[1]})
        return Response(
            {"detail": f"Still referenced by {', '.join(names)}; delete those first."},
            status=status.HTTP_409_CONFLICT,
        )
    elif isinstance(exc, IntegrityError):
        # A constraint lost a race with a concurrent write (validation ran first).
        return Response(
            {"detail": "Conflicts with the current data; reload and retry."},
            status=status.HTTP_409_CONFLICT,
        )
    # Imported here: rest_framework.views loads this module's classes from settings.
    from rest_framework.views import exception_handler as drf_exception_handler

    return drf_exception_handler(exc, context)


ERROR_SCHEMA = {
    "type": "object",
    "description": 'Either {"detail": "..."} or {"<field or parameter>": ["..."]}.',
    "additionalProperties": True,
}
ERROR_DESCRIPTIONS = {
    "400": "Invalid input: the body names each bad field, or the bad query parameter.",
    "401": "Authentication required: send `Authorization: Token <key>`.",
    "403": "Authenticated, but without the permission this needs.",
    "404": "No such resource (or page).",
    "409": "Conflicts with existing data (still referenced, or a duplicate).",
    "412": "`If-Match` no longer matches the resource's ETag; nothing was written.",
    "429": "Too many requests; retry after the number of seconds in `Retry-After`.",
}
CSV_SCHEMA = {"type": "string", "description": "CSV with a header row."}


def _error_response(code):
    response = {
        "description": ERROR_DESCRIPTIONS[code],
        "content": {"application/json": {"schema": ERROR_SCHEMA}},
    }
    if code == "429":
        response["headers"] = {
            "Retry-After": {
                "schema": {"type": "integer"},
                "description": "Seconds to wait before retrying.",
            }
        }
    return response


def _error_codes(method, path, operation):
    codes = {"429"}
    if operation.get("parameters") or method in ("post", "put", "patch"):
        codes.add("400")
    if "{" in path:
        codes.add("404")
    # Past the last page, or an unknown `format`.
    if any(
        p.get("name") in ("page", "format") for p in operation.get("parameters", [])
    ):
        codes.add("404")
    if method in ("post", "put", "patch", "delete"):
        codes |= {"400", "401", "403", "409"}
    if method in ("put", "patch", "delete"):
        codes.add("412")
    return codes


def _document_csv(operation):
    for response in operation.get("responses", {}).values():
        content = response.get("content", {})
        if "text/csv" in content:
            content["text/csv"] = {"schema": CSV_SCHEMA}


BOM_PARAMETER = {
    "in": "query",
    "name": spreadsheet.BOM_PARAM,
    "schema": {"type": "string", "enum": ["1"]},
    "description": "CSV only: `1` starts the file with a UTF-8 byte-order mark, "
    "for spreadsheets.",
}


def _document_bom(operation):
    parameters = operation.get("parameters", [])
    names = {p.get("name") for p in parameters}
    if "format" in names and spreadsheet.BOM_PARAM not in names:
        parameters.append(dict(BOM_PARAMETER))


def postprocess_schema(result, generator, request, public):
    """Document the error responses every operation can give, and CSV as text."""
    for path, methods in result.get("paths", {}).items():
        for method, operation in methods.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for code in sorted(_error_codes(method, path, operation)):
                responses.setdefault(code, _error_response(code))
            _document_csv(operation)
            if method == "get":
                _document_bom(operation)
            if method != "get":
                # A write answers in JSON; `format` only chooses how reads look.
                operation["parameters"] = [
                    p for p in operation.get("parameters", []) if p["name"] != "format"
                ]
            if method == "get" and {} not in operation.setdefault("security", []):
                # Reads are public: a request without credentials is valid.
                operation["security"].append({})
            if method in ("put", "patch", "delete"):
                operation["description"] = (
                    operation.get("description", "")
                    + "\n\nSend `If-Match: <ETag>` to write only if the resource is "
                    "unchanged since you read it; otherwise the answer is 412."
                ).strip()
    return result
