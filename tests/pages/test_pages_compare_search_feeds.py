import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests.factories import ActorFactory, StatementFactory
from tests.pages.pages_world import build_world

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def world():
    return build_world()


def compare_url(world, actors):
    url = reverse("treaty-compare", kwargs={"treaty": world.treaty.slug})
    return f"{url}?actors={actors}" if actors is not None else url


def test_compare_shows_actors_side_by_side_on_provisions_with_any_stance(client, world):
    response = client.get(compare_url(world, "s05,EU,NGO"))
    assert response.status_code == 200
    body = response.content.decode()
    table = body.split('data-testid="compare-table"')[1]
    headers = re.findall(
        r'<th scope="col" class="num"[^>]*><a [^>]*>([^<]+)</a>', table
    )
    assert headers == ["State S05", "European Union", "Rights Watch"]
    rows = re.findall(r'<tr data-provision="(\d+)">', table)
    assert len(rows) == len(world.provisions)  # the EU spoke on every provision
    assert table.count('class="stance stance-no_position"') > 0


def test_compare_lists_only_provisions_where_someone_has_a_stance(client, world):
    body = client.get(compare_url(world, "NGO,S00")).content.decode()
    rows = re.findall(r'<tr data-provision="(\d+)">', body)
    # S00 inherits the EU's session-1 support on every provision.
    assert len(rows) == len(world.provisions)
    ActorFactory(code="SIL", name="Silent state")
    body = client.get(compare_url(world, "NGO,SIL")).content.decode()
    assert re.findall(r'<tr data-provision="(\d+)">', body) == [
        str(world.provisions[0].pk)
    ]


@pytest.mark.parametrize(
    ("actors", "message"),
    [
        ("S05", "between 2 and 6"),
        ("S01,S02,S03,S04,S05,S06,S07", "between 2 and 6"),
        ("S05,XXX", "Unknown actor code(s) or name(s): XXX"),
        ("S05,S\x00", "NUL"),
    ],
)
def test_compare_bad_input_is_a_400_with_message(client, world, actors, message):
    response = client.get(compare_url(world, actors))
    assert response.status_code == 400
    assert message in response.content.decode()


def test_compare_picks_actors_by_name_or_the_lists_name_and_code(client, world):
    url = reverse("treaty-compare", kwargs={"treaty": world.treaty.slug})
    response = client.get(
        url, {"actors": ["european union", "State S05 (S05)", "", "NGO"]}
    )
    assert response.status_code == 200
    body = response.content.decode()
    table = body.split('data-testid="compare-table"')[1]
    headers = re.findall(
        r'<th scope="col" class="num"[^>]*><a [^>]*>([^<]+)</a>', table
    )
    assert headers == ["European Union", "State S05", "Rights Watch"]
    # The form offers every actor and keeps the ones chosen, by name and code.
    assert body.count('<option value="') >= len(world.states) + 2
    assert 'value="European Union (EU)"' in body.split("<datalist")[0]


def test_compare_name_shared_by_two_actors_names_neither(client, world):
    ActorFactory(code="TWA", name="Twin")
    ActorFactory(code="TWB", name="Twin")
    response = client.get(compare_url(world, "Twin,S05"))
    assert response.status_code == 400
    assert "Unknown actor code(s) or name(s): Twin" in response.content.decode()


def test_compare_without_actors_shows_the_form(client, world):
    response = client.get(compare_url(world, None))
    assert response.status_code == 200
    assert 'data-testid="compare-form"' in response.content.decode()


# The compare page: treaty, codes, matrix (parameters, rows, columns, cells), chapters,
# every actor by name for the form's picker, and what each wants (position notes).
COMPARE_PAGE_QUERIES = 9


def test_compare_query_budget(client, django_assert_max_num_queries):
    world = build_world(states=60, provisions=12, slug="big")
    with django_assert_max_num_queries(COMPARE_PAGE_QUERIES):
        response = client.get(compare_url(world, "S05,S06,S07,EU"))
    assert response.status_code == 200


def unmark(html):
    return html.replace("<mark>", "").replace("</mark>", "")


def search(client, **params):
    return client.get(reverse("search"), params)


def test_search_finds_statements_and_provision_texts_with_highlights(client, world):
    response = search(client, q="measures")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="search-results"' in body
    provisions = body.split('data-testid="search-provisions"')[1]
    assert "<mark>measures</mark>" in provisions
    assert "Provision 0" in provisions

    body = search(client, q="S05 in Session").content.decode()
    statements = body.split('data-testid="search-statements"')[1]
    assert "<mark>S05</mark>" in statements
    assert "State S05 in Session 1" in unmark(statements)
    assert "State S06" not in unmark(statements)


def test_search_facets_filter_by_actor_session_and_kind(client, world):
    body = search(client, q="Session", treaty=world.treaty.slug).content.decode()
    facets = body.split('data-testid="search-facets"')[1].split("</aside>")[0]
    assert "State S05" in facets and "Session 2" in facets
    body = search(
        client, q="Session", treaty=world.treaty.slug, session=1, actor="S05"
    ).content.decode()
    statements = unmark(body.split('data-testid="search-statements"')[1])
    assert "State S05 in Session 1" in statements
    assert "State S05 in Session 2" not in statements
    assert "State S06" not in statements
    body = unmark(search(client, q="EU", kind="joint").content.decode())
    assert "EU and its member states" in body


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "x", "treaty": "nope"}, "treaty"),
        ({"q": "x", "session": "1"}, "Give a treaty"),
        ({"q": "x", "treaty": "un-test", "session": "one"}, "session"),
        ({"q": "x", "actor": "ZZZ"}, "actor"),
        ({"q": "x", "kind": "shout"}, "kind"),
        ({"q": "a\x00b"}, "NUL"),
    ],
)
def test_search_bad_parameters_are_400(client, world, params, message):
    response = search(client, **params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_empty_search_shows_the_form_only(client, world):
    response = search(client)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="search-form"' in body
    assert 'data-testid="search-results"' not in body


# The search page: the treaty facet's lookup, statements, provisions, facets, and the
# actors named (an article number or a year adds its lookups).
SEARCH_PAGE_QUERIES = 10


def test_search_query_budget(client, django_assert_max_num_queries):
    build_world(states=60, provisions=12, slug="big")
    with django_assert_max_num_queries(SEARCH_PAGE_QUERIES):
        response = client.get(reverse("search"), {"q": "measures", "treaty": "big"})
    assert response.status_code == 200
    # No statement matches both words: two more, for a word that names an actor.
    with django_assert_max_num_queries(14):
        response = client.get(reverse("search"), {"q": "Article 3", "treaty": "big"})
    assert response.status_code == 200
    assert 'data-testid="search-numbered"' in response.content.decode()
    with django_assert_max_num_queries(11):
        response = client.get(reverse("search"), {"q": "2022", "treaty": "big"})
    assert 'data-testid="search-sessions"' in response.content.decode()


def entries(response):
    feed = ET.fromstring(response.content)
    return [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]


def test_statement_feeds_everything_per_actor_and_per_provision(client, world):
    StatementFactory(
        session=world.sessions[1],
        actor=world.ngo,
        title="Unpublished",
        status="draft",
        source_url="",
    )
    response = client.get(reverse("feed-statements"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    titles = entries(response)
    assert "Rights Watch: NGO view" in titles
    assert not any("Unpublished" in t for t in titles)

    titles = entries(
        client.get(reverse("feed-actor-statements", kwargs={"code": "EU"}))
    )
    assert titles == ["European Union: EU and its member states"]

    provision = world.provisions[0]
    titles = entries(
        client.get(
            reverse(
                "feed-provision-statements",
                kwargs={"treaty": world.treaty.slug, "slug": provision.slug},
            )
        )
    )
    assert "Rights Watch: NGO view" in titles
    titles = entries(
        client.get(
            reverse(
                "feed-provision-statements",
                kwargs={"treaty": world.treaty.slug, "slug": world.provisions[1].slug},
            )
        )
    )
    assert "Rights Watch: NGO view" not in titles
    assert (
        client.get(
            reverse("feed-actor-statements", kwargs={"code": "NOPE"})
        ).status_code
        == 404
    )


def test_compare_takes_the_beginning_of_a_name_and_keeps_the_form_on_a_refusal(
    client, world
):
    ActorFactory(code="USX", name="United States of Example")
    ActorFactory(code="UKX", name="United Kingdom of Example")
    url = reverse("treaty-compare", kwargs={"treaty": world.treaty.slug})
    response = client.get(url, {"actors": ["United States", "S05"]})
    assert response.status_code == 200
    assert "United States of Example" in response.content.decode()
    # "United" begins two names: it names neither, and the form keeps what was typed.
    response = client.get(url, {"actors": ["United", "S05"]})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="compare-error"' in body and "United" in body
    assert 'data-testid="compare-form"' in body and 'value="United"' in body


def test_a_word_that_names_an_actor_is_offered_as_that_actors_statements(client, world):
    from states.models import ActorAlias

    ruritania = ActorFactory(code="RUR", name="Kingdom of Ruritania")
    ActorAlias.objects.create(actor=ruritania, alias="Ruri")
    StatementFactory(
        actor=ruritania,
        session=world.sessions[0],
        status="published",
        title="On safeguards",
        text="Encryption keeps journalists safe.",
    )
    body = search(client, q="ruri encryption").content.decode()
    offer = re.search(r'data-testid="search-by-actor">(.*?)</span>', body, re.S)
    assert offer, "no statement says 'ruri': the alias is read as the actor"
    assert "1 statement of Kingdom of Ruritania match “encryption”" in offer[1]
    href = re.search(r'href="([^"]+)"', offer[1])[1].replace("&amp;", "&")
    assert "actor=RUR" in href and "q=encryption" in href
    body = client.get(reverse("search") + href).content.decode()
    assert "Encryption keeps journalists safe." in unmark(body)
    # Nothing offered when the other words match none of the actor's statements.
    body = search(client, q="RUR disinformation").content.decode()
    assert 'data-testid="search-by-actor"' not in body
