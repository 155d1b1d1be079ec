"""E-mail alerts: follow, confirm by a signed link, a digest after a rebuild, and
one-click unsubscribe — all through a real SMTP server."""

import datetime
import re
import uuid
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from follow import services
from follow.models import Follow, Follower
from states import services as state_services
from states import tasks as state_tasks
from tests.factories import (
    ActorFactory,
    GroupFactory,
    MembershipFactory,
    PositionFactory,
    ProvisionFactory,
    SessionFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db

URL = re.compile(r"http://tracker\.test(/\S+)")


@pytest.fixture
def world():
    session = SessionFactory(number=1)
    treaty = session.treaty
    russia = ActorFactory(code="RUS", name="Russian Federation")
    other = ActorFactory(code="NOR", name="Norway")
    provision = ProvisionFactory(treaty=treaty, slug="disinformation")
    PositionFactory(
        statement=StatementFactory(session=session, actor=russia),
        provision=provision,
        stance="support",
    )
    state_services.matrix_rebuild(treaty_id=treaty.pk)
    return {
        "session": session,
        "treaty": treaty,
        "russia": russia,
        "other": other,
        "provision": provision,
    }


def _paths(message):
    return URL.findall(message.get_content())


def _follow(client, smtp, address, kind="actor", key="RUS"):
    before = len(smtp.messages)
    response = client.post(
        reverse("follow-start"), {"email": address, "kind": kind, "key": key}
    )
    assert response.status_code == 200, response.content
    message = smtp.wait_for(before + 1)[before]
    confirm = next(p for p in _paths(message) if p.startswith("/follow/confirm/"))
    assert client.get(confirm).status_code == 200
    response = client.post(confirm)
    assert response.status_code == 200
    assert b"follow-confirmed" in response.content
    return message


def test_follow_confirm_digest_and_one_click_unsubscribe(world, smtp):
    client = Client()
    page = client.get(reverse("actor-detail", kwargs={"code": "RUS"}))
    assert b'data-testid="follow-form"' in page.content

    response = client.post(
        reverse("follow-start"),
        {"email": "Ana@Example.org", "kind": "actor", "key": "RUS"},
    )
    assert response.status_code == 200
    # Double opt-in: nothing is stored before the link is confirmed.
    assert not Follower.objects.exists()
    (confirm_mail,) = smtp.wait_for(1)
    assert confirm_mail.envelope_to == ["ana@example.org"]
    assert "Russian Federation" in confirm_mail["Subject"]
    (confirm_path,) = _paths(confirm_mail)
    assert client.get(confirm_path).status_code == 200
    assert not Follower.objects.exists()  # a GET (a mail scanner) confirms nothing
    assert client.post(confirm_path).status_code == 200
    follower = Follower.objects.get()
    assert follower.email == "ana@example.org"
    assert [(f.kind, f.key) for f in follower.follows.all()] == [("actor", "RUS")]

    # Changes: one by the followed actor, one by another; then the matrix rebuilds.
    news = StatementFactory(
        session=world["session"],
        actor=world["russia"],
        title="Russia restates its proposal",
    )
    PositionFactory(statement=news, provision=world["provision"], stance="oppose")
    StatementFactory(
        session=world["session"], actor=world["other"], title="Norway is not followed"
    )
    state_services.matrix_mark_stale(treaty_id=world["treaty"].pk)
    state_tasks.rebuild_matrix(world["treaty"].pk)

    messages = smtp.wait_for(2)
    assert len(messages) == 2
    digest = messages[1]
    assert digest.envelope_to == ["ana@example.org"]
    assert digest["Subject"] == "Treaty Tracker: 2 changes to what you follow"
    body = digest.get_content()
    assert "Russian Federation: new statement “Russia restates its proposal”" in body
    assert "Russian Federation: new position on" in body and "(Oppose)" in body
    assert "Norway" not in body
    evidence = [p for p in _paths(digest) if "/sessions/" in p]
    assert evidence and all(p.endswith(f"#statement-{news.pk}") for p in evidence)
    page = client.get(evidence[0].split("#")[0])
    assert page.status_code == 200 and f'id="statement-{news.pk}"'.encode() in (
        page.content
    )
    assert client.get(reverse("changes")).status_code == 200

    # RFC 8058 headers, and the link in the body is the same URL.
    unsubscribe = str(digest["List-Unsubscribe"]).strip()  # may be folded
    assert unsubscribe.startswith("<http://tracker.test/follow/unsubscribe/")
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # On the wire: the URL in angle brackets as it is (folded, never RFC 2047-encoded).
    raw = digest.raw.replace(b"\r\n ", b" ").replace(b"\n ", b" ")
    assert re.search(
        rb"List-Unsubscribe: +<http://tracker\.test/follow/unsubscribe/", raw
    )
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in raw
    unsubscribe_path = urlsplit(unsubscribe.strip("<>")).path
    assert unsubscribe_path in _paths(digest)

    # At most daily: another change and rebuild the same day sends nothing.
    StatementFactory(session=world["session"], actor=world["russia"], title="Again")
    state_services.matrix_mark_stale(treaty_id=world["treaty"].pk)
    state_tasks.rebuild_matrix(world["treaty"].pk)
    assert len(smtp.wait_for(3, timeout=0.5)) == 2
    # A day later the waiting change goes out, and only it.
    later = timezone.now() + datetime.timedelta(hours=25)
    assert services.digests_send(now=later) == 1
    third = smtp.wait_for(3)[2]
    assert "“Again”" in third.get_content()
    assert "Russia restates" not in third.get_content()

    # One click, as a mail client does it: a POST without cookie or CSRF token.
    mail_client = Client(enforce_csrf_checks=True)
    assert mail_client.get(unsubscribe_path).status_code == 200
    assert Follower.objects.exists()  # GET only asks
    response = mail_client.post(unsubscribe_path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Follower.objects.exists() and not Follow.objects.exists()
    # Again: still fine, nothing to delete.
    assert mail_client.post(unsubscribe_path).status_code == 200


def test_provision_group_and_search_follows_get_what_touches_them(world, smtp):
    client = Client()
    provision_key = f"{world['treaty'].slug}/disinformation"
    page = client.get(world["provision"].get_absolute_url())
    assert f'value="{provision_key}"'.encode() in page.content
    group = GroupFactory(slug="nordic")
    MembershipFactory(group=group, actor=world["other"])
    _follow(client, smtp, "p@example.org", "provision", provision_key)
    _follow(client, smtp, "g@example.org", "group", "nordic")
    _follow(client, smtp, "s@example.org", "search", "cyber-espionage")

    nordic = StatementFactory(
        session=world["session"],
        actor=world["other"],
        title="A Nordic view",
        text="On cyber-espionage.",
    )
    PositionFactory(statement=nordic, provision=world["provision"], stance="oppose")
    state_services.matrix_mark_stale(treaty_id=world["treaty"].pk)
    state_tasks.rebuild_matrix(world["treaty"].pk)

    digests = {m.envelope_to[0]: m.get_content() for m in smtp.wait_for(6)[3:]}
    assert set(digests) == {"p@example.org", "g@example.org", "s@example.org"}
    assert "new position on" in digests["p@example.org"]
    assert "new statement" not in digests["p@example.org"]
    assert "Norway: new statement “A Nordic view”" in digests["g@example.org"]
    assert "Norway: new statement “A Nordic view”" in digests["s@example.org"]


def test_a_group_is_followed_from_its_page(world, smtp):
    group = GroupFactory(slug="nordic", name="Nordic group")
    MembershipFactory(group=group, actor=world["other"])
    client = Client()
    page = client.get(reverse("group-detail", kwargs={"slug": "nordic"})).text
    form = page.split('data-testid="follow-form"')[1].split("</form>")[0]
    assert 'name="kind" value="group"' in form
    assert 'name="key" value="nordic"' in form
    assert "Get an e-mail when Nordic group changes" in form
    message = _follow(client, smtp, "nordic@example.org", "group", "nordic")
    assert "Nordic group" in message["Subject"]
    follow = Follow.objects.get()
    assert (follow.kind, follow.key, follow.label) == (
        "group",
        "nordic",
        "Nordic group",
    )


def test_stopping_the_last_follow_deletes_the_address(world, smtp):
    _follow(Client(), smtp, "x@example.org")
    services.follow_stop(follow=Follow.objects.get())
    assert not Follower.objects.exists()


def test_bad_links_and_requests_are_refused_with_4xx(world, smtp, settings):
    client = Client()
    assert client.get(reverse("follow-start")).status_code == 405
    bad = [
        {"email": "not-an-address", "kind": "actor", "key": "RUS"},
        {"email": "a@example.org", "kind": "actor", "key": "XXX"},
        {"email": "a@example.org", "kind": "planet", "key": "RUS"},
        {"email": "a@example.org", "kind": "search", "key": "x" * 201},
        {"email": "a@example.org", "kind": "provision", "key": "no/such"},
    ]
    for data in bad:
        assert client.post(reverse("follow-start"), data).status_code == 400, data
    for name in ("follow-confirm", "follow-unsubscribe"):
        assert client.get(reverse(name, args=["forged:token"])).status_code == 400
        assert client.post(reverse(name, args=["forged:token"])).status_code == 400
    client.post(
        reverse("follow-start"),
        {"email": "late@example.org", "kind": "actor", "key": "RUS"},
    )
    (path,) = _paths(smtp.wait_for(1)[0])
    settings.FOLLOW_CONFIRM_HOURS = -1  # every link has expired
    response = client.post(path)
    assert response.status_code == 400 and b"expired" in response.content
    assert not Follower.objects.exists()


def test_honeypot_and_rate_limit(world, smtp, settings):
    client = Client()
    bot = client.post(
        reverse("follow-start"),
        {
            "email": "bot@example.org",
            "kind": "actor",
            "key": "RUS",
            "website": "http://spam.example",
        },
    )
    assert bot.status_code == 200  # a bot is not told
    assert smtp.wait_for(1, timeout=0.5) == []

    settings.FOLLOW_RATE_PER_HOUR = 2
    ip = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.7"
    address = f"{uuid.uuid4().hex}@example.org"
    codes = [
        client.post(
            reverse("follow-start"),
            {"email": address, "kind": "actor", "key": "RUS"},
            REMOTE_ADDR=ip,
        ).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]
    assert len(smtp.wait_for(2)) == 2
