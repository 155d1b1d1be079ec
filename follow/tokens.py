"""Signed links: a follow request to confirm (expires), an address to unsubscribe."""

from django.conf import settings
from django.core import signing

_CONFIRM_SALT = "follow.confirm"
_UNSUBSCRIBE_SALT = "follow.unsubscribe"


class BadToken(ValueError):
    """Tampered with, for another purpose, or expired."""


def confirm_token(*, email, kind, key):
    """The pending follow itself, signed: nothing is stored before confirmation."""
    return signing.TimestampSigner(salt=_CONFIRM_SALT).sign_object(
        {"e": email, "k": kind, "t": key}, compress=True
    )


def read_confirm_token(token):
    """(email, kind, key) of a confirmation link; raises BadToken."""
    max_age = settings.FOLLOW_CONFIRM_HOURS * 3600
    try:
        data = signing.TimestampSigner(salt=_CONFIRM_SALT).unsign_object(
            token, max_age=max_age
        )
    except signing.SignatureExpired:
        raise BadToken("This confirmation link has expired.") from None
    except signing.BadSignature:
        raise BadToken("This confirmation link is not valid.") from None
    return data["e"], data["k"], data["t"]


def unsubscribe_token(follower):
    # Not timed: the link in an old digest must still work. The address is part of
    # it so the token of a deleted follower never matches a later one with its id.
    return signing.Signer(salt=_UNSUBSCRIBE_SALT).sign_object(
        {"f": follower.pk, "e": follower.email}
    )


def read_unsubscribe_token(token):
    """(follower id, email); raises BadToken."""
    try:
        data = signing.Signer(salt=_UNSUBSCRIBE_SALT).unsign_object(token)
    except signing.BadSignature:
        raise BadToken("This unsubscribe link is not valid.") from None
    return data["f"], data["e"]
