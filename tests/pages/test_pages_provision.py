import re

import pytest
from django.db.models import Count
from django.urls import reverse

from pages.selectors.provision import provision_quotes
from states import stances
from tests.factories import DraftFactory, ProvisionFactory
from tests.pages.pages_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def provision_url(provision, **params):
    url = reverse(
        "provision-detail",
        kwargs={"treaty": provision.treaty.slug, "slug": provision.slug},
    )
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def test_provision_page_shows_proposition_labels_across_drafts_and_texts(client, world):
    provision = world.provisions[2]
    response = client.get(provision_url(provision))
    assert response.status_code == 200
    body = response.content.decode()
    assert provision.proposition in body
    assert re.search(r"Article 3</span>.*→.*Article 4</span>", body, re.S)
    assert "States Parties shall adopt measures on subject 2." in body
    assert "States Parties may adopt appropriate measures on subject 2." in body


def test_default_diff_compares_first_and_last_draft_word_by_word(client, world):
    body = client.get(provision_url(world.provisions[2])).content.decode()
    diff = re.search(r'data-testid="diff">(.*?)</div>', body, re.S).group(1)
    assert "<del>shall</del>" in diff
    assert "<ins>may</ins>" in diff
    assert "appropriate</ins>" in diff


def test_diff_between_chosen_drafts_and_bad_draft_ids(client, world):
    provision = world.provisions[1]
    first, second = world.drafts
    body = client.get(
        provision_url(provision, **{"from": second.pk, "to": first.pk})
    ).content.decode()
    diff = re.search(r'data-testid="diff">(.*?)</div>', body, re.S).group(1)
    assert "<ins>shall</ins>" in diff and "<del>may</del>" in diff

    response = client.get(provision_url(provision, **{"from": "x"}))
    assert response.status_code == 400
    assert "from" in response.content.decode()
    other = DraftFactory(treaty=world.treaty, slug="other")
    response = client.get(provision_url(provision, to=other.pk))
    assert response.status_code == 400
    assert "has no text for this provision" in response.content.decode()
    response = client.get(provision_url(provision, to=999999))
    assert response.status_code == 400
    assert "does not exist" in response.content.decode()


def test_stance_breakdown_overall_and_by_regional_group_and_trend(client, world):
    body = client.get(provision_url(world.provisions[1])).content.decode()
    assert 'data-testid="stance-breakdown"' in body
    assert "Western group" in body and "Asia-Pacific group" in body
    assert (
        "EU member states"
        not in body.split("By UN regional group")[1].split("The text in every draft")[0]
    )
    # The trend chart has an accessible description with one entry per session.
    title = re.search(r'<title id="trend-title">(.*?)</title>', body).group(1)
    assert "S1:" in title and "S2:" in title


def test_quotes_grouped_by_stance_with_sources(client, world):
    provision = world.provisions[1]
    body = client.get(provision_url(provision)).content.decode()
    quotes = body.split('data-testid="quotes"')[1]
    assert "Quote of S05 on prov-1." in quotes
    assert "https://example.org/statement" in quotes
    headings = re.findall(r'<span class="stance stance-(\w+)">', quotes)
    assert headings == sorted(
        set(headings),
        key=["support", "support_with_changes", "undecided", "oppose"].index,
    )


def test_provision_without_texts_or_sessions(client, world):
    proposal = ProvisionFactory(treaty=world.treaty, kind="proposal", slug="new-one")
    response = client.get(provision_url(proposal))
    assert response.status_code == 200
    assert "has no text in any draft" in response.content.decode()


def test_unknown_provision_is_404(client, world):
    url = reverse(
        "provision-detail", kwargs={"treaty": world.treaty.slug, "slug": "nope"}
    )
    assert client.get(url).status_code == 404


# The provision page: provision with texts, quotes (with their statements' sources,
# co-signers and supporters), the matrix column, regions, trend.
PROVISION_PAGE_QUERIES = 14


def test_provision_page_query_budget(client, django_assert_max_num_queries):
    world = build_world(states=60, provisions=12, slug="big")
    with django_assert_max_num_queries(PROVISION_PAGE_QUERIES):
        response = client.get(provision_url(world.provisions[1]))
    assert response.status_code == 200


# The quotes shown, with every stance's total, in one windowed query; their
# statements' sources, co-signers and supporters in one more each.
QUOTES_QUERIES = 4


def test_quotes_are_the_newest_few_per_stance_with_every_position_counted(
    world, django_assert_num_queries
):
    provision = world.provisions[1]
    every = provision_quotes(provision)
    with django_assert_num_queries(QUOTES_QUERIES):
        few = provision_quotes(provision, limit=2)
        sources = [p.statement.actor.code for _, positions, _ in few for p in positions]
    assert all(total == len(positions) for _, positions, total in every)
    assert any(total > 2 for _, _, total in few)
    assert [(s, [p.id for p in positions], n) for s, positions, n in few] == [
        (s, [p.id for p in positions[:2]], n) for s, positions, n in every
    ]
    assert len(sources) == sum(min(2, n) for _, _, n in every)


def test_party_counts_say_whose_they_are_and_link_to_the_rows_behind_them(client):
    world = build_world(slug="counts")
    provision = world.provisions[1]
    body = client.get(provision.get_absolute_url()).content.decode()
    assert "civil society and other actors are not counted here" in body
    links = re.findall(
        r'<a href="([^"]+&amp;stance=(\w+)[^"]*)"><strong>(\d+)</strong> part', body
    )
    assert links
    for href, stance, count in links:
        matrix = client.get(href.replace("&amp;", "&")).content.decode()
        rows = re.findall(r"<tr[^>]*data-actor=", matrix)
        assert len(rows) == int(count), (stance, count, len(rows))


def test_provision_map_colours_every_member_state_by_its_stance(client):
    """On the demo data: one tile per member state, coloured as its matrix cell, and
    the same states listed by stance in the text alternative."""
    from collections import Counter

    from demo.loader import demo_load
    from pages.selectors.shared import matrix_for
    from provisions.models import Provision
    from states import services as state_services
    from states.models import Actor

    demo_load()
    state_services.matrix_rebuild(
        treaty_id=Provision.objects.filter(treaty__slug="un-cybercrime")
        .values_list("treaty_id", flat=True)
        .first()
    )
    provision = (
        Provision.objects.filter(treaty__slug="un-cybercrime")
        .annotate(n=Count("positions__stance", distinct=True), m=Count("positions"))
        .order_by("-n", "-m")
        .first()
    )
    view = matrix_for("un-cybercrime", provision=[provision.id])
    members = {a["code"] for a in view.actors if a["kind"] == "member_state"}
    assert len(members) == Actor.objects.filter(kind="member_state").count() == 193
    expected = {
        code: (view.cells.get((code, provision.id)) or {}).get("stance", "no_position")
        for code in members
    }
    assert len(set(expected.values())) >= 3  # a map worth drawing
    html = client.get(provision.get_absolute_url()).content.decode()
    assert "{#" not in html and "{% comment" not in html
    section = html.split('data-testid="provision-map"')[1].split("</section>")[0]
    tiles = dict(re.findall(r'data-code="(\w+)" data-status="(\w+)"', section))
    assert tiles == expected
    # The legend counts and the text alternative agree with the tiles.
    counts = Counter(expected.values())
    for stance, label in stances.LABELS.items():
        if stance in stances.WITH_NO_POSITION:
            assert f"{label} ({counts[stance]})" in section
    listed = re.findall(r'<dt data-stance="(\w+)">[^<]*</dt><dd>(.*?)</dd>', section)
    assert {
        stance: len(re.findall(r"<a href=", names)) for stance, names in listed
    } == {s: counts[s] for s in stances.WITH_NO_POSITION}
    assert 'role="img"' in section and "<title" in section
