"""Public text says only what a reader should read: a provision's text only where it
is the draft's own, the diff only between two texts on record, editors' notes never."""

import re

import pytest
from django.urls import reverse

from demo import data
from tests.api_helpers import api
from tests.factories import (
    DraftFactory,
    PositionFactory,
    ProvisionFactory,
    ProvisionTextFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

# What the research notes say to themselves; never public text.
REMARKS = re.compile(
    r"notes §|research notes|the notes|excerpt|cut off|not the treaty text|"
    r"summary from|\[[PUV]\]|partly verified|unverified",
    re.IGNORECASE,
)


def page(provision, **params):
    url = reverse(
        "provision-detail",
        kwargs={"treaty": provision.treaty.slug, "slug": provision.slug},
    )
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()))


@pytest.fixture
def provision():
    """Known in three drafts; its text is on record in two of them."""
    provision = ProvisionFactory(slug="human-rights", title="Respect for human rights")
    treaty = provision.treaty
    SessionFactory(treaty=treaty, number=1, status="closed")
    drafts = [
        DraftFactory(treaty=treaty, slug="zero", title="Zero draft", symbol="A/AC.1"),
        DraftFactory(treaty=treaty, slug="revised", title="Revised draft", symbol=""),
        DraftFactory(treaty=treaty, slug="final", title="Final text", symbol="A/R/1"),
    ]
    for day, draft in enumerate(drafts, start=1):
        draft.published_on = draft.published_on.replace(day=day)
        draft.save()
    ProvisionTextFactory(
        provision=provision, draft=drafts[0], label="Article 5", text="Parties shall."
    )
    ProvisionTextFactory(provision=provision, draft=drafts[1], label="Art. 5", text="")
    ProvisionTextFactory(
        provision=provision, draft=drafts[2], label="Article 6", text="Parties may."
    )
    provision.drafts = drafts
    return provision


def test_a_text_not_on_record_says_so_and_gives_the_drafts_symbol(client, provision):
    ProvisionTextFactory(
        provision=ProvisionFactory(treaty=provision.treaty, slug="other"),
        draft=provision.drafts[0],
        label="Article 9",
        text="",
    )
    body = client.get(
        page(provision.treaty.provisions.get(slug="other"))
    ).content.decode()
    assert 'data-testid="text-not-on-record"' in body
    assert "not on record" in body and "A/AC.1" in body
    assert "Article 9" in body  # the label is still shown


def test_the_diff_is_only_between_texts_on_record(client, provision):
    body = client.get(page(provision)).content.decode()
    assert body.count('data-testid="text-not-on-record"') == 1
    diff = re.search(r'data-testid="diff">(.*?)</div>', body, re.S).group(1)
    assert "<del>shall" in diff
    assert "<ins>may" in diff
    form = re.search(r'data-testid="diff-form".*?</form>', body, re.S).group(0)
    assert "Revised draft" not in form  # no text on record: not offered
    revised = provision.drafts[1].pk
    response = client.get(page(provision, **{"from": revised}))
    assert response.status_code == 400
    assert "not on record" in response.content.decode()


def test_no_diff_when_fewer_than_two_texts_are_on_record(client, provision):
    provision.texts.filter(label="Article 6").update(text="  ")
    body = client.get(page(provision)).content.decode()
    assert 'data-testid="diff"' not in body
    assert body.count('data-testid="text-not-on-record"') == 2
    response = client.get(page(provision, to=provision.drafts[0].pk))
    assert response.status_code == 400
    assert "fewer than two drafts whose text is on record" in response.content.decode()


def test_a_positions_note_is_never_public(client, anon, editor_client, provision):
    session = provision.treaty.sessions.get()
    position = PositionFactory(
        statement__session=session,
        provision=provision,
        quote="We insist on safeguards.",
        note="Editors only: the quote is the notes' summary.",
    )
    body = client.get(page(provision)).content.decode()
    assert "We insist on safeguards." in body
    assert "Editors only" not in body
    public = anon.get(api("position-detail", pk=position.pk)).json()
    assert "note" not in public and public["quote"] == "We insist on safeguards."
    listed = anon.get(api("position-list"), {"format": "csv"}).content.decode()
    assert "Editors only" not in listed
    editors = editor_client.get(api("position-detail", pk=position.pk)).json()
    assert editors["note"] == "Editors only: the quote is the notes' summary."


def _statement_rows():
    return data.rows("statements.csv") + data.rows("statements-draft.csv")


def test_demo_texts_are_only_labels_and_headings():
    texts = data.rows("provision_texts.csv")
    assert len(texts) == 28
    # None of the sources quotes an article in full.
    assert [t for t in texts if t["text"]] == []
    assert all(t["label"] for t in texts)


def test_demo_public_fields_hold_no_research_remarks():
    (treaty,) = data.rows("treaty.csv")
    public = [treaty["title"], treaty["description"]]
    public += [d["title"] for d in data.rows("drafts.csv")]
    public += [s["title"] for s in data.rows("sessions.csv")]
    for provision in data.rows("provisions.csv"):
        public += [provision["title"], provision["proposition"]]
    public += [f"{t['label']} {t['heading']}" for t in data.rows("provision_texts.csv")]
    for row in _statement_rows():
        public += [row["title"], row["text"], row["quote"], row["wants"]]
    found = [text for text in public if REMARKS.search(text)]
    assert found == []
    # …while the editors' notes keep them.
    notes = [row["statement_note"] + row["note"] for row in _statement_rows()]
    assert any("cut off" in note for note in notes)
