"""Fixtures shared by the API tests: users in the editorial groups, token clients."""

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from states.models import ApiToken
from states.services import api_token_issue

# Keys issued in this run: only digests are stored, so a test asking twice for a
# user's key gets the same one back from here (while the database still has it).
_ISSUED = {}


def make_user(username, *groups):
    user = User.objects.create_user(username, password="pw-for-tests-only")
    user.groups.set(AuthGroup.objects.filter(name__in=groups))
    return user


def api_key(user):
    """A working API key of `user`, issuing one if needed."""
    key = _ISSUED.get(user.pk)
    if (
        key is None
        or not ApiToken.objects.filter(
            user=user, digest=ApiToken.digest_of(key)
        ).exists()
    ):
        key = _ISSUED[user.pk] = api_token_issue(user=user, rotate=True)
    return key


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(user)}")
    return client


@pytest.fixture
def editor(db):
    return make_user("edith", "Editors")


@pytest.fixture
def reviewer(db):
    return make_user("rita", "Reviewers")


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def editor_client(editor):
    return token_client(editor)


@pytest.fixture
def reviewer_client(reviewer):
    return token_client(reviewer)


def api(name, **kwargs):
    from django.urls import reverse

    return reverse(f"api:{name}", kwargs=kwargs or None)


def pytest_terminal_summary(terminalreporter):
    """Print how many cases schemathesis ran, per role, when it ran."""
    import sys

    module = sys.modules.get("tests.test_schemathesis")
    sent = getattr(module, "SENT", None)
    if sent:
        terminalreporter.write_line(
            "schemathesis test cases: "
            + ", ".join(f"{role} {count}" for role, count in sorted(sent.items()))
            + f", total {sum(sent.values())}"
        )
