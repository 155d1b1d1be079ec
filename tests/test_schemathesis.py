"""Schemathesis against the live OpenAPI schema: every operation, every check.

Reads run anonymously; writes run twice, with an editor's and a reviewer's token.
From the command line against a running server, see the README ("REST API").
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from tests.api_helpers import make_user
from tests.factories import (
    ActorFactory,
    GroupFactory,
    MembershipFactory,
    PositionFactory,
    ProvisionTextFactory,
)
from tracker.wsgi import application

# Examples per operation and role; CI keeps the default, a deeper local run sets
# SCHEMATHESIS_EXAMPLES=200.
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "15"))


# Loaded at collection (schemathesis' lazy fixture loader does not work with pytest 9);
# generating the schema needs no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture(autouse=True)
def _wsgi_in_test_transaction(db):
    # The WSGI handler closes "old" connections at each request's start and end, which
    # would close the test's transaction; Django's own test client disconnects these.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        _seed()
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _seed():
    """A little of everything, so filters and lookups sometimes hit real rows."""
    position = PositionFactory(statement__actor=ActorFactory(code="CHN"))
    ProvisionTextFactory(provision=position.provision)
    MembershipFactory(actor=position.statement.actor, group=GroupFactory(slug="g77"))


def _token_header(group):
    from django.contrib.auth.models import User
    from rest_framework.authtoken.models import Token

    user = User.objects.filter(username=group.lower()).first()
    if user is None:
        user = make_user(group.lower(), group)
    token, _ = Token.objects.get_or_create(user=user)
    return {"Authorization": f"Token {token.key}"}


@schema.include(method="GET").parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_reads_anonymously(case):
    case.call_and_validate()


@schema.exclude(method="GET").parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_writes_as_editor(case):
    case.call_and_validate(headers=_token_header("Editors"))


@schema.exclude(method="GET").parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_writes_as_reviewer(case):
    case.call_and_validate(headers=_token_header("Reviewers"))
