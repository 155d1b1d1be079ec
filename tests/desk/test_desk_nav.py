"""The desk's own bar on every signed-in desk page: where to go next (the review
queue only for reviewers), who is signed in and a Sign out that works; never on the
public pages, whose shared header a cache may keep."""

import re

import pytest
from django.urls import reverse

from tests.factories import StatementFactory

pytestmark = pytest.mark.django_db

NAV = 'data-testid="desk-nav"'


def _nav(body):
    """The desk bar's HTML, which must be on the page exactly once."""
    assert body.count(NAV) == 1
    start = body.index(NAV)
    return body[start : body.index("</nav>", start)]


def _desk_pages(editor):
    draft = StatementFactory(status="draft", created_by=editor)
    published = StatementFactory(status="published")
    return {
        "home": reverse("desk:home"),
        "new statement": reverse("desk:statement-new"),
        "statement page": reverse("desk:statement", args=[draft.pk]),
        "published statement page": reverse("desk:statement", args=[published.pk]),
        "edit page": reverse("desk:statement-edit", args=[draft.pk]),
        "import": reverse("desk:import"),
        "history": reverse("desk:history", args=["statement", draft.pk]),
        "votes": reverse("desk:votes"),
        "new treaty action": reverse("desk:treaty-action-new"),
        "treaty actions": reverse("desk:treaty-actions"),
    }


def test_every_desk_page_has_the_bar_with_a_csrf_protected_sign_out(client, editor):
    client.force_login(editor)
    for name, url in _desk_pages(editor).items():
        response = client.get(url)
        assert response.status_code == 200, name
        nav = _nav(response.content.decode())
        assert f'action="{reverse("desk:logout")}"' in nav, name
        assert 'method="post"' in nav, name
        assert re.search(r'name="csrfmiddlewaretoken" value="\w+"', nav), name
        assert 'data-testid="sign-out"' in nav, name
        assert "Signed in as edith" in nav, name
        for target in ("desk:home", "desk:statement-new", "desk:import"):
            assert f'href="{reverse(target)}"' in nav, (name, target)


def test_the_review_queue_is_in_the_bar_for_reviewers_only(client, editor, reviewer):
    client.force_login(editor)
    nav = _nav(client.get(reverse("desk:home")).content.decode())
    assert f'href="{reverse("desk:review")}"' not in nav
    client.force_login(reviewer)
    for url in (
        reverse("desk:home"),
        reverse("desk:review"),
        reverse("desk:corrections"),
    ):
        nav = _nav(client.get(url).content.decode())
        assert f'href="{reverse("desk:review")}"' in nav, url
        assert "Signed in as rita" in nav, url


def test_the_bar_escapes_the_user_name(client, editor):
    editor.username = "<b>edith</b>"
    editor.save()
    client.force_login(editor)
    nav = _nav(client.get(reverse("desk:home")).content.decode())
    assert "Signed in as &lt;b&gt;edith&lt;/b&gt;" in nav and "<b>edith" not in nav


def test_sign_out_from_the_bar_ends_the_session(client, editor):
    client.force_login(editor)
    statement = StatementFactory(status="draft", created_by=editor)
    page = reverse("desk:statement", args=[statement.pk])
    assert client.get(page).status_code == 200
    response = client.post(reverse("desk:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:login")
    assert client.get(page).status_code == 302  # to sign in again


def test_the_sign_in_page_and_the_public_pages_have_no_desk_bar(client, editor):
    assert NAV not in client.get(reverse("desk:login")).content.decode()
    client.force_login(editor)
    public = client.get(reverse("home")).content.decode()
    assert NAV not in public and 'data-testid="sign-out"' not in public
    assert "edith" not in public
