"""Project-wide REST framework pieces named in the settings.

Pagination that refuses bad page numbers, a CSV renderer, a JSON parser that refuses
hostile bodies, throttles whose rates follow the settings, the error handler and the
schema hook documenting error responses. They
must not import rest_framework.views (which loads them); the base viewset lives in
common.viewsets.
"""

import csv
import io
import json
import math

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, connections
from django.db.models.deletion import ProtectedError, RestrictedError
from rest_framework import exceptions, parsers, renderers, status, throttling
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import remove_query_param, replace_query_param

from common import spreadsheet
from common.db import is_write_conflict

# Query parameters every endpoint understands, whatever its filters.
COMMON_QUERY_PARAMS = frozenset({"format", spreadsheet.BOM_PARAM})
LIST_QUERY_PARAMS = frozenset({"page", "page_size", "ordering", "after", "before"})


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


# The largest id (and row offset) PostgreSQL's bigint holds.
MAX_ID = 2**63 - 1


class Pagination(PageNumberPagination):
    """Page numbers from 1; `page_size` up to 1000 (larger is clamped, not refused).

    A page costs the same whatever the table's size. Its rows are read with one more
    than asked (so `next` needs no count; a deep page by number skips ids only),
    and `count` is exact only where that is cheap: below EXACT_COUNT_BELOW rows (by
    the planner's estimate) or on the last page; above, it is PostgreSQL's estimate.
    Lists in the default order (by id) give `next` and `previous` links with a keyset
    (`after` / `before` an id) instead of an offset, so that walking to a deep page
    never skips rows one by one.
    """

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    EXACT_COUNT_BELOW = 10_000
    # A page by number this deep skips ids alone, not the rows with their joins.
    SKIP_IDS_FROM = 1_000

    def get_page_size(self, request):
        size = _positive_int_param(request, self.page_size_query_param)
        return min(size, self.max_page_size) if size else self.page_size

    def paginate_queryset(self, queryset, request, view=None):
        # A malformed page number is the client's mistake (400); a well-formed one past
        # the end is a page that does not exist (404), as DRF has it.
        self.request = request
        self.number = _positive_int_param(request, self.page_query_param) or 1
        self.size = self.get_page_size(request)
        if (self.number - 1) * self.size > MAX_ID:
            # Past the end of any table (and of PostgreSQL's bigint offsets).
            raise exceptions.NotFound("Invalid page.")
        after = _positive_int_param(request, "after")
        before = _positive_int_param(request, "before")
        for name, value in (("after", after), ("before", before)):
            if value is not None and value > MAX_ID:
                raise exceptions.ValidationError({name: ["Not an id (too large)."]})
        self.keyset = _by_id_only(queryset)
        if (after or before) and not self.keyset:
            name = "after" if after else "before"
            raise exceptions.ValidationError(
                {name: ["Only in the default order (by id), without `ordering`."]}
            )
        if after and before:
            raise exceptions.ValidationError({"before": ["Give `after` or `before`."]})
        rows, self.has_next, self.has_previous = self._rows(queryset, after, before)
        if not rows and self.number > 1:
            raise exceptions.NotFound("Invalid page.")
        self.rows = rows
        self.count = self._count(queryset, rows, exact_end=not (after or before))
        return rows

    def _rows(self, queryset, after, before):
        """(rows, has next, has previous): one more row than the page is read."""
        size = self.size
        if after:
            rows = list(queryset.filter(pk__gt=after)[: size + 1])
            # An empty keyset page links nowhere: its links are made from its rows.
            return rows[:size], len(rows) > size, bool(rows)
        if before:
            rows = list(queryset.filter(pk__lt=before).order_by("-pk")[: size + 1])
            return rows[:size][::-1], bool(rows), len(rows) > size
        offset = (self.number - 1) * size
        if offset < self.SKIP_IDS_FROM:
            rows = list(queryset[offset : offset + size + 1])
        else:
            rows = _rows_past(queryset, offset, size + 1)
        return rows[:size], len(rows) > size, self.number > 1

    def _count(self, queryset, rows, exact_end):
        offset = (self.number - 1) * self.size
        if exact_end and not self.has_next:
            return offset + len(rows)  # the last page: every row is known
        least = offset + len(rows) + (1 if self.has_next else 0)
        estimate = _estimated_rows(queryset)
        if estimate is None or estimate < self.EXACT_COUNT_BELOW:
            return queryset.count()
        return max(estimate, least)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_next_link(self):
        if not self.has_next:
            return None
        url = self.request.build_absolute_uri()
        url = replace_query_param(url, self.page_query_param, self.number + 1)
        url = remove_query_param(url, "before")
        if self.keyset:
            return replace_query_param(url, "after", self.rows[-1].pk)
        return url

    def get_previous_link(self):
        if not self.has_previous or self.number <= 1:
            return None
        url = self.request.build_absolute_uri()
        url = remove_query_param(url, "after")
        if self.number == 2:
            url = remove_query_param(url, "before")
            return remove_query_param(url, self.page_query_param)
        url = replace_query_param(url, self.page_query_param, self.number - 1)
        if self.keyset and self.rows:
            return replace_query_param(url, "before", self.rows[0].pk)
        return remove_query_param(url, "before")

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for name, where in (("after", "greater"), ("before", "less")):
            parameters.append(
                {
                    "name": name,
                    "required": False,
                    "in": "query",
                    "description": f"Rows whose id is {where} than this (the keyset "
                    "of the `next` and `previous` links; default order only).",
                    "schema": {"type": "integer"},
                }
            )
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters


def _rows_past(queryset, offset, limit):
    """Rows `offset` to `offset + limit` of `queryset`: the skipped rows are read as
    ids only (no joined columns, no row built), then the page's rows by id (one
    more query, a page's worth of rows), in the ids' order."""
    ids = list(queryset.values_list("pk", flat=True)[offset : offset + limit])
    by_id = {row.pk: row for row in queryset.filter(pk__in=ids)}
    return [by_id[pk] for pk in ids if pk in by_id]


def _by_id_only(queryset):
    order = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    return order in (["id"], ["pk"])


def _estimated_rows(queryset):
    """The planner's estimate of the rows of `queryset` (PostgreSQL), else None."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


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


# Deeper than any resource's body (a statement's sources are three levels): a body
# nested further is an attack on the parser, not data.
MAX_JSON_DEPTH = 20


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "Request body too large."
    default_code = "payload_too_large"


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number out of range: {text}")
    return value


def _no_constant(name):
    raise ValueError(f"{name} is not a JSON number")


def _deeper_than(data, limit):
    """Whether `data` nests lists or objects more than `limit` levels (no recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _read_limited(stream, request, limit):
    """The body, or 413 if it is (or claims to be) larger than `limit` bytes."""
    too_large = PayloadTooLarge(f"Request body larger than {limit} bytes.")
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise too_large
    body = stream.read(limit + 1)
    if len(body) > limit:
        raise too_large
    return body


class JSONParser(parsers.JSONParser):
    """JSON bodies up to DATA_UPLOAD_MAX_MEMORY_SIZE bytes and MAX_JSON_DEPTH levels,
    numbers finite: anything else is a 400 (413 for size) before a serializer sees it.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        request = parser_context.get("request")
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = _read_limited(stream, request, limit) if limit else stream.read()
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise exceptions.ParseError(
                f"JSON parse error - the body is not valid {encoding}."
            ) from None
        too_deep = exceptions.ParseError(
            f"JSON parse error - nested more than {MAX_JSON_DEPTH} levels deep."
        )
        try:
            data = json.loads(
                text, parse_float=_finite_float, parse_constant=_no_constant
            )
        except RecursionError:
            raise too_deep from None
        except ValueError as exc:
            # Also too-long integers (Python refuses more than 4300 digits).
            raise exceptions.ParseError(f"JSON parse error - {exc}") from None
        if _deeper_than(data, MAX_JSON_DEPTH):
            raise too_deep
        return data


class _SettingsRateMixin:
    """Read the rate at request time, so settings overrides (and tests) apply."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonRateThrottle(_SettingsRateMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_SettingsRateMixin, throttling.UserRateThrottle):
    """Requests per signed-in user. An anonymous request is counted by
    AnonRateThrottle alone when its rate is set (the same client, counted twice,
    would cost two more cache round trips per request for the same answer)."""

    def allow_request(self, request, view):
        anonymous = not (request.user and request.user.is_authenticated)
        if anonymous and api_settings.DEFAULT_THROTTLE_RATES.get("anon"):
            return True
        return super().allow_request(request, view)


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
    elif is_write_conflict(exc):
        # A deadlock or serialization failure, after common.db.retry_on_conflict's
        # one retry: nothing was written.
        return Response(
            {
                "detail": "Concurrent writes to the same data held this one up; "
                "nothing was saved. Retry the request."
            },
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
    "409": "Conflicts with existing data (still referenced, or a duplicate), or "
    "lost a race with concurrent writes (nothing was saved; retry).",
    "412": "`If-Match` no longer matches the resource's ETag; nothing was written.",
    "413": "Request body larger than the limit (1 MiB by default).",
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
    if method in ("post", "put", "patch"):
        codes.add("413")
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
            if (
                method == "get"
                and str(status.HTTP_401_UNAUTHORIZED) not in responses
                and {} not in operation.setdefault("security", [])
            ):
                # Reads are public: a request without credentials is valid (unless
                # the read documents its 401, as the revisions do).
                operation["security"].append({})
            if method in ("put", "patch", "delete"):
                operation["description"] = (
                    operation.get("description", "")
                    + "\n\nSend `If-Match: <ETag>` to write only if the resource is "
                    "unchanged since you read it; otherwise the answer is 412."
                ).strip()
    return result
