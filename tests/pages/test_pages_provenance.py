"""Readers see what editors record (issue 11 item 6): verification and source kind
beside every quote, `wants` wherever a stance is shown, supporters and `also_for`
named as such — on the actor, session, provision and compare pages and their JSON."""

import html
import re

import pytest
from django.urls import reverse

from states import services as state_services
from tests.factories import (
    ActorFactory,
    PositionFactory,
    ProvisionFactory,
    SessionFactory,
    StatementFactory,
    StatementSourceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    session = SessionFactory(number=1, treaty__slug="prov-con")
    japan = ActorFactory(code="JPN", name="Japan")
    chile = ActorFactory(code="CHL", name="Chile")
    norway = ActorFactory(code="NOR", name="Norway")
    provision = ProvisionFactory(
        treaty=session.treaty, slug="scope", title="Scope of the convention"
    )
    statement = StatementFactory(
        session=session,
        actor=japan,
        title="Japan on scope",
        verification="partly_verified",
        source_url="https://example.org/japan",
        document_symbol="A/AC.291/CRP.13",
        also_for="and several other delegations",
    )
    StatementSourceFactory(
        statement=statement, url="https://news.example/japan", kind="news", order=1
    )
    StatementSourceFactory(
        statement=statement,
        url="https://mofa.example/japan",
        kind="actor_statement",
        order=2,
    )
    statement.supporters.add(chile)
    statement.co_signers.add(norway)
    PositionFactory(
        statement=statement,
        provision=provision,
        stance="support_with_changes",
        wants="delete 'without right'",
        quote="Narrow the scope.",
    )
    state_services.matrix_rebuild(treaty_id=session.treaty.pk)
    return {"session": session, "provision": provision, "statement": statement}


def text_of(response):
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def plain(fragment):
    return " ".join(re.sub(r"<[^>]+>", "", fragment).split())


def test_actor_page_names_supporters_and_co_signers_as_such(client, world):
    chile = text_of(client.get(reverse("actor-detail", kwargs={"code": "CHL"})))
    positions = chile.split('data-testid="actor-positions"')[1].split("</table>")[0]
    assert "as a supporter of Japan’s statement" in positions
    assert "own statement" not in positions
    assert "Wants: delete 'without right'" in positions
    assert "Partly verified" in positions
    statements = chile.split('data-testid="actor-statements"')[1].split("</ol>")[0]
    assert "as a supporter of Japan’s statement" in statements
    assert "Official record:" in statements and "News:" in statements
    assert "A/AC.291/CRP.13" in statements
    assert "Japan’s own statement:" in statements
    assert "actor's own statement" not in chile
    norway = text_of(client.get(reverse("actor-detail", kwargs={"code": "NOR"})))
    assert "as a co-signer of Japan’s statement" in norway
    japan = text_of(client.get(reverse("actor-detail", kwargs={"code": "JPN"})))
    assert "its own statement" in japan
    twin = client.get(
        reverse("actor-detail", kwargs={"code": "CHL"}), {"format": "json"}
    )
    data = twin.json()
    assert data["statements"][0]["role"] == "supporter"
    assert data["statements"][0]["supporters"] == ["CHL"]
    assert data["statements"][0]["also_for"] == "and several other delegations"
    assert [s["kind"] for s in data["statements"][0]["sources"]] == [
        "official_record",
        "news",
        "actor_statement",
    ]
    (cell,) = data["cells"]
    assert cell["wants"] == "delete 'without right'"
    assert (cell["role"], cell["speaker"]) == ("supporter", "JPN")
    assert cell["verification"] == "partly_verified"


def test_session_page_shows_supporters_sources_verification_and_wants(client, world):
    body = text_of(client.get(world["session"].get_absolute_url()))
    entry = body.split(f'id="statement-{world["statement"].pk}"')[1].split("</li>\n")[0]
    assert "Supported by Chile and several other delegations" in plain(entry)
    assert "Japan with Norway" in plain(entry)
    assert "wants: delete 'without right'" in entry
    assert "Partly verified" in entry
    assert "Official record:" in entry and "News:" in entry
    twin = client.get(world["session"].get_absolute_url(), {"format": "json"}).json()
    (statement,) = twin["statements"]
    assert statement["verification"] == "partly_verified"
    assert statement["supporters"] == ["CHL"]
    assert statement["positions"][0]["wants"] == "delete 'without right'"


def test_provision_quotes_show_source_kinds_and_supporters(client, world):
    body = text_of(client.get(world["provision"].get_absolute_url()))
    quotes = body.split('data-testid="quotes"')[1]
    assert "Supported by Chile and several other delegations" in plain(quotes)
    # A joint statement's co-signers are named with its speaker, as on the session
    # page: the position is theirs too, not only the supporters'.
    assert "Japan with Norway" in plain(quotes)
    assert "Official record:" in quotes and "News:" in quotes
    twin = client.get(world["provision"].get_absolute_url(), {"format": "json"})
    (position,) = twin.json()["positions"]
    assert position["wants"] == "delete 'without right'"
    assert position["co_signers"] == ["NOR"]
    assert [s["kind"] for s in position["sources"]] == [
        "official_record",
        "news",
        "actor_statement",
    ]


def test_compare_shows_what_each_wants(client, world):
    url = reverse("treaty-compare", kwargs={"treaty": "prov-con"})
    body = text_of(client.get(url, {"actors": "JPN,CHL"}))
    table = body.split('data-testid="compare-table"')[1].split("</table>")[0]
    assert table.count("Wants: delete 'without right'") == 2  # speaker and supporter
    twin = client.get(url, {"actors": "JPN,CHL", "format": "json"}).json()
    assert {c["actor"]: c["wants"] for c in twin["cells"]} == {
        "JPN": "delete 'without right'",
        "CHL": "delete 'without right'",
    }


def test_no_template_has_a_multi_line_short_comment():
    """Django's {# #} ends at the line: a longer one is printed on the page."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    printed = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if re.search(r"\{#(?:(?!#\}).)*\n", path.read_text(), re.S)
    ]
    assert printed == []


def _source_links(fragment):
    """[(href, link text)] of the source links in a piece of a page."""
    return [
        (html.unescape(href), html.unescape(plain(text)))
        for href, text in re.findall(
            r'<a href="([^"]+)" rel="[^"]*" data-testid="source">(.*?)</a>', fragment
        )
    ]


def test_source_links_read_as_their_address_with_the_document_symbol_after(
    client, world
):
    """A link's text is where it goes (shortened); the symbol is beside it, never
    in its place (it hid where the link went)."""
    expected = [
        ("https://example.org/japan", "example.org/japan"),
        ("https://news.example/japan", "news.example/japan"),
        ("https://mofa.example/japan", "mofa.example/japan"),
    ]
    pages = {
        "session": world["session"].get_absolute_url(),
        "provision": world["provision"].get_absolute_url(),
        "actor": reverse("actor-detail", kwargs={"code": "JPN"}),
    }
    for name, url in pages.items():
        body = client.get(url).content.decode()
        assert _source_links(body) == expected, name
        entry = plain(body.split('data-testid="provenance"')[1].split("</p>")[0])
        assert (
            "Official record: example.org/japan · Document A/AC.291/CRP.13 · "
            "News: news.example/japan · Japan’s own statement: mofa.example/japan"
        ) in html.unescape(entry), name


def test_a_long_address_is_shortened_in_the_link_and_whole_in_its_href(client, world):
    statement = world["statement"]
    long_url = "https://www.un.org/" + "/".join(["part"] * 60) + "/A_AC.291_CRP.13.pdf"
    statement.sources.filter(order=1).update(url=long_url)
    statement.document_symbol = "<b>A/AC.291/CRP.13</b>"
    statement.save(update_fields=["document_symbol"])
    body = client.get(world["session"].get_absolute_url()).content.decode()
    assert (long_url, "un.org/…/A_AC.291_CRP.13.pdf") in _source_links(body)
    assert "<b>A/AC.291/CRP.13</b>" not in body  # escaped
    assert "· Document &lt;b&gt;A/AC.291/CRP.13&lt;/b&gt;" in body


def test_a_statement_with_only_a_source_url_links_it_by_its_address(client, world):
    statement = world["statement"]
    statement.sources.all().delete()
    body = client.get(world["session"].get_absolute_url()).content.decode()
    assert _source_links(body) == [("https://example.org/japan", "example.org/japan")]
    entry = plain(body.split('data-testid="provenance"')[1].split("</p>")[0])
    assert "Source: example.org/japan · Document A/AC.291/CRP.13" in entry


@pytest.mark.parametrize(
    "url, shown",
    [
        ("https://www.un.org/en/A_AC.291_3.pdf", "un.org/en/A_AC.291_3.pdf"),
        ("http://example.org/report/", "example.org/report"),
        (
            "https://documents.un.org/doc/undoc/gen/v24/055/06/pdf/v2405506.pdf"
            "?OpenElement",
            "documents.un.org/…/v2405506.pdf?OpenElement",
        ),
        (
            "https://documents-dds-ny.un.org/doc/UNDOC/GEN/N24/123/45/PDF/"
            "N2412345.pdf?OpenElement",
            "documents-dds-ny.un.org/…/N2412345.pdf?OpenElem…",
        ),
        ("https://example.org/" + "s" * 250, "example.org/" + "s" * 35 + "…"),
    ],
)
def test_source_address_keeps_the_host_and_the_document(url, shown):
    from pages.templatetags.site_tags import SOURCE_ADDRESS_MAX, source_address

    assert source_address(url) == shown
    assert len(shown) <= SOURCE_ADDRESS_MAX
