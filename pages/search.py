"""Search for the public site: published statements and provision texts, ranked,
with highlighted snippets and facets, in a fixed number of queries.

Matching and ranking are the API's (`states.selectors`, `provisions.selectors`:
full-text search on PostgreSQL, `icontains` on SQLite); this module adds facets and
snippets.
Snippets are built with control-character markers, escaped, then marked up, so stored
text can never inject HTML.
"""

import re
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.html import format_html, format_html_join

from common.errors import ParameterError
from common.fulltext import uses_full_text_search, with_headline
from provisions.models import Provision, ProvisionText, Session, Treaty
from provisions.selectors import search_provision_texts, search_provisions
from states.models import Actor, Statement
from states.selectors import search_statements

START, STOP = "\x02", "\x03"
STATEMENT_LIMIT = 50
PROVISION_LIMIT = 20
FACET_LIMIT = 12
SNIPPET_CHARS = 220
KINDS = dict(Statement.Kind.choices) | {"provision": "Provision text"}


@dataclass(frozen=True)
class SearchQuery:
    q: str = ""
    treaty: Treaty | None = None
    session: Session | None = None
    actor: Actor | None = None
    kind: str = ""

    @classmethod
    def from_querydict(cls, data):
        """Validate ?q=&treaty=&session=&actor=&kind=; unknown values are errors."""
        q = data.get("q", "").strip()[:200]
        treaty = _lookup(Treaty, "treaty", "slug", data.get("treaty"))
        session = None
        if data.get("session"):
            if treaty is None:
                raise ParameterError("session", "Give a treaty with a session number.")
            number = data["session"]
            if not number.isdigit():
                raise ParameterError("session", f"{number!r} is not a session number.")
            session = _lookup(Session, "session", "number", number, treaty=treaty)
        actor = _lookup(Actor, "actor", "code", (data.get("actor") or "").upper())
        kind = data.get("kind", "")
        if kind and kind not in KINDS:
            raise ParameterError("kind", f"{kind!r} is not one of {', '.join(KINDS)}.")
        return cls(q=q, treaty=treaty, session=session, actor=actor, kind=kind)

    def params(self, **override):
        """The query string pairs, with some facet replaced or removed (None)."""
        values = {
            "q": self.q,
            "treaty": self.treaty.slug if self.treaty else "",
            "session": self.session.number if self.session else "",
            "actor": self.actor.code if self.actor else "",
            "kind": self.kind,
        }
        values.update(override)
        if values.get("treaty") == "":
            values["session"] = ""
        return {k: v for k, v in values.items() if v not in ("", None)}


def _lookup(model, param, field_name, value, **scope):
    if not value:
        return None
    found = model.objects.filter(**{field_name: value}, **scope).first()
    if found is None:
        raise ParameterError(param, f"No {param} {value!r}.")
    return found


@dataclass
class Results:
    statements: list = field(default_factory=list)
    provisions: list = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    statement_count: int = 0


def run(query):
    """Ranked statements and provisions for `query`, with facet counts."""
    statements = _statement_matches(query)
    results = Results()
    if query.kind != "provision":
        results.statements = _ranked_statements(statements, query)
    results.statement_count = statements.count()
    if not (query.kind and query.kind != "provision") and not (
        query.session or query.actor
    ):
        results.provisions = _ranked_provisions(query)
    results.facets = _facets(statements, query)
    return results


def _terms(q):
    return [t for t in re.findall(r"\w+", q.lower()) if len(t) > 1][:8]


def _statement_matches(query):
    statements = Statement.objects.published()
    if query.treaty:
        statements = statements.filter(session__treaty=query.treaty)
    if query.session:
        statements = statements.filter(session=query.session)
    if query.actor:
        statements = statements.filter(actor=query.actor)
    if query.kind and query.kind != "provision":
        statements = statements.filter(kind=query.kind)
    return search_statements(query.q, statements)


def _ranked_statements(statements, query):
    rows = statements.select_related("actor", "session__treaty", "on_behalf_of")
    terms = _terms(query.q)
    if uses_full_text_search():
        rows = _marked_headline(rows, query.q)
        return [
            (s, _render(s.headline), _render_title(s.title, terms))
            for s in rows[:STATEMENT_LIMIT]
        ]
    rows = list(rows.order_by("-session__number", "-id")[: STATEMENT_LIMIT * 4])
    rows.sort(key=lambda s: -_hits(f"{s.title} {s.title} {s.text}", terms))
    return [
        (s, _render(_snippet(s.text, terms)), _render_title(s.title, terms))
        for s in rows[:STATEMENT_LIMIT]
    ]


def _ranked_provisions(query):
    """Provisions matching by title, proposition or text, each with its best passage."""
    provisions = Provision.objects.select_related("treaty", "chapter")
    if query.treaty:
        provisions = provisions.filter(treaty=query.treaty)
    found = list(search_provisions(query.q, provisions)[:PROVISION_LIMIT])
    texts = search_provision_texts(
        query.q,
        ProvisionText.objects.filter(provision__in=found).select_related("draft"),
    )
    terms = _terms(query.q)
    if uses_full_text_search():
        texts = _marked_headline(texts, query.q)
    best = {}
    for text in texts:
        best.setdefault(text.provision_id, text)
    entries = []
    for provision in found:
        text = best.get(provision.id)
        if text is None:
            snippet = _snippet(provision.proposition, terms)
        elif uses_full_text_search():
            snippet = text.headline
        else:
            snippet = _snippet(text.text, terms)
        entries.append(
            {
                "provision": provision,
                "text": text,
                "snippet": _render(snippet),
                "title": _render_title(provision.title, terms),
            }
        )
    return entries


def _marked_headline(queryset, q):
    # Markers that survive escaping (_render swaps them for <mark>); longer passages
    # than the API's, as many fragments as PostgreSQL finds.
    return with_headline(
        queryset, q, start_sel=START, stop_sel=STOP, max_words=40, max_fragments=None
    )


def _facets(statements, query):
    """Counts over the matching statements, by treaty, session, actor and kind."""
    base = statements.order_by()
    return {
        "treaty": list(
            base.values("session__treaty__slug", "session__treaty__short_title")
            .annotate(n=Count("id", distinct=True))
            .order_by("-n")[:FACET_LIMIT]
        ),
        "session": list(
            base.values("session__number", "session__title", "session__treaty__slug")
            .annotate(n=Count("id", distinct=True))
            .order_by("session__treaty__slug", "session__number")[:FACET_LIMIT]
        )
        if query.treaty
        else [],
        "actor": list(
            base.values("actor__code", "actor__name")
            .annotate(n=Count("id", distinct=True))
            .order_by("-n", "actor__name")[:FACET_LIMIT]
        ),
        "kind": [
            {**row, "label": KINDS[row["kind"]]}
            for row in base.values("kind")
            .annotate(n=Count("id", distinct=True))
            .order_by("-n")
        ],
    }


def _hits(text, terms):
    lowered = text.lower()
    return sum(lowered.count(t) for t in terms)


def _snippet(text, terms):
    """A window of `text` around the first hit, with terms between markers."""
    lowered = text.lower()
    hits = [i for i in (lowered.find(t) for t in terms) if i >= 0]
    start = max(min(hits) - SNIPPET_CHARS // 3, 0) if hits else 0
    window = text[start : start + SNIPPET_CHARS]
    if start > 0:
        window = "…" + window
    if start + SNIPPET_CHARS < len(text):
        window += "…"
    return _mark_terms(window, terms)


def _mark_terms(text, terms):
    if not terms:
        return text
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    return pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", text)


def _render(marked):
    """Escaped text in which the marked terms are wrapped in <mark>."""
    parts = re.split(f"({START}[^{STOP}]*{STOP})", marked)
    return format_html_join(
        "",
        "{}",
        (
            (format_html("<mark>{}</mark>", part[1:-1]) if part[:1] == START else part,)
            for part in parts
            if part
        ),
    )


def _render_title(title, terms):
    return _render(_mark_terms(title, terms))
