"""The matrix's query parameters (API.md names), validated once for the API and the
pages: a bad one is a common.errors.ParameterError naming it."""

import re
from dataclasses import dataclass

from common.errors import ParameterError
from provisions.models import Chapter, Session, Treaty
from states.models import Actor, Group

PARTY_KINDS = tuple(str(k) for k in Actor.PARTY_KINDS)
ACTOR_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9-]{1,11}$")


@dataclass(frozen=True)
class MatrixParams:
    treaty: Treaty
    session: Session
    kinds: tuple = PARTY_KINDS
    group: Group | None = None
    actor_codes: tuple = ()
    chapter: Chapter | None = None
    provision_ids: tuple = ()
    # Changes only: the earlier session, validated with the rest (`from`).
    compare_from: Session | None = None

    def cache_key(self):
        return "|".join(
            [
                str(self.treaty.pk),
                str(self.session.number),
                ",".join(sorted(self.kinds)),
                self.group.slug if self.group else "",
                ",".join(sorted(self.actor_codes)),
                str(self.chapter.pk) if self.chapter else "",
                ",".join(str(i) for i in sorted(self.provision_ids)),
            ]
        )


def _getlist(querydict, name):
    if hasattr(querydict, "getlist"):
        values = querydict.getlist(name)
    else:
        value = querydict.get(name)
        values = value if isinstance(value, list | tuple) else [value]
    values = [str(v).strip() for v in values if v is not None and str(v).strip()]
    # PostgreSQL text cannot hold NUL: in a lookup it is an error, not a miss.
    if any("\x00" in value for value in values):
        raise ParameterError(name, "Null characters are not allowed.")
    return values


def _get(querydict, name):
    values = _getlist(querydict, name)
    return values[-1] if values else None


def _integer(value, param):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ParameterError(param, f"'{value}' is not a whole number.") from None
    if number < 0 or number > 2**31 - 1:
        raise ParameterError(param, f"'{value}' is out of range.")
    return number


def _snapshot_session(slug, number, param):
    """(session `number` or the current one, all the treaty's sessions), one query.

    A treaty has a handful of sessions: reading them all at once also answers
    which session comes before (for changes) without another query.
    """
    sessions = list(
        Session.objects.select_related("treaty", "treaty__matrix_state")
        .filter(treaty__slug=slug)
        .order_by("number")
    )
    if not sessions and not Treaty.objects.filter(slug=slug).exists():
        raise ParameterError("treaty", f"There is no treaty '{slug}'.")
    return _pick_session(sessions, number, param), sessions


def _pick_session(sessions, number, param):
    if number is None:
        started = [s for s in sessions if s.status != Session.Status.SCHEDULED]
        if not started:
            raise ParameterError(
                param, "This treaty has no session in progress or closed yet."
            )
        return started[-1]
    session = next((s for s in sessions if s.number == number), None)
    if session is None:
        raise ParameterError(param, f"This treaty has no session {number}.")
    if session.status == Session.Status.SCHEDULED:
        raise ParameterError(
            param,
            f"Session {number} is scheduled; only sessions in progress or closed "
            "have a matrix.",
        )
    return session


def _compare_from(querydict, sessions, to_session):
    """The `from` session of a changes query (default: the snapshot before `to`)."""
    raw = _get(querydict, "from")
    if raw is None:
        earlier = [
            s
            for s in sessions
            if s.number < to_session.number and s.status != Session.Status.SCHEDULED
        ]
        if not earlier:
            raise ParameterError(
                "from", "There is no earlier session with a snapshot to compare with."
            )
        return earlier[-1]
    session = _pick_session(sessions, _integer(raw, "from"), "from")
    if session.number >= to_session.number:
        raise ParameterError("from", "'from' must be a session before 'to'.")
    return session


def _kinds(querydict, explicit_actors):
    values = _getlist(querydict, "kind")
    if not values:
        # Asking for actors by code shows them whatever their kind.
        return tuple(Actor.Kind.values) if explicit_actors else PARTY_KINDS
    if "all" in values:
        return tuple(Actor.Kind.values)
    for value in values:
        if value not in Actor.Kind.values:
            raise ParameterError(
                "kind",
                f"'{value}' is not an actor kind; use one of "
                f"{', '.join(Actor.Kind.values)} or 'all'.",
            )
    return tuple(dict.fromkeys(values))


def matrix_params_from_query(
    treaty_slug_or_none, querydict, *, session_param="session"
):
    """Validated matrix parameters from query parameters (API.md names).

    Raises ParameterError naming the bad parameter. With `session_param="to"` (the
    changes endpoint) `from` is validated too and kept as params.compare_from.
    """
    slug = treaty_slug_or_none or _get(querydict, "treaty")
    if not slug:
        raise ParameterError("treaty", "This parameter is required.")
    raw_number = _get(querydict, session_param)
    number = None if raw_number is None else _integer(raw_number, session_param)
    actor_codes = tuple(dict.fromkeys(c.upper() for c in _getlist(querydict, "actor")))
    for code in actor_codes:
        if not ACTOR_CODE.match(code):
            raise ParameterError("actor", f"'{code}' is not an actor code.")
    kinds = _kinds(querydict, bool(actor_codes))
    provision_ids = tuple(
        dict.fromkeys(
            _integer(v, "provision") for v in _getlist(querydict, "provision")
        )
    )
    raw_chapter = _get(querydict, "chapter")
    chapter_id = None if raw_chapter is None else _integer(raw_chapter, "chapter")
    session, sessions = _snapshot_session(slug, number, session_param)
    compare_from = None
    if session_param == "to":
        compare_from = _compare_from(querydict, sessions, session)
    group = None
    group_slug = _get(querydict, "group")
    if group_slug:
        group = Group.objects.filter(slug=group_slug).first()
        if group is None:
            raise ParameterError("group", f"There is no group '{group_slug}'.")
    chapter = None
    if chapter_id is not None:
        chapter = Chapter.objects.filter(pk=chapter_id, treaty=session.treaty).first()
        if chapter is None:
            raise ParameterError(
                "chapter", f"This treaty has no chapter with id {chapter_id}."
            )
    return MatrixParams(
        treaty=session.treaty,
        session=session,
        kinds=kinds,
        group=group,
        actor_codes=actor_codes,
        chapter=chapter,
        provision_ids=provision_ids,
        compare_from=compare_from,
    )
