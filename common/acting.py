"""Who is acting: the user a service was told about, else the signed-in user of the
request being served (the desk, the admin, or the API, whose authentication sets the
request's user), else nobody (a command, a task: "the system").

Records without `updated_by` (treaties, actors, memberships …) learn from here who
changed them, for their history (states.revisions).
"""

import contextvars
from contextlib import contextmanager

from common.logging import current_request

_acting = contextvars.ContextVar("acting_user", default=None)


@contextmanager
def acting_as(user):
    """Attribute what happens inside the block to `user` (None changes nothing)."""
    token = _acting.set(user)
    try:
        yield
    finally:
        _acting.reset(token)


def acting_user_id():
    """The id of the user acting now, or None."""
    user = _acting.get()
    if user is None:
        user = getattr(current_request(), "user", None)
    if user is None or not user.is_authenticated:
        return None
    return user.pk
