"""GET /api/v1/matrix/ and /api/v1/matrix/changes/ (API.md, "The matrix").

Thin views over states.selectors: no serializers and no model objects per cell; the
body is built from value tuples and encoded with orjson. The ETag comes from the
snapshot build, the owed changes and the rows and columns, so an unchanged matrix
answers 304 without reading its cells.
"""

import csv
import hashlib
import io

import orjson
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from states.models import Actor, Position
from states.selectors import (
    MatrixQueryError,
    matrix_changes,
    matrix_params_from_query,
    matrix_view,
)
from tracker.api import CSVRenderer

FILTERS = ("treaty", "kind", "group", "actor", "chapter", "provision", "format")
MATRIX_PARAMS = frozenset(FILTERS + ("session",))
CHANGES_PARAMS = frozenset(FILTERS + ("from", "to"))
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


def _session_json(session):
    return {
        "id": session.pk,
        "number": session.number,
        "title": session.title,
        "status": session.status,
    }


def matrix_json(view):
    """The API.md body of a MatrixView, as plain data."""
    cells = view.cells
    column_ids = [p["id"] for p in view.provisions]
    return {
        "treaty": view.treaty.slug,
        "session": _session_json(view.session),
        "built_at": view.built_at,
        "stale": view.stale,
        "actors": view.actors,
        "provisions": [
            {
                "id": p["id"],
                "slug": p["slug"],
                "title": p["title"],
                "kind": p["kind"],
                "chapter": p["chapter_id"],
                "order": p["order"],
                "proposition": p["proposition"],
            }
            for p in view.provisions
        ],
        # In display order: rows, then columns.
        "cells": [
            cells[key]
            for key in (
                (actor["code"], pid) for actor in view.actors for pid in column_ids
            )
            if key in cells
        ],
        "totals": {str(pid): column for pid, column in view.totals.items()},
    }


def matrix_csv(view):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["actor_code", "actor_name", *(p["slug"] for p in view.provisions)])
    for actor in view.actors:
        code = actor["code"]
        writer.writerow(
            [
                code,
                actor["name"],
                *(
                    view.cells[(code, p["id"])]["stance"]
                    if (code, p["id"]) in view.cells
                    else ""
                    for p in view.provisions
                ),
            ]
        )
    return out.getvalue()


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
]

STANCE_OR_NULL = {"type": "string", "enum": Position.Stance.values, "nullable": True}
CELL_SCHEMA = {
    "type": "object",
    "properties": {
        "actor": {"type": "string"},
        "provision": {"type": "integer"},
        "stance": {"type": "string", "enum": Position.Stance.values},
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
            etag_seen = request.headers.get("If-None-Match")
            view = matrix_view(params, unless_etag=_first_tag(etag_seen))
        except MatrixQueryError as error:
            return _error(error.param, error.message)
        if view.cells is None or _etag_matches(request, view.etag):
            return _not_modified(view.etag)
        if _wants_csv(request):
            filename = f"matrix-{params.treaty.slug}-{params.session.number}.csv"
            return _respond(
                matrix_csv(view), "text/csv; charset=utf-8", view.etag, filename
            )
        body = orjson.dumps(matrix_json(view), option=orjson.OPT_UTC_Z)
        return _respond(body, "application/json", view.etag)


def _first_tag(header):
    if not header:
        return None
    return header.split(",")[0].strip().removeprefix("W/")


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
            params = matrix_params_from_query(
                None, request.query_params, session_param="to"
            )
            from_number = params.compare_from.number
            changes = matrix_changes(params, from_number, params.session.number)
        except MatrixQueryError as error:
            return _error(error.param, error.message)
        etag = _changes_etag(params, changes)
        if _etag_matches(request, etag):
            return _not_modified(etag)
        if _wants_csv(request):
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(["actor", "provision", "before", "after"])
            for change in changes:
                writer.writerow(
                    [
                        change["actor"],
                        change["provision"],
                        change["before"] or "",
                        change["after"] or "",
                    ]
                )
            return _respond(out.getvalue(), "text/csv; charset=utf-8", etag)
        body = orjson.dumps(
            {
                "treaty": params.treaty.slug,
                "from": from_number,
                "to": params.session.number,
                "changes": changes,
            }
        )
        return _respond(body, "application/json", etag)


def _changes_etag(params, changes):
    """Derived from the snapshot build and the answer itself (cheap next to it)."""
    state = getattr(params.treaty, "matrix_state", None)
    digest = hashlib.sha1(usedforsecurity=False)
    digest.update(params.cache_key().encode())
    digest.update(f"{params.compare_from.number}".encode())
    digest.update(f"{state.build_count if state else 0}".encode())
    digest.update(orjson.dumps(changes))
    return f'"c{params.treaty.pk}-{digest.hexdigest()[:20]}"'
