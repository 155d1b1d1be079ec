"""What the database says, for the browser tests to hold the pages against.

Read straight from the models and the materialized matrix runs rather than through
the page selectors, so a selector bug cannot make a page agree with itself.
"""

import re

from django.db.models import Q

from provisions.models import Session, Treaty
from states.models import Actor, MatrixStance

SESSION_HREF = re.compile(r"/sessions/(\d+)/")


def demo_treaty():
    return Treaty.objects.get()


def session_number(href):
    """The session number in a link to a session page."""
    match = SESSION_HREF.search(href or "")
    assert match, f"not a link to a session page: {href!r}"
    return int(match.group(1))


def cells_as_of(treaty, number, *, kinds=Actor.PARTY_KINDS):
    """{(actor code, provision id): MatrixStance} in force as of session `number`."""
    codes = dict(Actor.objects.filter(kind__in=kinds).values_list("id", "code"))
    runs = MatrixStance.objects.filter(
        Q(to_number__isnull=True) | Q(to_number__gt=number),
        treaty=treaty,
        from_number__lte=number,
        actor_id__in=codes,
    )
    return {(codes[run.actor_id], run.provision_id): run for run in runs}


def previous_session(session):
    return (
        Session.objects.filter(treaty=session.treaty, number__lt=session.number)
        .order_by("-number")
        .first()
    )
