"""Schemathesis against the live OpenAPI schema: every operation, every check.

Reads run anonymously; writes run twice, with an editor's and a reviewer's token.
From the command line against a running server, see the README ("REST API").
"""

import collections
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from tests.api_helpers import api_key, make_user
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
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))


def _load(coverage=True):
    """The live schema (loaded at collection: schemathesis' lazy fixture loader does
    not work with pytest 9; generating the schema needs no database)."""
    config = SchemathesisConfig.discover()  # schemathesis.toml
    config.projects.default.phases.coverage.enabled = coverage
    return schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", application, config=config
    )


# Reads and the reviewer's writes get every phase, including the coverage phase's
# systematic edge and negative cases; the editor's writes (the same code, refused at
# publishing) get the generated examples only, which keeps the suite's time down.
schema = _load()
editor_schema = _load(coverage=False)


# Test cases run per role, printed in pytest's summary (tests/api_helpers.py).
SENT = collections.Counter()


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
    _seed_formal_acts(position.statement.actor, position.statement.session.treaty)


def _seed_formal_acts(actor, treaty):
    """A vote with a ballot and a sponsor, and a published treaty action."""
    import datetime

    from states import acts

    vote = acts.vote_create(
        treaty=treaty,
        body="General Assembly",
        date=datetime.date(2019, 12, 27),
        title="A recorded vote",
        question="Adopt the resolution.",
    )
    acts.ballots_set(vote=vote, choices={actor: "yes"})
    acts.vote_sponsors_set(vote=vote, sponsors=[(actor, "sponsor")])
    action = acts.treaty_action_create(
        user=None,
        treaty=treaty,
        actor=actor,
        kind="signature",
        date=datetime.date(2025, 10, 25),
        sources=["https://treaties.un.org/"],
    )
    acts.treaty_action_publish(action=action, user=None)


# The WSGI transport hands schemathesis the body as sent: ask for it uncompressed
# (GZipMiddleware would compress it; compression has its own tests).
IDENTITY = {"Accept-Encoding": "identity"}


def _token_header(group):
    from django.contrib.auth.models import User

    user = User.objects.filter(username=group.lower()).first()
    if user is None:
        user = make_user(group.lower(), group)
    return {"Authorization": f"Token {api_key(user)}", **IDENTITY}


@schema.include(method="GET").parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_reads_anonymously(case):
    SENT["anonymous reads"] += 1
    case.call_and_validate(headers=IDENTITY)


@editor_schema.exclude(method="GET").parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_writes_as_editor(case):
    SENT["editor writes"] += 1
    case.call_and_validate(headers=_token_header("Editors"))


@schema.exclude(method="GET").parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_writes_as_reviewer(case):
    SENT["reviewer writes"] += 1
    case.call_and_validate(headers=_token_header("Reviewers"))
