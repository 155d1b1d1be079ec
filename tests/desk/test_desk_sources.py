"""How the desk shows a statement's sources: as the reader's pages do, each link
reading as the address it goes to, with its kind and the document symbol after it."""

import html
import re

import pytest
from django.urls import reverse

from states.models import Statement
from tests.desk.desk_world import SOURCE, desk_world, entry_data

pytestmark = pytest.mark.django_db


def test_the_review_queue_links_each_source_by_its_address_and_kind(
    client, editor, reviewer
):
    session, _, speaker, others = desk_world()
    client.force_login(editor)
    data = entry_data(session, speaker, others, document_symbol="A/AC.291/<i>3</i>")
    assert client.post(reverse("desk:statement-new"), data).status_code == 302
    assert Statement.objects.get().document_symbol == "A/AC.291/<i>3</i>"
    client.force_login(reviewer)
    body = client.get(reverse("desk:review")).content.decode()
    links = re.findall(
        r'<a href="([^"]+)" rel="nofollow noopener" data-testid="source">([^<]*)</a>'
        r" \(([^)]*)\)",
        body,
    )
    assert [tuple(html.unescape(part) for part in link) for link in links] == [
        (SOURCE, "example.org/" + "s" * 35 + "…", "Official record"),
        ("https://ngo.example.org/report", "ngo.example.org/report", "NGO report"),
    ]
    assert "(Official record) · Document A/AC.291/&lt;i&gt;3&lt;/i&gt;" in body
    assert "<i>3</i>" not in body
