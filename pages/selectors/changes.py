"""The changelog page: public changes to the record (states.changelog), filtered by
treaty, actor and provision, newest first, paged back by revision id."""

from dataclasses import dataclass

from common.errors import ParameterError
from provisions.models import Provision, Treaty
from states import changelog
from states.models import Actor

PER_PAGE = 50


@dataclass
class ChangesPage:
    treaty: Treaty | None
    actor: Actor | None
    provision: Provision | None
    changes: list
    older: int | None  # the `before` of the next (older) page, if any


def change_filter_from_query(query):
    """(ChangeFilter, treaty, actor, provision) from ?treaty, ?actor, ?provision and
    ?before; a bad value is a ParameterError."""
    treaty = actor = provision = None
    slug = query.get("treaty", "")
    if slug:
        treaty = Treaty.objects.filter(slug=slug).first()
        if treaty is None:
            raise ParameterError("treaty", f"There is no treaty {slug!r}.")
    code = query.get("actor", "")
    if code:
        actor = Actor.objects.filter(code=code.upper()).first()
        if actor is None:
            raise ParameterError("actor", f"There is no actor {code!r}.")
    provision_slug = query.get("provision", "")
    if provision_slug:
        if treaty is None:
            raise ParameterError("provision", "Name the treaty too (?treaty=…).")
        provision = Provision.objects.filter(treaty=treaty, slug=provision_slug).first()
        if provision is None:
            raise ParameterError(
                "provision", f"There is no provision {provision_slug!r} in {slug}."
            )
    before = query.get("before", "")
    if before and not before.isdigit():
        raise ParameterError("before", f"{before!r} is not a change number.")
    flt = changelog.ChangeFilter(
        treaty_id=treaty.pk if treaty else None,
        actor_id=actor.pk if actor else None,
        provision_id=provision.pk if provision else None,
        before_id=int(before) if before else None,
    )
    return flt, treaty, actor, provision


def changes_page(query, *, per_page=PER_PAGE):
    flt, treaty, actor, provision = change_filter_from_query(query)
    changes = changelog.public_changes(flt, limit=per_page + 1)
    older = changes[per_page - 1].revision_id if len(changes) > per_page else None
    changes = changes[:per_page]
    for change in changes:
        change.summary = changelog.summary(change)
    return ChangesPage(treaty, actor, provision, changes, older)
