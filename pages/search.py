"""Search for the public site: published statements and provision texts, ranked,
with highlighted snippets and facets; actors by name or code, provisions by the
number they had in any draft, sessions by year or month; in a fixed number of
queries.

Matching and ranking are the API's (`states.selectors`, `provisions.selectors`:
PostgreSQL full-text search, or SQLite's FTS5, both with English stemming and
phrases); this module adds facets, snippets and the lookups by name and number.
Snippets are built with control-character markers, escaped, then marked up, so stored
text can never inject HTML.
"""

import calendar
import datetime
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Upper
from django.utils.html import format_html, format_html_join

from common.errors import ParameterError
from common.fulltext import with_headline
from pages.selectors.actors import actors_matching
from provisions.models import Provision, ProvisionText, Session, Treaty
from provisions.selectors import (
    PROVISION_TEXT_FTS,
    search_provision_texts,
    search_provisions,
)
from states.models import Actor, ActorAlias, Statement
from states.selectors import STATEMENT_FTS, search_statements

START, STOP = "\x02", "\x03"
STATEMENT_LIMIT = 50
PROVISION_LIMIT = 20
ACTOR_LIMIT = 12
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
    actors: list = field(default_factory=list)
    numbered: list = field(default_factory=list)
    sessions: list = field(default_factory=list)
    # When nothing matches every word and one word names an actor: that actor,
    # the other words, the count of its statements matching them and the link.
    by_actor: dict | None = None


def run(query):
    """Ranked statements and provisions for `query`, with facet counts; the actors,
    numbered provisions and sessions it names, unless a facet narrows the search."""
    statements = _statement_matches(query)
    results = Results()
    if query.kind != "provision":
        results.statements = _ranked_statements(statements, query)
    results.statement_count = statements.count()
    narrowed = query.session or query.actor
    if not (query.kind and query.kind != "provision") and not narrowed:
        results.provisions = _ranked_provisions(query)
        results.numbered = provisions_numbered(query.q, query.treaty)
    if not (query.kind or narrowed):
        results.actors = list(_actors_named(query.q))
        results.sessions = sessions_dated(query.q, query.treaty)
    results.facets = _facets(statements, query)
    if not results.statement_count and query.kind != "provision":
        results.by_actor = _by_actor_reading(query)
    return results


def _by_actor_reading(query):
    """ "EU human rights safeguards" matches nothing when no statement says "EU":
    read a word that is exactly an actor's code, name or alias as that actor, and
    count its statements with the other words. Only asked when nothing matched."""
    words = query.q.split()
    if query.actor is not None or len(words) < 2:
        return None
    upper = [w.upper() for w in words]
    actors = _actors_exactly(upper)
    for index, word in enumerate(upper):
        actor = actors.get(word)
        if actor is None:
            continue
        rest = " ".join(words[:index] + words[index + 1 :])
        reading = SearchQuery(
            q=rest,
            treaty=query.treaty,
            session=query.session,
            actor=actor,
            kind=query.kind,
        )
        count = _statement_matches(reading).count()
        if not count:
            return None
        return {
            "actor": actor,
            "q": rest,
            "count": count,
            "href": "?" + urlencode(reading.params()),
        }
    return None


def _actors_exactly(words):
    """{word: actor} for the (upper-case) words that are exactly an actor's code or
    alias: two queries."""
    aliases = dict(
        ActorAlias.objects.annotate(upper=Upper("alias"))
        .filter(upper__in=words)
        .values_list("upper", "actor_id")
    )
    actors = Actor.objects.filter(Q(code__in=words) | Q(pk__in=aliases.values()))
    by_id = {actor.pk: actor for actor in actors}
    named = {actor.code: actor for actor in by_id.values() if actor.code in words}
    for word, actor_id in aliases.items():
        named.setdefault(word, by_id[actor_id])
    return named


def _actors_named(q):
    """Actors by name, code or alias: the exact code or alias first, then names
    that start so."""
    if len(q.strip()) < 2:
        return Actor.objects.none()
    exact_alias = ActorAlias.objects.filter(
        actor=OuterRef("pk"), alias__iexact=q.strip()
    )
    return (
        actors_matching(q)
        .annotate(
            closeness=Case(
                When(code__iexact=q.strip(), then=Value(0)),
                When(Exists(exact_alias), then=Value(0)),
                When(name__istartswith=q.strip(), then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("closeness", "name")[:ACTOR_LIMIT]
    )


# "65", "Art. 6", "Article 6(2)", "art 12 (b)": an article number, perhaps with a
# paragraph or letter, which only narrows the reader's eye, not the provision.
ARTICLE_NUMBER = re.compile(
    r"^\s*(?:art(?:icle)?s?\.?\s*)?(\d{1,3})\s*(?:\(\s*\w{1,3}\s*\)\s*)*$",
    re.IGNORECASE,
)


def provisions_numbered(q, treaty=None):
    """[(provision, [its texts, in draft order])] for a query that is an article
    number: the provisions so numbered in any draft, with the label of each draft
    (the number moves between drafts)."""
    match = ARTICLE_NUMBER.match(q)
    if match is None:
        return []
    number = int(match.group(1))
    numbered = ProvisionText.objects.filter(
        label__iregex=rf"^\s*(art(icle)?\.?\s*)?0*{number}([^0-9]|$)"
    )
    if treaty is not None:
        numbered = numbered.filter(provision__treaty=treaty)
    texts = ProvisionText.objects.filter(
        provision__in=numbered.values("provision_id")
    ).select_related("draft", "provision__treaty")
    by_provision = {}
    for text in texts.order_by("provision__order", "draft__published_on", "id"):
        by_provision.setdefault(text.provision_id, (text.provision, []))[1].append(text)
    return list(by_provision.values())[:PROVISION_LIMIT]


MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
YEAR = re.compile(r"^\s*((?:19|20)\d\d)\s*$")
MONTH_YEAR = re.compile(r"^\s*([a-z]+)\.?\s+((?:19|20)\d\d)\s*$", re.IGNORECASE)
ISO_MONTH = re.compile(r"^\s*((?:19|20)\d\d)-(\d\d)\s*$")


def _period(q):
    """(first day, last day) of the year or month that `q` names, else None."""
    if match := YEAR.match(q):
        year = int(match.group(1))
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    month = year = None
    if match := MONTH_YEAR.match(q):
        month, year = MONTHS.get(match.group(1).lower()), int(match.group(2))
    elif match := ISO_MONTH.match(q):
        year, month = int(match.group(1)), int(match.group(2))
    if not (year and month and 1 <= month <= 12):
        return None
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, 1), datetime.date(year, month, last)


def sessions_dated(q, treaty=None):
    """Sessions held (in part) in the year or month `q` names: "2024", "Jan 2024",
    "January 2024", "2024-01"."""
    period = _period(q)
    if period is None:
        return []
    first, last = period
    sessions = Session.objects.filter(start_date__lte=last).filter(
        Q(end_date__gte=first) | Q(end_date__isnull=True, start_date__gte=first)
    )
    if treaty is not None:
        sessions = sessions.filter(treaty=treaty)
    return list(sessions.select_related("treaty").order_by("start_date", "number"))


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
    rows = _marked_headline(rows, query.q, STATEMENT_FTS)
    return [
        (s, _render(s.headline), _render_title(s.title, terms))
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
    texts = _marked_headline(texts, query.q, PROVISION_TEXT_FTS)
    best = {}
    for text in texts:
        best.setdefault(text.provision_id, text)
    entries = []
    for provision in found:
        text = best.get(provision.id)
        if text is None:
            snippet = _snippet(provision.proposition, terms)
        else:
            snippet = text.headline
        entries.append(
            {
                "provision": provision,
                "text": text,
                "snippet": _render(snippet),
                "title": _render_title(provision.title, terms),
            }
        )
    return entries


def _marked_headline(queryset, q, fts5):
    # Markers that survive escaping (_render swaps them for <mark>); longer passages
    # than the API's, as many fragments as PostgreSQL finds.
    return with_headline(
        queryset,
        q,
        start_sel=START,
        stop_sel=STOP,
        fts5=fts5,
        max_words=40,
        max_fragments=None,
    )


def _facets(statements, query):
    """Counts over the matching statements, by treaty, session, actor and kind.

    Plain counts: every join here is to one row (session, treaty, actor), so no
    statement is counted twice, and a DISTINCT would sort every match per facet."""
    base = statements.order_by()
    return {
        "treaty": list(
            base.values("session__treaty__slug", "session__treaty__short_title")
            .annotate(n=Count("id"))
            .order_by("-n")[:FACET_LIMIT]
        ),
        "session": list(
            base.values("session__number", "session__title", "session__treaty__slug")
            .annotate(n=Count("id"))
            .order_by("session__treaty__slug", "session__number")[:FACET_LIMIT]
        )
        if query.treaty
        else [],
        "actor": list(
            base.values("actor__code", "actor__name")
            .annotate(n=Count("id"))
            .order_by("-n", "actor__name")[:FACET_LIMIT]
        ),
        "kind": [
            {**row, "label": KINDS[row["kind"]]}
            for row in base.values("kind").annotate(n=Count("id")).order_by("-n")
        ],
    }


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
