import re
from collections import Counter

import pytest
from django.urls import reverse

from pages.selectors.actors import actors_named
from pages.selectors.shared import matrix_for
from states.models import Actor, ActorAlias, Position, Statement
from tests.factories import ActorFactory, MembershipFactory
from tests.pages.pages_world import build_world

pytestmark = pytest.mark.django_db

ROW = re.compile(
    r'<tr data-actor="([^"]+)">.*?<td class="num">(?:<a [^>]*>)?(\d+)(?:</a>)?</td>'
    r'\s*<td class="num">(\d+)</td>',
    re.S,
)


@pytest.fixture
def world():
    return build_world()


def actor_rows(client, **params):
    response = client.get(reverse("actor-list"), params)
    assert response.status_code == 200
    return {code: (int(s), int(p)) for code, s, p in ROW.findall(response.text)}


def test_actor_list_shows_every_actor_with_its_published_counts(client, world):
    drafts = Statement.objects.filter(actor=world.states[5])
    Position.objects.filter(statement__in=drafts).update(status="draft")
    drafts.update(status="draft")
    rows = actor_rows(client)
    assert set(rows) == set(Actor.objects.values_list("code", flat=True))
    for actor in Actor.objects.all():
        statements = Statement.objects.published().filter(actor=actor)
        positions = Position.objects.filter(
            statement__in=statements, status="published"
        )
        assert rows[actor.code] == (statements.count(), positions.count())
    assert rows[world.states[5].code] == (0, 0)
    assert rows["EU"] == (1, len(world.provisions))


def test_actor_list_filters_by_kind_group_and_name_or_code(client, world):
    assert set(actor_rows(client, kind="civil_society")) == {"NGO"}
    assert set(actor_rows(client, group=world.groups["eu"].slug)) == {
        a.code for a in world.states[:4]
    }
    assert set(actor_rows(client, q="european")) == {"EU"}
    assert set(actor_rows(client, q="s07")) == {"S07"}
    # A code matches whole; a name matches in part.
    assert set(actor_rows(client, q="S0", kind="member_state")) == {
        a.code for a in world.states if "S0" in a.name
    }
    assert actor_rows(client, q="nobody by that name") == {}


# Codes, names and aliases in one query; what none names ("nobody") once more, by
# the beginning of a name.
ALIAS_MATCH_QUERIES = 2


def test_actor_list_and_compare_form_find_actors_by_alias(
    client, world, django_assert_num_queries
):
    eu = Actor.objects.get(code="EU")
    ActorAlias.objects.create(actor=eu, alias="Union européenne")
    ActorAlias.objects.create(actor=eu, alias="EC")
    ActorAlias.objects.create(actor=world.states[2], alias="Ruritania")
    assert set(actor_rows(client, q="ruritan")) == {world.states[2].code}
    assert set(actor_rows(client, q="européenne")) == {"EU"}
    # Two aliases and the name all match: still one row.
    response = client.get(reverse("actor-list"), {"q": "e"})
    assert response.text.count('<tr data-actor="EU">') == 1
    with django_assert_num_queries(ALIAS_MATCH_QUERIES):
        named = actors_named(["ruritania", "EC", "European Union", "nobody"])
    assert {text: a and a.code for text, a in named.items()} == {
        "ruritania": world.states[2].code,
        "EC": "EU",
        "European Union": "EU",
        "nobody": None,
    }
    treaty = world.treaty.slug
    compare = client.get(
        reverse("treaty-compare", kwargs={"treaty": treaty}),
        {"actors": ["Ruritania", "Union européenne"], "format": "json"},
    )
    assert compare.json()["actors"] == [world.states[2].code, "EU"]


def test_actor_list_partial_answer_is_the_rows_alone(client, world):
    response = client.get(reverse("actor-list"), {"q": "rights", "partial": "1"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert re.findall(r'data-actor="([^"]+)"', response.text) == ["NGO"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "planet"}, "kind"),
        ({"group": "nope"}, "There is no group"),
        ({"q": "a\x00"}, "NUL"),
    ],
)
def test_actor_list_bad_filter_is_a_400(client, world, params, message):
    response = client.get(reverse("actor-list"), params)
    assert response.status_code == 400
    assert message in response.text


def test_actor_list_query_budget(client, django_assert_max_num_queries):
    build_world(states=80, provisions=12, slug="big")
    with django_assert_max_num_queries(4):
        response = client.get(reverse("actor-list"))
    assert response.status_code == 200
    assert response.text.count('<tr data-actor="') == 82


def test_actor_page_breadcrumb_and_groups_link_to_their_pages(client, world):
    body = client.get(reverse("actor-detail", kwargs={"code": "S01"})).text
    assert f'href="{reverse("actor-list")}">Actors</a>' in body
    assert (
        f'href="{reverse("group-detail", kwargs={"slug": world.groups["eu"].slug})}"'
        in body
    )


def test_group_page_lists_members_over_time_with_dates(client, world):
    group = world.groups["eu"]
    leaver = ActorFactory(code="LFT", name="Left state")
    MembershipFactory(
        actor=leaver,
        group=group,
        start_date="2001-05-01",
        end_date="2020-01-31",
    )
    body = client.get(reverse("group-detail", kwargs={"slug": group.slug})).text
    members = body.split('data-testid="group-members"')[1]
    assert members.count("<tr><td>") == 5
    assert (
        '<time datetime="2001-05-01">1 May 2001</time></td>\n'
        '        <td><time datetime="2020-01-31">31 Jan 2020</time>'
    ) in members
    assert "4 members today, 5 memberships on record" in body


def test_group_cohesion_is_the_share_holding_the_commonest_stance(client, world):
    group = world.groups["west"]
    body = client.get(reverse("group-detail", kwargs={"slug": group.slug})).text
    shown = re.findall(
        r'<tr data-provision="(\d+)">.*?<td class="num">(\d+)%<span class="meta">'
        r" \((\d+) of (\d+)\)</span></td>\s*<td class=\"num\">(\d+) of (\d+)</td>",
        body.split("group-members")[0],
        re.S,
    )
    members = [a.code for a in world.states if int(a.code[1:]) % 2]
    view = matrix_for(world.treaty.slug, kind="all", actor=members)
    expected = {}
    for provision in view.provisions:
        counts = Counter(
            view.cells[(c, provision["id"])]["stance"]
            for c in members
            if (c, provision["id"]) in view.cells
        )
        if counts:
            top = max(counts.values())
            coded = sum(counts.values())
            expected[provision["id"]] = (round(100 * top / coded), top, coded)
    assert expected
    assert {
        int(pid): (int(share), int(top), int(coded))
        for pid, share, top, coded, evidence, of in shown
    } == expected
    assert all(int(of) == len(members) for *_, of in shown)


def test_group_page_unknown_group_is_404_and_bad_treaty_400(client, world):
    assert (
        client.get(reverse("group-detail", kwargs={"slug": "nope"})).status_code == 404
    )
    url = reverse("group-detail", kwargs={"slug": world.groups["eu"].slug})
    assert client.get(url, {"treaty": "nope"}).status_code == 400


def test_group_page_query_budget(client, django_assert_max_num_queries):
    world = build_world(states=60, provisions=12, slug="big")
    url = reverse("group-detail", kwargs={"slug": world.groups["west"].slug})
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200
