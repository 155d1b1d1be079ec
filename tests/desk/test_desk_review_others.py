"""The review queue's draft rows name the other actors (co-signers and supporters,
each with its role), the group spoken for and the unnamed support (`also_for`), so
a reviewer checks them without opening the statement."""

import pytest
from django.urls import reverse

from tests.factories import (
    ActorFactory,
    GroupFactory,
    PositionFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db


def _row(body, statement):
    start = body.index(f'data-testid="draft-others-{statement.pk}"')
    return body[start : body.index("</td>", start)]


def _queue(client, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("desk:review"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_draft_row_names_co_signers_and_supporters_with_their_roles(client, reviewer):
    statement = StatementFactory(
        status="draft",
        actor=ActorFactory(code="JPN", name="Japan"),
        on_behalf_of=GroupFactory(name="Friends of the Chair"),
        also_for="and several other delegations",
    )
    PositionFactory(statement=statement, status="draft")
    statement.co_signers.add(
        ActorFactory(code="NZL", name="New Zealand"),
        ActorFactory(code="AUS", name="Australia"),
    )
    statement.supporters.add(ActorFactory(code="CAN", name="Canada"))
    body = _queue(client, reviewer)
    row = _row(body, statement)
    # Co-signers first, each list by name.
    assert row.index("Australia") < row.index("New Zealand") < row.index("Canada")
    assert 'Australia <span class="muted">(AUS)</span> — co-signer' in row
    assert 'New Zealand <span class="muted">(NZL)</span> — co-signer' in row
    assert 'Canada <span class="muted">(CAN)</span> — supporter' in row
    assert "Also for: and several other delegations" in row
    assert "on behalf of Friends of the Chair" in body
    assert "Japan" not in row  # the speaker has its own column


def test_a_draft_with_no_other_actors_says_none(client, reviewer):
    statement = StatementFactory(status="draft")
    PositionFactory(statement=statement, status="draft")
    row = _row(_queue(client, reviewer), statement)
    assert "none" in row and "co-signer" not in row and "Also for" not in row


def test_the_other_actors_and_also_for_are_escaped(client, reviewer):
    statement = StatementFactory(status="draft", also_for="<script>x()</script>")
    PositionFactory(statement=statement, status="draft")
    statement.supporters.add(ActorFactory(name="<b>Bold</b>"))
    row = _row(_queue(client, reviewer), statement)
    assert "<script>" not in row and "&lt;script&gt;x()&lt;/script&gt;" in row
    assert "<b>Bold" not in row and "&lt;b&gt;Bold&lt;/b&gt; " in row
