"""The data twin of every page: `?format=json`, or the page's path ending in `.json`
(`/actors/RUS.json`), answers the data the page shows, in the API's vocabulary.

The twin reads through the same selectors as its page. TwinMiddleware turns
`/x/y.json` into `/x/y/` with the JSON flag set, so the URLconf stays one pattern per
page, and answers a twin instead of the page's view for the URL names in BUILDERS
(a new page gets its twin by adding its name there). Bad parameters are a 400
`{param: [message]}` as in the API, unknown records a 404 `{"detail": …}`.
"""

import orjson
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from common.errors import ParameterError
from pages import search
from pages.selectors import actor as actor_page
from pages.selectors import actors as actors_page
from pages.selectors import changes as changes_page
from pages.selectors import compare as compare_page
from pages.selectors import group as group_page
from pages.selectors import home as home_page
from pages.selectors import provision as provision_page
from pages.selectors import session as session_page
from pages.selectors import treaty as treaty_page
from pages.selectors.shared import current_session, matrix_for, position_notes
from pages.views import moves as moves_page
from provisions.models import Treaty
from states import stances
from states.api.matrix import matrix_json
from states.matrix import params as matrix_params
from states.matrix import read as matrix_read
from states.models import Actor

SUFFIX = ".json"
# The page-only parameters of the matrix page (not the API's): ignored by its twin.
MATRIX_PAGE_ONLY = ("stance", "coded", "large", "format")


def wants_json(request):
    return getattr(request, "twin_json", False) or request.GET.get("format") == "json"


# Paths that are not public pages: their `.json` is never a page's twin.
NOT_PAGES = ("/api/", "/static/", "/desk/", "/admin/")


class TwinMiddleware:
    """`/actors/RUS.json` → the page `/actors/RUS/`, as JSON; `/index.json` is home.
    For a page with a twin, answers the twin when asked for, else marks the request
    so base.html links the twin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.endswith(SUFFIX) and not path.startswith(NOT_PAGES):
            base = path[: -len(SUFFIX)]
            request.path_info = "/" if base == "/index" else base + "/"
            request.twin_json = True
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        # The public pages' URLs have no namespace; the API's ("api") and the
        # desk's have their own JSON and names that may clash with the pages'.
        page = match is not None and not match.namespace
        builder = BUILDERS.get(match.url_name) if page else None
        if builder is None or request.method not in ("GET", "HEAD"):
            return None
        if not wants_json(request):
            request.json_twin = True
            return None
        return answer(builder, request, view_args, view_kwargs)


def _json(data, status=200):
    return HttpResponse(
        orjson.dumps(data, option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS),
        status=status,
        content_type="application/json",
    )


def answer(builder, request, args, kwargs):
    """The twin's response: its data, or the API's 400/404 bodies."""
    if any("\x00" in v for _, values in request.GET.lists() for v in values):
        return _json({"detail": "NUL characters are not allowed."}, 400)
    try:
        return _json(builder(request, *args, **kwargs))
    except ParameterError as error:
        return _json({error.param: [error.message]}, 400)
    except Http404:
        return _json({"detail": "Not found."}, 404)


# Shapes, in the API's field names -------------------------------------------------


def treaty_json(treaty):
    return {
        "slug": treaty.slug,
        "title": treaty.title,
        "short_title": treaty.short_title,
        "negotiating_body": treaty.negotiating_body,
    }


def session_json(session):
    return {
        "id": session.pk,
        "number": session.number,
        "title": session.title,
        "start_date": session.start_date,
        "end_date": session.end_date,
        "status": session.status,
    }


def actor_json(actor):
    return {"code": actor.code, "name": actor.name, "kind": actor.kind}


def statement_json(statement):
    return {
        "id": statement.pk,
        "session": statement.session_id,
        "actor": statement.actor.code,
        "on_behalf_of": statement.on_behalf_of.slug if statement.on_behalf_of else None,
        "date": statement.date,
        "kind": statement.kind,
        "title": statement.title,
        "text": statement.text,
        "source_url": statement.source_url,
        "document_symbol": statement.document_symbol,
    }


def provenance_json(statement):
    """How a statement is known and who stood behind it; its sources and supporters
    prefetched by the page's selector."""
    return {
        "verification": statement.verification,
        "sources": [{"url": s.url, "kind": s.kind} for s in statement.sources.all()],
        "supporters": [a.code for a in statement.supporters.all()],
        "also_for": statement.also_for,
    }


def _matrix_cells(view, notes=None):
    """The view's cells in the API's shape; with `notes` (position_notes), each
    also says what the actor wants, the verification and whose statement it was."""
    cells = []
    for (code, pid), cell in (view.cells or {}).items():
        data = {
            "actor": code,
            "provision": pid,
            **{k: v for k, v in cell.items() if k not in ("actor", "provision")},
        }
        note = notes.get(cell["position"]) if notes is not None else None
        if note is not None:
            data.update(
                wants=note.wants,
                verification=note.verification,
                speaker=note.speaker_code,
                **({"role": note.role} if note.role else {}),
            )
        cells.append(data)
    return cells


def _notes(view, actor=None):
    return position_notes(
        [cell["position"] for cell in (view.cells or {}).values()], actor
    )


# One builder per page ---------------------------------------------------------------


def home(request):
    return {
        "treaties": [
            {
                **treaty_json(t),
                "provision_count": t.provision_count,
                "statement_count": t.statement_count,
                "position_count": t.position_count,
                "sessions": [session_json(s) for s in t.sessions.all()],
            }
            for t in home_page.treaty_overviews()
        ],
        "actor_counts": [
            {"kind": label, "count": n} for label, n in home_page.actor_counts_by_kind()
        ],
    }


def methodology(request):
    return {
        "stances": [
            {"stance": s, "label": stances.LABELS[s], "symbol": stances.SYMBOLS[s]}
            for s in stances.WITH_NO_POSITION
        ],
        "actor_kinds": [{"kind": k, "label": label} for k, label in Actor.Kind.choices],
    }


def treaty_detail(request, treaty):
    page = treaty_page.treaty_page(treaty)
    return {
        "treaty": treaty_json(page.treaty),
        "sessions": [session_json(s) for s in page.sessions],
        "drafts": [
            {
                "id": d.pk,
                "slug": d.slug,
                "title": d.title,
                "symbol": d.symbol,
                "published_on": d.published_on,
                "session": d.session_id,
            }
            for d in page.drafts
        ],
        "chapters": [
            {
                "number": chapter.number if chapter else None,
                "title": chapter.title if chapter else None,
                "provisions": [
                    {
                        "id": p.pk,
                        "slug": p.slug,
                        "title": p.title,
                        "kind": p.kind,
                        "label": label,
                    }
                    for p, label, _url in items
                ],
            }
            for chapter, items in page.bands
        ],
    }


def treaty_matrix(request, treaty):
    """Exactly the API's matrix body for the page's rows and columns."""
    get_object_or_404(Treaty, slug=treaty)
    query = request.GET.copy()
    for name in MATRIX_PAGE_ONLY:
        query.pop(name, None)
    params = matrix_params.matrix_params_from_query(treaty, query)
    return orjson.loads(b"".join(matrix_json(matrix_read.matrix_frame(params))))


def provision_detail(request, treaty, slug):
    provision, texts = provision_page.provision_with_texts(treaty, slug)
    data = {
        "treaty": provision.treaty.slug,
        "provision": {
            "id": provision.pk,
            "slug": provision.slug,
            "title": provision.title,
            "kind": provision.kind,
            "proposition": provision.proposition,
            "chapter": provision.chapter_id,
            "parent": provision.parent_id,
        },
        "texts": [
            {
                "draft": t.draft_id,
                "label": t.label,
                "heading": t.heading,
                "text": t.text,
            }
            for t in texts
        ],
        "positions": [
            {
                "id": p.pk,
                "statement": p.statement_id,
                "actor": p.statement.actor.code,
                "session": p.statement.session.number,
                "stance": stance,
                "wants": p.wants,
                "quote": p.quote,
                "source_url": p.statement.source_url,
                **provenance_json(p.statement),
                "co_signers": [a.code for a in p.statement.co_signers.all()],
            }
            for stance, positions, _ in provision_page.provision_quotes(
                provision, limit=provision_page.QUOTES_PER_STANCE
            )
            for p in positions
        ],
        "session": None,
        "totals": None,
    }
    session = current_session(provision.treaty)
    if session is not None:
        view = matrix_for(treaty, provision=[provision.id])
        data["session"] = session_json(session)
        data["totals"] = view.totals.get(provision.id, {})
    return data


def actor_detail(request, code):
    actor, memberships = actor_page.actor_with_groups(code.upper())
    treaty, _ = actor_page.treaty_for_actor(actor, request.GET.get("treaty"))
    statements, count = actor_page.actor_statements(actor, treaty)
    data = {
        "actor": actor_json(actor),
        "groups": [
            {"group": m.group.slug, "start_date": m.start_date, "end_date": m.end_date}
            for m in memberships
        ],
        "treaty": treaty.slug if treaty else None,
        "statement_count": count,
        "statements": [
            {**statement_json(s), "role": s.role, **provenance_json(s)}
            for s in statements
        ],
        "cells": [],
    }
    if treaty is not None and current_session(treaty) is not None:
        view = matrix_for(treaty.slug, actor=[actor.code])
        data["cells"] = _matrix_cells(view, _notes(view, actor))
    return data


def session_detail(request, treaty, number):
    session, statements = session_page.session_with_statements(
        treaty, number, request.GET.get("page")
    )
    return {
        "treaty": session.treaty.slug,
        "session": session_json(session),
        "count": statements.paginator.count,
        "page": statements.number,
        "statements": [
            {
                **statement_json(s),
                **provenance_json(s),
                "co_signers": [a.code for a in s.co_signers.all()],
                "positions": [
                    {
                        "id": p.pk,
                        "provision": p.provision_id,
                        "stance": p.stance,
                        "wants": p.wants,
                        "quote": p.quote,
                    }
                    for p in s.positions.all()
                ],
            }
            for s in statements
        ],
    }


def treaty_compare(request, treaty):
    get_object_or_404(Treaty, slug=treaty)
    raw = request.GET.getlist("actors")
    if not raw:
        raise ParameterError("actors", "Name 2 to 6 actors: ?actors=USA,CHN.")
    codes = compare_page.parse_compare_codes(raw)
    view = matrix_for(treaty, kind="all", actor=codes)
    return {
        "treaty": treaty,
        "actors": codes,
        "provisions": [p["id"] for p in view.provisions],
        "cells": _matrix_cells(view, _notes(view)),
    }


def search_page(request):
    query = search.SearchQuery.from_querydict(request.GET)
    if not query.q:
        return {"q": "", "statements": [], "provisions": [], "statement_count": 0}
    results = search.run(query)
    return {
        "q": query.q,
        "statement_count": results.statement_count,
        "statements": [statement_json(s) for s, _, _ in results.statements],
        "provisions": [
            {
                "id": e["provision"].pk,
                "treaty": e["provision"].treaty.slug,
                "slug": e["provision"].slug,
                "title": e["provision"].title,
            }
            for e in results.provisions
        ],
    }


def changes(request):
    page = changes_page.changes_page(request.GET)
    return {
        "changes": [
            {
                "id": c.revision_id,
                "at": c.at,
                "kind": c.kind,
                "entity": c.entity,
                "object_id": c.object_id,
                "summary": c.summary,
                "reason": c.reason,
                "treaty": c.treaty.slug if c.treaty else None,
                "session": c.session.number if c.session else None,
                "actor": c.actor.code if c.actor else None,
                "statement": c.statement_id,
                "provision": c.provision.pk if c.provision else None,
                "stance": c.stance,
                "fields": [
                    {"field": f.name, "before": f.before, "after": f.after}
                    for f in c.fields
                ],
            }
            for c in page.changes
        ],
        "older": (f"{reverse('changes')}?before={page.older}" if page.older else None),
    }


def treaty_moves(request, treaty):
    treaty_obj, choice, changes = moves_page.moves_data(request, treaty)
    return {
        "treaty": treaty_obj.slug,
        "from": choice["from_number"],
        "to": choice["to_number"],
        "kind": choice["kind"] or "parties",
        "changes": [moves_page.change_json(c) for c in changes],
    }


def actor_list(request):
    filters = actors_page.ActorFilter.from_querydict(request.GET)
    return {
        "q": filters.q,
        "kind": filters.kind or None,
        "group": filters.group.slug if filters.group else None,
        "actors": [
            {
                **actor_json(a),
                "statement_count": a.statement_count,
                "position_count": a.position_count,
            }
            for a in actors_page.actor_directory(filters)
        ],
    }


def group_detail(request, slug):
    group, memberships = group_page.group_with_memberships(slug)
    treaty, _ = actor_page.treaty_for_group(group, request.GET.get("treaty"))
    data = {
        "group": {"slug": group.slug, "name": group.name, "kind": group.kind},
        "memberships": [
            {
                "actor": m.actor.code,
                "start_date": m.start_date,
                "end_date": m.end_date,
            }
            for m in memberships
        ],
        "treaty": treaty.slug if treaty else None,
        "session": None,
        "cohesion": [],
    }
    if treaty is not None and current_session(treaty) is not None:
        view, bands = group_page.group_cohesion(treaty, group)
        data["session"] = session_json(view.session)
        data["cohesion"] = [
            {
                "provision": row.provision["id"],
                "stance": row.stance,
                "share": row.share,
                "holding": row.holding,
                "coded": row.coded,
                "members": row.members,
            }
            for _, rows in bands
            for row in rows
        ]
    return data


# The pages that have a twin, by URL name.
BUILDERS = {
    "home": home,
    "methodology": methodology,
    "search": search_page,
    "actor-detail": actor_detail,
    "actor-list": actor_list,
    "group-detail": group_detail,
    "treaty-detail": treaty_detail,
    "treaty-matrix": treaty_matrix,
    "treaty-compare": treaty_compare,
    "treaty-moves": treaty_moves,
    "provision-detail": provision_detail,
    "session-detail": session_detail,
    "changes": changes,
}
