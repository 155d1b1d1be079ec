"""The statement form, the review queue and change proposals on the desk."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from provisions.models import Provision
from states import proposals
from states.models import ChangeProposal, Position, Statement
from tests.desk.desk_world import SOURCE, desk_world, entry_data
from tests.factories import (
    ActorFactory,
    DraftFactory,
    GroupFactory,
    PositionFactory,
    ProvisionFactory,
    ProvisionTextFactory,
    SessionFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return desk_world()


def test_one_submit_saves_a_draft_with_its_actors_sources_and_positions(
    client, editor, world
):
    session, provisions, speaker, others = world
    client.force_login(editor)
    response = client.post(
        reverse("desk:statement-new"), entry_data(session, speaker, others)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    statement = Statement.objects.get()
    assert statement.status == "draft" and statement.created_by == editor
    assert sorted(statement.co_signers.values_list("code", flat=True)) == [
        "AUS",
        "CAN",
        "NZL",
    ]
    assert sorted(statement.supporters.values_list("code", flat=True)) == [
        "CHE",
        "GBR",
        "NOR",
    ]
    assert statement.source_url == SOURCE
    assert statement.sources.count() == 2
    assert statement.verification == "partly_verified"
    assert statement.also_for == "and several other delegations"
    positions = {p.provision.title: p for p in statement.positions.all()}
    assert len(positions) == 5
    assert positions["Illegal access"].wants == "delete 'without right'"
    paragraph = Provision.objects.get(kind="paragraph")
    assert paragraph.parent == provisions["Article 14"]
    assert positions[paragraph.title].stance == "oppose"
    # Its label as typed is kept for the draft under discussion (no text on record),
    # so the next statement's grid finds "14(3)" without creating it again.
    (printed,) = paragraph.texts.all()
    assert printed.label == "14(3)" and not printed.on_record
    assert printed.draft == provisions["Article 14"].texts.get().draft
    from desk import selectors

    assert (
        selectors.provision_index(session.treaty).provision("Art. 14(3)") == paragraph
    )


def test_a_refused_row_saves_nothing_and_keeps_what_was_typed(client, editor, world):
    session, _, speaker, others = world
    client.force_login(editor)
    rows = [("Article 99", "support", "", ""), ("14", "support", "", "")]
    response = client.post(
        reverse("desk:statement-new"),
        entry_data(session, speaker, others, rows=rows),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "No provision is labelled “Article 99”" in body
    assert 'value="Joint statement on criminalization"' in body
    assert SOURCE in body
    assert not Statement.objects.exists() and not Position.objects.exists()


def test_a_date_outside_the_session_names_its_dates(client, editor, world):
    session, _, speaker, others = world
    client.force_login(editor)
    late = session.end_date.replace(year=session.end_date.year + 1).isoformat()
    response = client.post(
        reverse("desk:statement-new"),
        entry_data(session, speaker, others, date=late),
    )
    assert response.status_code == 200
    assert f"{session.start_date:%-d %B %Y}" in response.content.decode()
    assert not Statement.objects.exists()


def test_an_over_long_title_is_refused_never_cut(client, editor, world):
    session, _, speaker, others = world
    client.force_login(editor)
    response = client.post(
        reverse("desk:statement-new"),
        entry_data(session, speaker, others, title="x" * 301),
    )
    assert response.status_code == 200
    assert "at most 300 characters" in response.content.decode()
    assert not Statement.objects.exists()


def test_a_likely_duplicate_is_warned_of_then_saved_when_confirmed(
    client, editor, world
):
    session, _, speaker, others = world
    StatementFactory(session=session, actor=speaker, source_url=SOURCE)
    client.force_login(editor)
    data = entry_data(session, speaker, others)
    response = client.post(reverse("desk:statement-new"), data)
    assert response.status_code == 200
    assert "Likely a duplicate" in response.content.decode()
    assert Statement.objects.count() == 1
    data["confirm_duplicate"] = "on"
    assert client.post(reverse("desk:statement-new"), data).status_code == 302
    assert Statement.objects.count() == 2


def test_clone_keeps_session_sources_and_positions(client, editor, world):
    session, _, speaker, others = world
    client.force_login(editor)
    client.post(reverse("desk:statement-new"), entry_data(session, speaker, others))
    statement = Statement.objects.get()
    page = client.get(reverse("desk:statement-new") + f"?clone={statement.pk}")
    body = page.content.decode()
    assert SOURCE in body
    assert 'value="Illegal access"' in body
    assert f'<option value="{session.pk}" selected' in body


def test_actor_suggestions_need_sign_in_and_match_names(client, editor, world):
    url = reverse("desk:actor-suggestions")
    assert client.get(url, {"q": "jap"}).status_code == 302
    client.force_login(editor)
    assert client.get(url, {"q": "jap"}).json()["actors"][0]["code"] == "JPN"


def test_the_form_has_no_inline_script_or_style(client, editor, world):
    client.force_login(editor)
    body = client.get(reverse("desk:statement-new")).content.decode()
    assert "<script>" not in body.replace('<script id="session-dates-data"', "")
    assert "style=" not in body
    assert 'type="application/json"' in body


def test_reviewer_publishes_a_draft_with_its_positions_in_one_step(
    client, editor, reviewer, world
):
    session, _, speaker, others = world
    client.force_login(editor)
    client.post(reverse("desk:statement-new"), entry_data(session, speaker, others))
    statement = Statement.objects.get()
    assert client.get(reverse("desk:review")).status_code == 403
    client.force_login(reviewer)
    queue = client.get(reverse("desk:review")).content.decode()
    assert "Partly verified" in queue and "edith" in queue
    client.post(reverse("desk:review-publish", args=[statement.pk]))
    statement.refresh_from_db()
    assert statement.status == "published"
    assert set(statement.positions.values_list("status", flat=True)) == {"published"}


def test_a_draft_sent_back_shows_the_comment_to_its_editor(client, editor, reviewer):
    statement = StatementFactory(status="draft", created_by=editor)
    client.force_login(reviewer)
    client.post(
        reverse("desk:review-send-back", args=[statement.pk]),
        {"comment": "Add the UN summary as a source"},
    )
    client.force_login(editor)
    assert (
        "Add the UN summary as a source"
        in client.get(reverse("desk:home")).content.decode()
    )


def test_an_editors_desk_edit_of_a_published_statement_is_a_proposal(
    client, editor, reviewer
):
    statement = StatementFactory(status="published", title="Old title")
    client.force_login(editor)
    client.post(
        reverse("desk:statement-propose", args=[statement.pk]),
        {"title": "New title", "text": statement.text, "verification": "verified"},
    )
    statement.refresh_from_db()
    assert statement.title == "Old title"
    proposal = ChangeProposal.objects.get()
    client.force_login(reviewer)
    queue = client.get(reverse("desk:review")).content.decode()
    assert "<del>Old title</del>" in queue and "<ins>New title</ins>" in queue
    client.post(
        reverse("desk:proposal-decide", args=[proposal.pk]), {"decision": "accept"}
    )
    statement.refresh_from_db()
    assert statement.title == "New title" and statement.updated_by == reviewer


def test_the_review_queue_reads_drafts_in_fixed_queries_proposals_in_a_few_each(
    client, editor, reviewer, django_assert_max_num_queries
):
    for index in range(30):
        statement = StatementFactory(
            status="draft", created_by=editor, title=f"Draft {index}"
        )
        PositionFactory(statement=statement, status="draft")
    published = StatementFactory(status="published")
    for index in range(5):
        proposals.change_propose(
            user=editor, record=published, title=f"Proposed {index}"
        )
    client.force_login(reviewer)
    # Session, user, permissions, drafts with their sources, proposals, and per
    # proposal its record and the names its diff shows (5 proposals).
    with django_assert_max_num_queries(45):
        response = client.get(reverse("desk:review"))
    body = response.content.decode()
    assert body.count("Publish with its positions") == 30
    assert "<ins>Proposed 4</ins>" in body


def test_the_statement_form_reads_a_fixed_number_of_queries(
    client, editor, django_assert_max_num_queries
):
    desk_world()
    SessionFactory.create_batch(20)
    GroupFactory.create_batch(5)
    client.force_login(editor)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("desk:statement-new")).status_code == 200


def test_the_statement_page_title_holds_only_the_statement_title(client, editor):
    statement = StatementFactory(status="draft", created_by=editor, title="A & B")
    client.force_login(editor)
    body = client.get(reverse("desk:statement", args=[statement.pk])).content.decode()
    title = body.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title.startswith("A &amp; B · Desk") and "<" not in title


def test_an_editor_proposes_a_change_of_a_published_position_from_the_desk(
    client, editor, reviewer
):
    statement = StatementFactory(status="published", created_by=editor)
    position = PositionFactory(
        statement=statement, status="published", stance="support"
    )
    client.force_login(editor)
    page = client.get(reverse("desk:statement", args=[statement.pk])).content.decode()
    assert f'data-testid="propose-position-{position.pk}"' in page
    prefix = f"position-{position.pk}"
    response = client.post(
        reverse("desk:position-propose", args=[position.pk]),
        {f"{prefix}-stance": "oppose", f"{prefix}-wants": "delete paragraph 3"},
    )
    assert response.status_code == 302
    position.refresh_from_db()
    assert position.stance == "support"  # locked until a reviewer accepts
    proposal = ChangeProposal.objects.get(entity="position", object_id=position.pk)
    page = client.get(reverse("desk:statement", args=[statement.pk])).content.decode()
    assert "Change of the position on" in page and "Pending" in page
    client.force_login(reviewer)
    queue = client.get(reverse("desk:review")).content.decode()
    assert "<ins>delete paragraph 3</ins>" in queue
    client.post(
        reverse("desk:proposal-decide", args=[proposal.pk]), {"decision": "accept"}
    )
    position.refresh_from_db()
    assert position.stance == "oppose" and position.wants == "delete paragraph 3"


def test_a_refused_position_proposal_says_why(client, editor):
    position = PositionFactory(status="published", stance="support")
    client.force_login(editor)
    response = client.post(
        reverse("desk:position-propose", args=[position.pk]),
        {f"position-{position.pk}-stance": "maybe"},
        follow=True,
    )
    assert "The proposal was refused" in response.content.decode()
    assert not ChangeProposal.objects.filter(object_id=position.pk).exists()


def test_verification_is_the_editors_choice_not_a_default(client, editor, world):
    session, _, speaker, others = world
    client.force_login(editor)
    body = client.get(reverse("desk:statement-new")).content.decode()
    select = body.split('name="verification"', 1)[1].split("</select>", 1)[0]
    assert '<option value="" selected>Choose…</option>' in select
    assert "verified" not in select.split("</option>", 1)[0]
    data = entry_data(session, speaker, others)
    del data["verification"]
    response = client.post(reverse("desk:statement-new"), data)
    assert response.status_code == 200
    assert 'data-testid="error-verification"' in response.content.decode()
    assert not Statement.objects.exists()


def test_the_clone_keeps_the_verification_chosen(client, editor, world):
    session, _, speaker, others = world
    client.force_login(editor)
    client.post(reverse("desk:statement-new"), entry_data(session, speaker, others))
    page = client.get(
        reverse("desk:statement-new") + f"?clone={Statement.objects.get().pk}"
    ).content.decode()
    select = page.split('name="verification"', 1)[1].split("</select>", 1)[0]
    assert '<option value="partly_verified" selected>' in select


def test_save_it_even_so_is_offered_only_beside_a_duplicate_warning(
    client, editor, world
):
    session, _, speaker, others = world
    client.force_login(editor)
    assert "confirm_duplicate" not in (
        client.get(reverse("desk:statement-new")).content.decode()
    )
    refused = client.post(
        reverse("desk:statement-new"),
        entry_data(session, speaker, others, title="x" * 301),
    ).content.decode()
    assert "at most 300 characters" in refused and "confirm_duplicate" not in refused
    StatementFactory(session=session, actor=speaker, source_url=SOURCE)
    warned = client.post(
        reverse("desk:statement-new"), entry_data(session, speaker, others)
    ).content.decode()
    assert "Likely a duplicate" in warned
    assert 'name="confirm_duplicate"' in warned and "Save it even so" in warned


def renumbered_world():
    """Article 16 of the zero draft (prepared for session 2) is "Jurisdiction"; the
    revised draft (prepared for session 4) prints "Extradition" as Article 16."""
    session, provisions, speaker, others = desk_world()
    treaty = session.treaty
    sessions = {
        number: SessionFactory(treaty=treaty, number=number) for number in (1, 2, 3, 5)
    }
    sessions[4] = session
    zero = DraftFactory(treaty=treaty, title="Zero draft", session=sessions[2])
    revised = DraftFactory(treaty=treaty, title="Revised draft", session=session)
    jurisdiction = ProvisionFactory(treaty=treaty, title="Jurisdiction")
    extradition = ProvisionFactory(treaty=treaty, title="Extradition")
    ProvisionTextFactory(provision=jurisdiction, draft=zero, label="Article 16")
    ProvisionTextFactory(provision=jurisdiction, draft=revised, label="Article 15")
    ProvisionTextFactory(provision=extradition, draft=zero, label="Article 17")
    ProvisionTextFactory(provision=extradition, draft=revised, label="Article 16")
    return sessions, jurisdiction, extradition, speaker, others


@pytest.mark.parametrize(
    "number, meant",
    [(4, "Extradition"), (5, "Extradition"), (2, "Jurisdiction"), (3, "Jurisdiction")],
)
def test_a_renumbered_label_is_read_in_the_numbering_of_the_sessions_draft(
    client, editor, number, meant
):
    """The session's own draft, else the latest draft of a session at or before it."""
    sessions, _, _, speaker, others = renumbered_world()
    client.force_login(editor)
    response = client.post(
        reverse("desk:statement-new"),
        entry_data(sessions[number], speaker, others, rows=[("16", "support", "", "")]),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    (position,) = Statement.objects.get().positions.all()
    assert position.provision.title == meant


def test_a_label_still_ambiguous_names_each_candidate_with_its_draft(client, editor):
    sessions, _, _, speaker, others = renumbered_world()
    client.force_login(editor)
    response = client.post(
        reverse("desk:statement-new"),  # session 1: before either draft
        entry_data(sessions[1], speaker, others, rows=[("Art. 16", "support", "", "")]),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "“Art. 16” names different provisions in different drafts" in body
    assert "Article 16 in Zero draft is “Jurisdiction”" in body
    assert "Article 16 in Revised draft is “Extradition”" in body
    assert not Statement.objects.exists()


def test_provision_suggestions_match_label_slug_or_title_in_the_sessions_numbering(
    client, editor, django_assert_max_num_queries
):
    sessions, jurisdiction, extradition, _, _ = renumbered_world()
    url = reverse("desk:provision-suggestions")
    assert client.get(url, {"q": "16", "session": sessions[4].pk}).status_code == 302
    client.force_login(editor)
    with django_assert_max_num_queries(8):
        found = client.get(url, {"q": "16", "session": sessions[4].pk}).json()
    # Both are printed as 16 somewhere; the session's draft names Extradition so.
    assert found["provisions"][:2] == [
        {"value": "Article 16", "label": "Article 16 · Extradition"},
        {
            "value": "Article 15",
            "label": "Article 15 · Jurisdiction (Article 16 in Zero draft)",
        },
    ]
    by_title = client.get(url, {"q": "juris", "session": sessions[2].pk}).json()
    assert by_title["provisions"] == [
        {"value": "Article 16", "label": "Article 16 · Jurisdiction"}
    ]
    by_slug = client.get(url, {"q": extradition.slug, "session": sessions[4].pk})
    # A slug is in neither label nor value: the label says it matched (else
    # Chromium would hide the option; see tests/desk/test_desk_suggestions.py).
    assert by_slug.json()["provisions"][0]["label"] == (
        f"Article 16 · Extradition (matches “{extradition.slug}”)"
    )
    assert client.get(url, {"q": "16"}).json() == {"provisions": []}
    assert client.get(url, {"q": "16", "session": "x"}).status_code == 400
    assert client.get(url, {"q": "16", "session": "999999"}).status_code == 400
    assert client.get(url, {"q": "16", "session": "9" * 30}).status_code == 400


def test_the_grid_offers_provision_suggestions_as_the_speaker_box_does(
    client, editor, world
):
    client.force_login(editor)
    body = client.get(reverse("desk:statement-new")).content.decode()
    assert f'data-provisions-url="{reverse("desk:provision-suggestions")}"' in body
    assert '<datalist id="provision-suggestions">' in body
    assert body.count('list="provision-suggestions"') == 4  # 3 rows, the template's


def test_the_preview_reads_as_the_public_pages_and_saves_nothing(client, editor, world):
    session, _, speaker, others = world
    client.force_login(editor)
    data = entry_data(session, speaker, others, step="preview")
    data["sources-1-kind"] = "actor_statement"
    page = client.post(reverse("desk:statement-new"), data)
    assert page.status_code == 200 and not Statement.objects.exists()
    assert 'value="Joint statement on criminalization"' in page.content.decode()
    body = client.post(reverse("desk:statement-new") + "?partial=1", data)
    body = body.content.decode()
    assert "<form" not in body  # the preview alone, for desk.js
    by = body.split('data-testid="preview-by">', 1)[1].split("</p>", 1)[0]
    assert by.startswith("<strong>Japan</strong> with Australia, Canada, New Zealand")
    assert by.endswith(" · 29 Aug 2022 · Joint · Fourth session")
    supporters = body.split('data-testid="supporters">', 1)[1].split("</p>", 1)[0]
    assert "Norway" in supporters and "and several other delegations" in supporters
    assert "On Canada’s page: as a co-signer of Japan’s statement" in body
    assert "On Norway’s page: as a supporter of Japan’s statement" in body
    provenance = body.split('data-testid="preview-provenance">', 1)[1]
    assert "Partly verified" in provenance and "Official record:" in provenance
    assert "Japan’s own statement:" in provenance
    positions = body.split('data-testid="preview-positions">', 1)[1]
    assert "<strong>Article 14</strong> Illegal access" in positions
    assert "wants: delete &#x27;without right&#x27;" in positions
    assert "<strong>14(3)</strong>" in positions and "(new)" in positions
    assert 'class="stance stance-oppose"' in positions


def test_a_half_filled_form_previews_its_half_escaped(client, editor, world):
    session, _, _, _ = world
    client.force_login(editor)
    data = {
        **entry_data(session, ActorFactory.build(code="XXX"), [], rows=[]),
        "actor": "",
        "verification": "",
        "title": "<b>Bold</b> claim",
        "step": "preview",
    }
    body = client.post(reverse("desk:statement-new") + "?partial=1", data)
    assert body.status_code == 200
    text = body.content.decode()
    assert "The speaker" in text and "&lt;b&gt;Bold&lt;/b&gt; claim" in text
    assert "Verification not chosen" in text
    assert not Statement.objects.exists()


def test_the_preview_reads_a_fixed_number_of_queries_however_many_rows(
    client, editor, world
):
    session, _, speaker, others = world
    client.force_login(editor)
    url = reverse("desk:statement-new") + "?partial=1"
    labels = ("14", "Art. 64", "5", "17")
    counts = []
    for times in (1, 5):
        rows = [(label, "support", "", "") for label in labels] * times
        data = entry_data(session, speaker, others, rows=rows, step="preview")
        with CaptureQueriesContext(connection) as queries:
            body = client.post(url, data).content.decode()
        assert body.count('class="stance stance-support"') == 4 * times
        counts.append(len(queries))
    # Session, user, the session chosen, one per actor typed (7), the treaty's
    # provisions, their labels and its drafts — the same for 4 rows or 20.
    assert counts[0] == counts[1] <= 15, counts
