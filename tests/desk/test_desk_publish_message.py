"""After publishing, the reviewer's message links the statement's desk page and the
place readers now see it (its anchor on the public session page); the title in it
stays escaped."""

import pytest
from django.urls import reverse

from tests.factories import PositionFactory, StatementFactory

pytestmark = pytest.mark.django_db


def _draft(title):
    statement = StatementFactory(status="draft", title=title)
    PositionFactory(statement=statement, status="draft")
    return statement


def _publish(client, reviewer, statement, **data):
    client.force_login(reviewer)
    response = client.post(
        reverse("desk:review-publish", args=[statement.pk]), data, follow=True
    )
    assert response.status_code == 200
    statement.refresh_from_db()
    assert statement.status == "published"
    body = response.content.decode()
    start = body.index('data-testid="message"')
    return body[start : body.index("</p>", start)]


def _public(statement):
    session = statement.session
    url = reverse(
        "session-detail",
        kwargs={"treaty": session.treaty.slug, "number": session.number},
    )
    return f"{url}#statement-{statement.pk}"


def test_the_message_links_the_desk_page_and_the_public_anchor(client, reviewer):
    statement = _draft("Japan on criminalization")
    message = _publish(client, reviewer, statement)
    assert "Published with its positions: Japan on criminalization" in message
    desk = reverse("desk:statement", args=[statement.pk])
    assert f'<a href="{desk}" data-testid="published-desk">' in message
    assert f'<a href="{_public(statement)}" data-testid="published-public">' in message
    # The anchor is there for readers: the session page marks the statement so.
    page = client.get(_public(statement).split("#")[0])
    assert page.status_code == 200
    assert f'id="statement-{statement.pk}"' in page.content.decode()


def test_the_message_is_the_same_on_the_statement_page_it_returns_to(client, reviewer):
    statement = _draft("Back to its page")
    desk = reverse("desk:statement", args=[statement.pk])
    message = _publish(client, reviewer, statement, next=desk)
    assert "Published with its positions: Back to its page" in message
    assert f'href="{_public(statement)}"' in message


def test_a_title_with_markup_is_escaped_in_the_message(client, reviewer):
    statement = _draft('<script>alert("x")</script> & <b>bold</b>')
    message = _publish(client, reviewer, statement)
    assert "<script>" not in message and "<b>" not in message
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; " in message
    assert "&lt;b&gt;bold&lt;/b&gt;" in message
    # The links around it are real links, not escaped text.
    assert 'data-testid="published-public">where readers see it</a>' in message
    assert "&lt;a href" not in message


def test_a_refused_publish_links_nothing(client, reviewer):
    statement = StatementFactory(status="draft", title="")
    client.force_login(reviewer)
    response = client.post(
        reverse("desk:review-publish", args=[statement.pk]), follow=True
    )
    body = response.content.decode()
    assert "Not published" in body
    assert 'data-testid="published-public"' not in body
