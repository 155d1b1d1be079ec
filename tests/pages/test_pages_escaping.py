"""Every user-entered text shown on a page is escaped."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from states.services import matrix_rebuild
from tests.factories import (
    ActorFactory,
    PositionFactory,
    ProvisionFactory,
    ProvisionTextFactory,
    SessionFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db
EVIL = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def evil():
    session = SessionFactory(number=1, title="First session")
    actor = ActorFactory(code="EVL", name=f"Evil {EVIL} state")
    provision = ProvisionFactory(
        treaty=session.treaty,
        slug="evil",
        title=f"Provision {EVIL}",
        proposition=f"Adopt {EVIL}.",
    )
    ProvisionTextFactory(provision=provision, text=f"Text {EVIL}", label=f"Art {EVIL}")
    statement = StatementFactory(
        session=session, actor=actor, title=f"Statement {EVIL}", text=f"Said {EVIL}"
    )
    PositionFactory(statement=statement, provision=provision, quote=f"Quote {EVIL}")
    second = SessionFactory(treaty=session.treaty, number=2, title="Second session")
    statement = StatementFactory(session=second, actor=actor, title=f"Again {EVIL}")
    PositionFactory(
        statement=statement, provision=provision, stance="oppose", quote=f"No {EVIL}"
    )
    matrix_rebuild(treaty_id=session.treaty.pk, full=True)
    return session.treaty, actor, provision


def pages(treaty, actor, provision):
    return [
        reverse("treaty-matrix", kwargs={"treaty": treaty.slug}),
        reverse("treaty-matrix", kwargs={"treaty": treaty.slug}) + "?session=1",
        provision.get_absolute_url(),
        reverse("actor-detail", kwargs={"code": actor.code}),
        reverse("session-detail", kwargs={"treaty": treaty.slug, "number": 1}),
        reverse("session-detail", kwargs={"treaty": treaty.slug, "number": 2}),
        reverse("treaty-compare", kwargs={"treaty": treaty.slug}) + "?actors=EVL,EVL2",
        reverse("search") + "?q=said",
        reverse("search") + "?q=provision",
        reverse("search") + "?q=Statement",
        reverse("treaty-detail", kwargs={"treaty": treaty.slug}),
    ]


def test_script_in_user_text_renders_as_text_on_every_page(client, evil):
    treaty, actor, provision = evil
    ActorFactory(code="EVL2", name=f"Other {EVIL}")
    for url in pages(treaty, actor, provision):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert EVIL not in body, url
        assert "<script>alert" not in body, url
        assert "&lt;script&gt;" in body, url


def test_matrix_evidence_json_cannot_close_its_script_block(client, evil):
    treaty, _, _ = evil
    body = client.get(
        reverse("treaty-matrix", kwargs={"treaty": treaty.slug})
    ).content.decode()
    block = body.split('<script id="matrix-evidence"')[1].split("</script>")[0]
    assert "No \\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E" in block
    assert ESCAPED in body  # actor name in the row header


def test_feeds_escape_user_text(client, evil):
    body = client.get(reverse("feed-statements")).content.decode()
    assert EVIL not in body
    assert "&lt;script&gt;" in body


def test_feed_summaries_are_text_not_html(client):
    payload = '"><img src=x onerror=alert(1)>'
    StatementFactory(status="published", title="Hostile", text=f"Said {payload}")
    response = client.get(reverse("feed-statements"))
    atom = "{http://www.w3.org/2005/Atom}"
    entry = ET.fromstring(response.content).find(f"{atom}entry")
    summary = entry.find(f"{atom}summary")
    # A feed reader renders type="html" as markup; type="text" shows the characters.
    assert summary.get("type") == "text"
    assert summary.text.endswith(f"Said {payload}")
    assert "<img" not in response.content.decode()
