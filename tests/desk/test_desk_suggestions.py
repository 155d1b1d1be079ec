"""The form's type-ahead: actors read "Japan (JPN)" and are found by alias too;
provisions are found by their label however an editor writes it ("Art 14",
"Art. 14(3)", "Article 14", "14"). Chromium lists a datalist option only when its
value or label contains what is in the box, so every suggestion must."""

import pytest
from django.urls import reverse

from provisions.models import Provision
from states.models import ActorAlias, Statement
from tests.desk.desk_world import desk_world, entry_data
from tests.factories import ActorFactory, ProvisionFactory, ProvisionTextFactory

pytestmark = pytest.mark.django_db


def _shown_by_chromium(option, typed):
    """Whether Chromium lists the option for `typed` (its value is an actor's code,
    a provision's label or slug)."""
    value = option.get("value", option.get("code"))
    typed = typed.casefold()
    return typed in value.casefold() or typed in option["label"].casefold()


@pytest.fixture
def world():
    session, provisions, speaker, others = desk_world()
    ActorAlias.objects.create(actor=speaker, alias="Nippon")
    ActorFactory(code="JAM", name="Jamaica")
    article = provisions["Article 14"]
    paragraph = ProvisionFactory(
        treaty=session.treaty,
        kind=Provision.Kind.PARAGRAPH,
        parent=article,
        title="Illegal access, paragraph 3",
    )
    draft = article.texts.get().draft
    ProvisionTextFactory(provision=paragraph, draft=draft, label="14(3)")
    return session, provisions, paragraph, speaker, others


def _actors(client, q):
    response = client.get(reverse("desk:actor-suggestions"), {"q": q})
    assert response.status_code == 200
    return response.json()["actors"]


def test_actors_read_as_name_and_code_and_are_found_by_code_name_or_alias(
    client, editor, world
):
    client.force_login(editor)
    (japan,) = _actors(client, "JPN")
    assert (japan["code"], japan["label"]) == ("JPN", "Japan (JPN)")
    assert [a["label"] for a in _actors(client, "ja")] == [
        "Jamaica (JAM)",
        "Japan (JPN)",
    ]
    assert [a["code"] for a in _actors(client, "jp")] == ["JPN"]  # a code begun
    (by_alias,) = _actors(client, "nipp")
    assert by_alias["code"] == "JPN"
    assert by_alias["label"] == "Japan (JPN), also “Nippon”"
    for typed in ("JPN", "jp", "Japan", "apa", "nipp", "Nippon"):
        found = _actors(client, typed)
        assert found and all(_shown_by_chromium(a, typed) for a in found), typed
    assert _actors(client, "   ") == []


def test_actor_labels_are_escaped_by_the_page_not_the_json(client, editor, world):
    ActorFactory(code="XSS", name="<b>Bold</b> state")
    client.force_login(editor)
    response = client.get(reverse("desk:actor-suggestions"), {"q": "bold"})
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["actors"][0]["label"] == "<b>Bold</b> state (XSS)"


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("14", "Illegal access"),
        ("Art 14", "Illegal access"),
        ("Article 14", "Illegal access"),
        ("art. 14", "Illegal access"),
        ("Art. 14(3)", "Illegal access, paragraph 3"),
        ("Article 14 (3)", "Illegal access, paragraph 3"),
        ("14(3)", "Illegal access, paragraph 3"),
        ("Art 64", "Signature"),
        ("64", "Signature"),
    ],
)
def test_provisions_are_suggested_by_their_label_however_it_is_written(
    client, editor, world, typed, meant
):
    session = world[0]
    client.force_login(editor)
    response = client.get(
        reverse("desk:provision-suggestions"), {"q": typed, "session": session.pk}
    )
    found = response.json()["provisions"]
    assert found, typed
    assert meant in found[0]["label"]
    assert all(_shown_by_chromium(option, typed) for option in found)


def test_a_label_written_otherwise_says_what_it_matched(client, editor, world):
    session = world[0]
    client.force_login(editor)
    url = reverse("desk:provision-suggestions")
    first = client.get(url, {"q": "Art 14", "session": session.pk}).json()
    assert first["provisions"][0] == {
        "value": "Article 14",
        "label": "Article 14 · Illegal access (matches “Art 14”)",
    }
    # Typed as printed, nothing is added.
    same = client.get(url, {"q": "Article 14", "session": session.pk}).json()
    assert same["provisions"][0]["label"] == "Article 14 · Illegal access"


def test_the_form_saves_positions_named_by_any_of_those_labels(client, editor, world):
    session, provisions, paragraph, speaker, others = world
    client.force_login(editor)
    rows = [
        ("Art 14", "support", "", ""),
        ("Art. 14(3)", "oppose", "delete paragraph 3", ""),
        ("Article 17", "support", "", ""),
        ("5", "oppose", "", ""),
    ]
    response = client.post(
        reverse("desk:statement-new"), entry_data(session, speaker, others, rows=rows)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = {p.provision_id: p.stance for p in Statement.objects.get().positions.all()}
    assert saved == {
        provisions["Article 14"].pk: "support",
        paragraph.pk: "oppose",
        provisions["Article 17"].pk: "support",
        provisions["Article 5"].pk: "oppose",
    }
