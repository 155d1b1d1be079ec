import re

import pytest
from django.urls import reverse

from pages.selectors import actor as actor_page
from pages.selectors import session as session_page
from states import services, stances
from states.models import MatrixStance, Status
from tests.pages.pages_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def actor_url(actor, **params):
    url = reverse("actor-detail", kwargs={"code": actor.code})
    return url + (
        "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""
    )


def session_url(world, number):
    return reverse(
        "session-detail", kwargs={"treaty": world.treaty.slug, "number": number}
    )


def test_actor_page_shows_groups_positions_and_statements(client, world):
    actor = world.states[5]
    response = client.get(actor_url(actor))
    assert response.status_code == 200
    body = response.content.decode()
    assert actor.name in body
    assert "Western group" in body
    assert 'data-testid="actor-positions"' in body
    assert "Chapter I. Chapter I title" in body
    statements = body.split('data-testid="actor-statements"')[1]
    assert f"{actor.name} in Session 2" in statements
    assert f"{actor.name} in Session 1" in statements


def test_member_sees_inherited_group_statement_in_timeline(client, world):
    body = client.get(actor_url(world.states[0])).content.decode()
    assert "EU and its member states" in body
    assert "via EU member states" in body


def test_agreement_lists_only_pairs_with_enough_shared_provisions(client, world):
    body = client.get(actor_url(world.states[5])).content.decode()
    most = body.split('data-testid="agrees-most"')[1].split("</div>")[0]
    shared = [int(n) for n in re.findall(r" of (\d+)</span>", most)]
    assert shared and min(shared) >= actor_page.MIN_SHARED_PROVISIONS
    # The NGO shares one provision only: never listed.
    assert "Rights Watch" not in most


def test_agreement_is_share_of_equal_stances_among_shared_provisions(world):
    # S06 spoke on provision 0, like the NGO; S05 did not.
    s05, s06 = world.states[6], world.states[5]
    most, least = actor_page.agreement(
        world.treaty, world.sessions[1], s05, minimum=1, limit=100
    )
    scored = {r["code"]: r for r in most + least}
    assert "S06" not in scored
    cells = {
        (c.actor_id, c.provision_id): c.stance
        for c in MatrixStance.objects.filter(
            treaty_id=world.treaty.pk, to_number__isnull=True
        )
    }
    shared = [
        p.pk
        for p in world.provisions
        if (s05.pk, p.pk) in cells and (s06.pk, p.pk) in cells
    ]
    same = [p for p in shared if cells[(s05.pk, p)] == cells[(s06.pk, p)]]
    assert scored["S05"]["shared"] == len(shared)
    assert scored["S05"]["same"] == len(same)
    assert scored["S05"]["share"] == round(100 * len(same) / len(shared))
    # The NGO spoke on one provision only: below a minimum of 2 it disappears.
    assert "NGO" in scored
    most, least = actor_page.agreement(
        world.treaty, world.sessions[1], s05, minimum=2, limit=100
    )
    assert "NGO" not in {r["code"] for r in most + least}


def test_ranking_lists_each_actor_once():
    scored = [
        {"code": "B", "name": "B", "shared": 4, "same": 3, "share": 75},
        {"code": "C", "name": "C", "shared": 5, "same": 0, "share": 0},
    ]
    most, least = actor_page.rank_agreement(scored, limit=1)
    assert [r["code"] for r in most] == ["B"]
    assert [r["code"] for r in least] == ["C"]
    # Few actors past the minimum: split between the lists rather than all "most".
    most, least = actor_page.rank_agreement(scored, limit=5)
    assert [r["code"] for r in most] == ["B"]
    assert [r["code"] for r in least] == ["C"]
    most, least = actor_page.rank_agreement(scored[:1], limit=5)
    assert [r["code"] for r in most] == ["B"] and least == []
    many = [
        {"code": c, "name": c, "shared": 5, "same": i, "share": 20 * i}
        for i, c in enumerate("DEFGHIJK")
    ]
    most, least = actor_page.rank_agreement(many, limit=3)
    assert [r["code"] for r in most] == ["K", "J", "I"]
    assert [r["code"] for r in least] == ["D", "E", "F"]


def test_agreement_shows_its_evidence_and_one_minimum(client, world):
    body = client.get(actor_url(world.states[5])).content.decode()
    most = body.split('data-testid="agrees-most"')[1].split("</div>")[0]
    shown = re.findall(r"(\d+)%<span class=\"meta\"> · (\d+) of (\d+)</span>", most)
    assert shown
    for share, same, shared in shown:
        assert int(share) == round(100 * int(same) / int(shared))
        assert int(shared) >= actor_page.MIN_SHARED_PROVISIONS
    assert "both lists only count actors sharing at least 3 provisions" in body


def test_actor_page_bad_treaty_is_400_and_unknown_actor_404(client, world):
    response = client.get(actor_url(world.states[1], treaty="nope"))
    assert response.status_code == 400
    assert "treaty" in response.content.decode()
    assert (
        client.get(reverse("actor-detail", kwargs={"code": "ZZZ"})).status_code == 404
    )
    response = client.get(reverse("actor-detail", kwargs={"code": "s05"}))
    assert response.status_code == 302
    assert response["Location"] == reverse("actor-detail", kwargs={"code": "S05"})


# The actor page: actor, groups, treaties, statements and their count, the matrix
# (parameters, rows, columns, cells), chapters, agreement (its cache key, then the
# scores); and its formal acts (ballots, sponsorships, treaty actions); the
# statements' sources and supporters, and the notes of its positions (wants,
# verification, whose statement).
ACTOR_PAGE_QUERIES = 20


def test_actor_page_query_budget(client, django_assert_max_num_queries):
    world = build_world(states=60, provisions=12, slug="big")
    with django_assert_max_num_queries(ACTOR_PAGE_QUERIES):
        response = client.get(actor_url(world.states[7]))
    assert response.status_code == 200


def test_session_page_lists_statements_and_who_moved_by_provision(client, world):
    response = client.get(session_url(world, 2))
    assert response.status_code == 200
    body = response.content.decode()
    statements = body.split('data-testid="session-statements"')[1]
    assert "State S05 in Session 2" in statements
    assert "State S05 in Session 1" not in statements
    moved = body.split('data-testid="who-moved"')[1].split("session-statements")[0]
    assert "since Session 1" in moved
    # State S05 shifts every stance by 5 % 3 = 2 in session 2: it moved.
    assert "State S05" in moved
    # State S06 (6 % 3 = 0) says the same again: it did not move.
    assert "State S06" not in moved
    assert "Provision 1" in moved


def test_session_statements_are_paginated_and_moves_capped(client, world, monkeypatch):
    monkeypatch.setattr(session_page, "STATEMENTS_PER_PAGE", 5)
    monkeypatch.setattr(session_page, "MOVES_PER_PROVISION", 1)
    monkeypatch.setattr(session_page, "MOVED_PROVISIONS", 2)
    body = client.get(session_url(world, 2)).content.decode()
    statements = body.split('data-testid="session-statements"')[1]
    assert statements.count('<li id="statement-') == 5
    assert "Page 1 of 5" in statements
    assert "?moves=all" in body and "more — " in body
    page = client.get(session_url(world, 2) + "?page=5").content.decode()
    assert (
        page.split('data-testid="session-statements"')[1].count('<li id="statement-')
        == 1
    )
    everything = client.get(session_url(world, 2) + "?moves=all").content.decode()
    assert everything.count('<h3><a href="/t/') > body.count('<h3><a href="/t/')
    for bad in ("abc", "99"):
        response = client.get(session_url(world, 2) + f"?page={bad}")
        assert response.status_code == 400
        assert "page" in response.content.decode()


def test_first_and_scheduled_sessions(client, world):
    body = client.get(session_url(world, 1)).content.decode()
    assert "first session on record" in body
    assert f'href="{session_url(world, 2)}">Session 2 →' in body
    response = client.get(session_url(world, 3))
    assert response.status_code == 200
    assert "has not started" in response.content.decode()
    assert client.get(session_url(world, 42)).status_code == 404


# The session page: session, neighbours, a page of statements with positions and
# co-signers, supporters and sources, who moved (its cache key; then parameters, rows,
# columns, runs, provisions, names). Who moved comes from the cache until a build
# lands: then 6 fewer.
SESSION_PAGE_QUERIES = 15
SESSION_PAGE_CACHED_QUERIES = 9


def test_session_page_query_budget(client, django_assert_max_num_queries):
    world = build_world(states=60, provisions=12, slug="big")
    with django_assert_max_num_queries(SESSION_PAGE_QUERIES):
        response = client.get(session_url(world, 2))
    assert response.status_code == 200


def _moved_section(client, world, number=2):
    body = client.get(session_url(world, number)).content.decode()
    return body.split('data-testid="who-moved"')[1].split("session-statements")[0]


def test_who_moved_is_summarised_per_stance_and_links_to_every_change(
    client, world, monkeypatch
):
    monkeypatch.setattr(session_page, "MOVED_PROVISIONS", 2)
    moved = _moved_section(client, world)
    count = int(re.search(r"(\d+) changes? of stance", moved).group(1))
    per_stance = moved.split('data-testid="moves-by-stance"')[1].split("</ul>")[0]
    counted = [int(n) for n in re.findall(r"(\d+) changes?</span>", per_stance)]
    assert len(counted) >= 2 and sum(counted) == count
    more = moved.split('data-testid="more-moves"')[1]
    assert "The first 2 of " in more
    moves_url = reverse("treaty-moves", kwargs={"treaty": world.treaty.slug})
    assert f'href="{moves_url}?from=1&amp;to=2"' in more
    assert moved.count("<h3>") == 2


def _speak_again(world, actor, provision):
    """`actor` takes, in session 2, a stance on `provision` other than its own."""
    held = MatrixStance.objects.filter(
        treaty_id=world.treaty.pk, actor=actor, provision=provision, to_number=None
    ).values_list("stance", flat=True)
    stance = next(s for s in stances.ORDER if s not in set(held))
    statement = services.statement_create(
        user=None,
        session=world.sessions[1],
        actor=actor,
        kind="oral",
        title="A change of mind",
        text="We think again.",
        source_url="https://example.org/again",
        status=Status.PUBLISHED,
    )
    services.position_create(
        user=None,
        statement=statement,
        provision=provision,
        stance=stance,
        status=Status.PUBLISHED,
    )


def test_who_moved_is_kept_until_a_build_lands(client, django_assert_num_queries):
    world = build_world(states=60, provisions=12, slug="big")
    url = session_url(world, 2)
    with django_assert_num_queries(SESSION_PAGE_QUERIES):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(SESSION_PAGE_CACHED_QUERIES):
        assert client.get(url).status_code == 200
    steady = world.states[6]  # 6 % 3 = 0: says the same again, does not move
    assert steady.name not in _moved_section(client, world)
    _speak_again(world, steady, world.provisions[1])
    # Owed but not built: the page shows the build readers see, as the matrix does.
    assert steady.name not in _moved_section(client, world)
    services.matrix_rebuild(treaty_id=world.treaty.pk)
    assert steady.name in _moved_section(client, world)


def _ngo_shared(world, actor):
    most, least = actor_page.agreement(
        world.treaty, world.sessions[1], actor, minimum=1, limit=100
    )
    return {r["code"]: r for r in most + least}["NGO"]["shared"]


def test_agreement_is_kept_until_a_build_lands(django_assert_num_queries):
    world = build_world(states=60, provisions=12, slug="big")
    actor = world.states[7]
    # Its cache key (the build, the last edits), then the scores; then the key only.
    with django_assert_num_queries(2):
        before = _ngo_shared(world, actor)
    with django_assert_num_queries(1):
        assert _ngo_shared(world, actor) == before
    cells = MatrixStance.objects.filter(treaty_id=world.treaty.pk, to_number=None)
    ngo_coded = set(cells.filter(actor=world.ngo).values_list("provision", flat=True))
    provision = next(
        p
        for p in world.provisions
        if p.pk not in ngo_coded and cells.filter(actor=actor, provision=p).exists()
    )
    _speak_again(world, world.ngo, provision)
    assert _ngo_shared(world, actor) == before  # owed, not built: as readers see it
    services.matrix_rebuild(treaty_id=world.treaty.pk)
    assert _ngo_shared(world, actor) == before + 1
