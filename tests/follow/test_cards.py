"""Share cards: a 1200×630 PNG per kind, cached per matrix build; Open Graph and
Twitter tags on every page."""

import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image

from states import services as state_services
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

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.fixture
def world():
    session = SessionFactory(number=1)
    actor = ActorFactory(code="RUS", name="Russian Federation")
    provision = ProvisionFactory(
        treaty=session.treaty, slug="disinformation", title="Disinformation offence"
    )
    PositionFactory(
        statement=StatementFactory(session=session, actor=actor),
        provision=provision,
        stance="oppose",
    )
    group = GroupFactory(slug="eastern-european", name="Eastern European States")
    MembershipFactory(group=group, actor=actor)
    state_services.matrix_rebuild(treaty_id=session.treaty.pk)
    return {"treaty": session.treaty, "provision": provision, "actor": actor}


def _png(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.size == (1200, 630)
    return image


def test_a_card_of_the_right_size_per_kind(client, world):
    slug = world["treaty"].slug
    provision = _png(
        client,
        reverse(
            "share-card-provision", kwargs={"treaty": slug, "slug": "disinformation"}
        ),
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    provision.save(SHOTS / "card-provision.png")  # for a reviewer to look at
    # The stance bar is drawn: the oppose colour is on the provision's card.
    assert (209, 86, 11) in {c for _, c in provision.getcolors(1_000_000)}
    _png(client, reverse("share-card-actor", kwargs={"code": "RUS"}))
    _png(client, reverse("share-card-group", kwargs={"slug": "eastern-european"}))
    _png(client, reverse("share-card-treaty", kwargs={"treaty": slug}))
    _png(client, reverse("share-card-site"))
    for url in (
        reverse("share-card-actor", kwargs={"code": "XXX"}),
        reverse("share-card-group", kwargs={"slug": "none"}),
        reverse("share-card-treaty", kwargs={"treaty": "none"}),
        reverse("share-card-provision", kwargs={"treaty": slug, "slug": "none"}),
    ):
        assert client.get(url).status_code == 404


def test_cards_are_cached_until_the_next_build(
    client, world, django_assert_max_num_queries
):
    url = reverse("share-card-actor", kwargs={"code": "RUS"})
    first = client.get(url).content
    with django_assert_max_num_queries(1):  # only the build stamp
        assert client.get(url).content == first
    world["actor"].name = "Renamed Federation"
    world["actor"].save()
    assert client.get(url).content == first  # same build: the cached card
    state_services.matrix_rebuild(treaty_id=world["treaty"].pk, full=True)
    assert client.get(url).content != first


def test_pages_carry_open_graph_and_twitter_tags(client, world):
    provision = client.get(world["provision"].get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Disinformation offence">' in provision
    image = re.search(r'<meta property="og:image" content="([^"]+)"', provision)[1]
    assert image == "http://testserver" + reverse(
        "share-card-provision",
        kwargs={"treaty": world["treaty"].slug, "slug": "disinformation"},
    )
    assert '<meta name="twitter:card" content="summary_large_image">' in provision
    for url in (
        reverse("home"),
        reverse("actor-detail", kwargs={"code": "RUS"}),
        reverse("treaty-detail", kwargs={"treaty": world["treaty"].slug}),
        reverse("treaty-matrix", kwargs={"treaty": world["treaty"].slug}),
        reverse("changes"),
        reverse("methodology"),
    ):
        html = client.get(url).content.decode()
        assert html.count('property="og:title"') == 1, url
        assert html.count('property="og:image"') == 1, url
        assert 'name="twitter:card"' in html, url


def test_a_long_line_is_cut_to_fit_the_card_never_over_its_edge():
    from PIL import Image, ImageDraw

    from follow import cards

    pen = ImageDraw.Draw(Image.new("RGB", (cards.WIDTH, cards.HEIGHT)))
    font = cards._font(28)
    long = "As of Post-adoption session: draft rules of procedure of the Conference"
    fitted = cards._fit(pen, long, font, 600)
    assert fitted.endswith("…") and pen.textlength(fitted, font=font) <= 600
    assert long.startswith(fitted[:-1])
    assert cards._fit(pen, "Short", font, 600) == "Short"
