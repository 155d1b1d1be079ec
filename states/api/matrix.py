"""GET /api/v1/matrix/ and /api/v1/matrix/changes/ (API.md, "The matrix").

Thin views over states.matrix.read: no serializers and no model objects per cell; the
cells are read in chunks and encoded with orjson row by row, so a whole matrix is
never held as objects. The ETag comes from the snapshot build, the owed changes and
the rows and columns, so an unchanged matrix answers 304 without reading its cells.
Otherwise the answer is built once per build and then sent from its stored bytes,
gzipped for clients that accept it (matrix_store).
"""

import hashlib
from collections import Counter

import orjson
from django.http import HttpResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from common import spreadsheet
from common.api import CSVRenderer
from common.errors import ParameterError
from states import stances
from states.api import matrix_export, matrix_store
from states.matrix.params import matrix_params_from_query
from states.matrix.read import (
    matrix_changes,
    matrix_fingerprint,
    matrix_frame,
    matrix_rows,
    matrix_totals,
    row_stance_counts,
)
from states.models import Actor

FILTERS = ("treaty", "kind", "group", "actor", "chapter", "provision", "format")
MATRIX_PARAMS = frozenset(FILTERS + ("session",)) | matrix_export.CSV_PARAMS
CHANGES_PARAMS = frozenset(FILTERS + ("from", "to", spreadsheet.BOM_PARAM))
CACHE_CONTROL = "public, no-cache"  # always revalidate; the ETag makes that cheap


def _error(param, message):
    return HttpResponse(
        orjson.dumps({param: [message]}),
        status=400,
        content_type="application/json",
    )


def _unknown_param(request, allowed):
    for name in request.query_params:
        if name not in allowed:
            return _error(name, f"Unknown query parameter '{name}'.")
    return None


def _wants_csv(request):
    return request.query_params.get("format") == "csv" or (
        getattr(request, "accepted_renderer", None) is not None
        and request.accepted_renderer.format == "csv"
    )


def _etag_matches(request, etag):
    header = request.headers.get("If-None-Match", "")
    if not header:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" in tags or etag in tags


def _not_modified(etag):
    response = HttpResponse(status=304)
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    return response


def _respond(body, content_type, etag, filename=None):
    response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _respond_in_chunks(chunks, content_type, etag):
    """A response that lets go of each chunk once sent.

    A large body kept whole on the response stays in memory until the cyclic
    garbage collector runs: DRF keeps the response on the view, which is in a cycle
    with its request. Sent chunks are freed at once instead.
    """
    length = sum(len(chunk) for chunk in chunks)
    response = StreamingHttpResponse(_drained(chunks), content_type=content_type)
    response["Content-Length"] = length
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    return response


def _drained(chunks):
    """Each chunk in turn, dropped from the list as it is sent."""
    chunks.reverse()
    while chunks:
        yield chunks.pop()


def _session_json(session):
    return {
        "id": session.pk,
        "number": session.number,
        "title": session.title,
        "status": session.status,
    }


def matrix_json(view):
    """The API.md body of a MatrixView (cells not yet read), as chunks of JSON bytes.

    Together byte for byte what orjson gives for the body as one dict, but each row's
    cells are encoded as they are read: the cells of a whole matrix are never all
    objects at once. Rows arrive in actor-id order and are put in display order.
    """
    column_ids = [p["id"] for p in view.provisions]
    stance_counts = Counter()
    rows = {}
    for code, cells in matrix_rows(view):
        rows[code] = _row_cells_json(cells, column_ids)
        stance_counts.update(row_stance_counts(cells))
    head = orjson.dumps(
        {
            "treaty": view.treaty.slug,
            "session": _session_json(view.session),
            "built_at": view.built_at,
            "stale": view.stale,
            "actors": view.actors,
            "provisions": [_provision_json(p) for p in view.provisions],
        },
        option=orjson.OPT_UTC_Z,
    )
    totals = matrix_totals(view, stance_counts)
    tail = orjson.dumps({str(pid): column for pid, column in totals.items()})
    chunks = [head[:-1] + b',"cells":[']
    for actor in view.actors:
        row = rows.pop(actor["code"], b"")
        if row:
            # The separator on its own: joining it to the row would copy the row.
            chunks.extend([b",", row] if len(chunks) > 1 else [row])
    chunks.append(b'],"totals":' + tail + b"}")
    return chunks


def _provision_json(provision):
    return {
        "id": provision["id"],
        "slug": provision["slug"],
        "title": provision["title"],
        "kind": provision["kind"],
        "chapter": provision["chapter_id"],
        "order": provision["order"],
        "proposition": provision["proposition"],
    }


def _row_cells_json(cells, column_ids):
    """One row's cells in column order, as JSON array items without the brackets."""
    return orjson.dumps([cells[pid] for pid in column_ids if pid in cells])[1:-1]


def matrix_csv(view):
    """The matrix as CSV (API.md): a line per actor, then its stance per provision."""
    return matrix_export.wide_csv(view, [p["slug"] for p in view.provisions])


ROW_COLUMN_PARAMETERS = [
    OpenApiParameter(
        "treaty", OpenApiTypes.STR, required=True, description="Treaty slug."
    ),
    OpenApiParameter(
        "kind",
        OpenApiTypes.STR,
        many=True,
        enum=[*Actor.Kind.values, "all"],
        description="Actor kinds of the rows (repeatable); default: the negotiating "
        "parties; `all` for every kind.",
    ),
    OpenApiParameter(
        "group",
        OpenApiTypes.STR,
        description="Group slug: rows are its members as of the session's start.",
    ),
    OpenApiParameter(
        "actor",
        OpenApiTypes.STR,
        many=True,
        description="Actor codes of the rows (repeatable).",
    ),
    OpenApiParameter(
        "chapter", OpenApiTypes.INT, description="Chapter id: its provisions only."
    ),
    OpenApiParameter(
        "provision",
        OpenApiTypes.INT,
        many=True,
        description="Provision ids of the columns (repeatable).",
    ),
    OpenApiParameter(
        "format", OpenApiTypes.STR, enum=["json", "csv"], description="json or csv."
    ),
    OpenApiParameter(
        "bom",
        OpenApiTypes.STR,
        enum=["1"],
        description="CSV only: `1` starts the file with a UTF-8 byte-order mark, "
        "for spreadsheets.",
    ),
]
CSV_SHAPE_PARAMETERS = [
    OpenApiParameter(
        "shape",
        OpenApiTypes.STR,
        enum=list(matrix_export.SHAPES),
        description="CSV only: `wide` (default; a line per actor, a column per "
        "provision) or `long` (a line per cell: "
        + ", ".join(matrix_export.LONG_HEADER)
        + ").",
    ),
    OpenApiParameter(
        "header",
        OpenApiTypes.STR,
        enum=list(matrix_export.HEADERS),
        description="CSV, wide shape only: column headers are provision `slugs` "
        "(default) or `labels` (label as printed in the latest draft: title).",
    ),
]

STANCE_OR_NULL = {"type": "string", "enum": list(stances.ORDER), "nullable": True}
CELL_SCHEMA = {
    "type": "object",
    "properties": {
        "actor": {"type": "string"},
        "provision": {"type": "integer"},
        "stance": {"type": "string", "enum": list(stances.ORDER)},
        "position": {"type": "integer"},
        "statement": {"type": "integer"},
        "since": {"type": "integer"},
        "via": {"type": "string", "nullable": True},
    },
    "required": ["actor", "provision", "stance", "position", "statement", "since"],
}
MATRIX_SCHEMA = {
    "type": "object",
    "properties": {
        "treaty": {"type": "string"},
        "session": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "number": {"type": "integer"},
                "title": {"type": "string"},
                "status": {"type": "string"},
            },
        },
        "built_at": {"type": "string", "format": "date-time", "nullable": True},
        "stale": {"type": "boolean"},
        "actors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "code": {"type": "string"},
                    "name": {"type": "string"},
                    "kind": {"type": "string"},
                },
            },
        },
        "provisions": {"type": "array", "items": {"type": "object"}},
        "cells": {"type": "array", "items": CELL_SCHEMA},
        "totals": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": {"type": "integer"},
            },
        },
    },
    "required": [
        "treaty",
        "session",
        "built_at",
        "stale",
        "actors",
        "provisions",
        "cells",
        "totals",
    ],
}
CHANGES_SCHEMA = {
    "type": "object",
    "properties": {
        "treaty": {"type": "string"},
        "from": {"type": "integer"},
        "to": {"type": "integer"},
        "changes": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "actor": {"type": "string"},
                    "provision": {"type": "integer"},
                    "before": STANCE_OR_NULL,
                    "after": STANCE_OR_NULL,
                },
            },
        },
    },
    "required": ["treaty", "from", "to", "changes"],
}
NOT_MODIFIED = OpenApiResponse(
    description="Not modified: `If-None-Match` holds the current ETag."
)
BAD_PARAMETER = OpenApiResponse(
    description="A bad query parameter, named as the key: an unknown treaty, "
    "session or filter value, or a scheduled session."
)


class MatrixView(APIView):
    """Who supports what: the matrix of a treaty as of a session."""

    renderer_classes = [JSONRenderer, CSVRenderer]
    permission_classes = []

    @extend_schema(
        operation_id="matrix_retrieve",
        summary="The position matrix as of a session",
        parameters=[
            *ROW_COLUMN_PARAMETERS,
            *CSV_SHAPE_PARAMETERS,
            OpenApiParameter(
                "session",
                OpenApiTypes.INT,
                description="Session number (default: the current one). A "
                "scheduled session is a 400.",
            ),
        ],
        responses={200: MATRIX_SCHEMA, 304: NOT_MODIFIED, 400: BAD_PARAMETER},
    )
    def get(self, request):
        unknown = _unknown_param(request, MATRIX_PARAMS)
        if unknown:
            return unknown
        try:
            params = matrix_params_from_query(None, request.query_params)
            csv_options = matrix_export.csv_options(
                request.query_params, _wants_csv(request)
            )
        except ParameterError as error:
            return _error(error.param, error.message)
        known = _known_answer(request, params, csv_options)
        if known is not None:
            return known
        try:
            view = matrix_frame(params)
        except ParameterError as error:
            return _error(error.param, error.message)
        if csv_options is not None:
            export = matrix_export.MatrixCsv(params, view, csv_options)
            if export.etag == view.etag:
                # The plain form (API.md's): built once per build, then stored.
                if _etag_matches(request, view.etag):
                    return _not_modified(view.etag)
                stored = _stored(request, view, params, "csv", export.filename)
                if stored is not None:
                    return stored
            return _csv_response(request, export)
        if _etag_matches(request, view.etag):
            return _not_modified(view.etag)
        stored = _stored(request, view, params, "json")
        return stored or _respond_in_chunks(matrix_json(view), JSON_TYPE, view.etag)


JSON_TYPE = "application/json"
CSV_TYPE = "text/csv; charset=utf-8"
# (body as chunks of bytes, content type, sent from the file): CSV, the smaller, is
# read whole into its response. Only the plain CSV is stored; its other forms
# (states.api.matrix_export: shapes, labels, byte-order mark) are built per request.
BODIES = {
    "json": (matrix_json, JSON_TYPE, True),
    "csv": (lambda view: [matrix_csv(view).encode()], CSV_TYPE, False),
}


def _known_answer(request, params, csv_options):
    """304, or the answer already stored for this build, found from the matrix's
    fingerprint (one query) without reading its rows, columns or cells; None when
    the frame must be read (no build yet, a CSV form that is not stored, nothing
    stored yet, or a parameter only the frame can refuse)."""
    if csv_options is not None and not csv_options.is_default:
        return None
    fingerprint = matrix_fingerprint(params)
    if fingerprint is None:
        return None
    if _etag_matches(request, fingerprint.etag):
        return _not_modified(fingerprint.etag)
    fmt = "json" if csv_options is None else "csv"
    _, content_type, stream = BODIES[fmt]
    response = matrix_store.existing_response(
        params, fingerprint, fmt, content_type, request, stream
    )
    if response is None:
        return None
    filename = None if csv_options is None else matrix_export.matrix_filename(params)
    return _stored_headers(response, fingerprint.etag, filename)


def _stored(request, view, params, fmt, filename=None):
    """The answer from its stored bytes (matrix_store), or None to build it here."""
    chunks_of, content_type, stream = BODIES[fmt]
    response = matrix_store.stored_response(
        view, params, fmt, chunks_of, content_type, request, stream
    )
    if response is None:
        return None
    return _stored_headers(response, view.etag, filename)


def _stored_headers(response, etag, filename):
    gzipped = response.get("Content-Encoding") == "gzip"
    # A compressed body is another representation of the same answer: a weak ETag
    # (as GZipMiddleware gives); If-None-Match compares both the same way.
    response["ETag"] = f"W/{etag}" if gzipped else etag
    response["Cache-Control"] = CACHE_CONTROL
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_response(request, export):
    if _etag_matches(request, export.etag):
        return _not_modified(export.etag)
    return _respond(
        export.body(), "text/csv; charset=utf-8", export.etag, export.filename
    )


class MatrixChangesView(APIView):
    """Who moved: cells whose stance differs between two sessions."""

    renderer_classes = [JSONRenderer, CSVRenderer]
    permission_classes = []

    @extend_schema(
        operation_id="matrix_changes",
        summary="Changes of stance between two sessions",
        parameters=[
            *ROW_COLUMN_PARAMETERS,
            OpenApiParameter(
                "from",
                OpenApiTypes.INT,
                description="Earlier session number (default: the session before "
                "`to`).",
            ),
            OpenApiParameter(
                "to",
                OpenApiTypes.INT,
                description="Later session number (default: the current one); "
                "rows and columns are selected as of it.",
            ),
        ],
        responses={200: CHANGES_SCHEMA, 304: NOT_MODIFIED, 400: BAD_PARAMETER},
    )
    def get(self, request):
        unknown = _unknown_param(request, CHANGES_PARAMS)
        if unknown:
            return unknown
        try:
            bom = spreadsheet.wants_bom(request.query_params)
            if bom and not _wants_csv(request):
                raise ParameterError(spreadsheet.BOM_PARAM, "Only with format=csv.")
            params = matrix_params_from_query(
                None, request.query_params, session_param="to"
            )
            from_number = params.compare_from.number
            changes = matrix_changes(params, from_number, params.session.number)
        except ParameterError as error:
            return _error(error.param, error.message)
        etag = _changes_etag(params, changes, bom)
        if _etag_matches(request, etag):
            return _not_modified(etag)
        if _wants_csv(request):
            lines = [spreadsheet.csv_line(["actor", "provision", "before", "after"])]
            lines.extend(
                spreadsheet.csv_line(
                    [
                        change["actor"],
                        change["provision"],
                        change["before"] or "",
                        change["after"] or "",
                    ]
                )
                for change in changes
            )
            return _respond(
                spreadsheet.with_bom("".join(lines), bom),
                "text/csv; charset=utf-8",
                etag,
                matrix_export.changes_filename(params, from_number),
            )
        body = orjson.dumps(
            {
                "treaty": params.treaty.slug,
                "from": from_number,
                "to": params.session.number,
                "changes": changes,
            }
        )
        return _respond(body, "application/json", etag)


def _changes_etag(params, changes, bom=False):
    """Derived from the snapshot build and the answer itself (cheap next to it)."""
    state = getattr(params.treaty, "matrix_state", None)
    digest = hashlib.sha1(usedforsecurity=False)
    digest.update(b"bom" if bom else b"")
    digest.update(params.cache_key().encode())
    digest.update(f"{params.compare_from.number}".encode())
    digest.update(f"{state.build_count if state else 0}".encode())
    digest.update(orjson.dumps(changes))
    return f'"c{params.treaty.pk}-{digest.hexdigest()[:20]}"'
