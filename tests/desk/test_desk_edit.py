"""Editing a draft on the desk: the entry form filled with the draft, saved over it
through the services in one transaction, for its editor and for reviewers."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from desk import editing, entry, forms
from desk.views import _draft_initial
from provisions.models import Provision
from states import services
from states.models import Position, Revision, Statement
from tests.api_helpers import make_user
from tests.desk.desk_world import SOURCE, desk_world, entry_data
from tests.factories import ProvisionFactory

pytestmark = pytest.mark.django_db

ROWS = [
    ("14", "support", "", ""),
    ("Art. 64", "support", "", ""),
    ("Article 5", "oppose", "", ""),
]


@pytest.fixture
def world():
    return desk_world()


@pytest.fixture
def draft(client, editor, world):
    """A draft entered from the form by `editor`: two co-signers, one supporter, two
    sources, positions on Article 14, Art. 64 and Article 5."""
    session, _, speaker, others = world
    client.force_login(editor)
    chosen = [others[0], others[1], others[3]]  # AUS, CAN co-sign; NOR supports
    data = entry_data(session, speaker, chosen, rows=ROWS)
    data["others-2-role"] = "supporter"
    response = client.post(reverse("desk:statement-new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Statement.objects.get()


def as_post(initial):
    """The edit form's initial values as the browser posts them back."""
    data = {}
    for name, value in initial["form"].items():
        data[name] = "" if value is None else str(value)
    for prefix in ("others", "sources", "rows"):
        rows = initial.get(prefix) or []
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(len(rows)),
                f"{prefix}-INITIAL_FORMS": str(len(rows)),
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for index, row in enumerate(rows):
            for name, value in row.items():
                data[f"{prefix}-{index}-{name}"] = "" if value is None else value
    return data


def edit_data(statement, **overrides):
    return {**as_post(_draft_initial(statement)), **overrides}


def add_row(data, provision, stance, wants="", create_as=""):
    index = int(data["rows-TOTAL_FORMS"])
    data.update(
        {
            f"rows-{index}-provision": provision,
            f"rows-{index}-stance": stance,
            f"rows-{index}-wants": wants,
            f"rows-{index}-quote": "",
            f"rows-{index}-note": "",
            f"rows-{index}-create_as": create_as,
            f"rows-{index}-new_title": "",
            "rows-TOTAL_FORMS": str(index + 1),
        }
    )
    return data


def row_index(data, label):
    return next(
        int(key.split("-")[1])
        for key, value in data.items()
        if key.endswith("-provision") and key.startswith("rows-") and value == label
    )


def stances(statement):
    return {p.provision.title: p.stance for p in statement.positions.all()}


def edit_url(statement):
    return reverse("desk:statement-edit", args=[statement.pk])


def test_the_edit_form_is_filled_with_the_whole_draft(client, editor, draft):
    body = client.get(edit_url(draft)).content.decode()
    assert "Edit draft: Joint statement on criminalization" in body
    for shown in (
        'value="JPN"',
        'value="AUS"',
        'value="CAN"',
        'value="NOR"',
        SOURCE,
        'value="and several other delegations"',
        "We support a narrow scope.",
        # Each provision named as the grid reads it back, in the session's numbering.
        'value="Article 14"',
        'value="Art. 64"',
        'value="Article 5"',
        ">Remove</label>",  # each row of the draft has its Remove box
        '-DELETE"',
        "Save changes",
    ):
        assert shown in body, shown
    select = body.split('name="verification"', 1)[1].split("</select>", 1)[0]
    assert '<option value="partly_verified" selected>' in select
    assert "confirm_duplicate" not in body


def test_saving_the_form_unchanged_changes_nothing(client, editor, draft):
    revisions_before = Revision.objects.count()
    response = client.post(edit_url(draft), edit_data(draft))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Revision.objects.count() == revisions_before
    assert stances(draft) == {
        "Illegal access": "support",
        "Signature": "support",
        "Respect for human rights": "oppose",
    }


def test_an_edit_changes_fields_actors_sources_and_adds_changes_removes_positions(
    client, editor, draft, world
):
    _, provisions, _, others = world
    data = edit_data(
        draft,
        title="Joint statement, corrected",
        verification="verified",
        **{
            "others-1-actor": "",  # Canada no longer co-signs
            "sources-1-kind": "news",
        },
    )
    data[f"rows-{row_index(data, 'Article 14')}-stance"] = "oppose"
    data[f"rows-{row_index(data, 'Article 14')}-wants"] = "delete 'without right'"
    data[f"rows-{row_index(data, 'Art. 64')}-DELETE"] = "on"
    data[f"rows-{row_index(data, 'Article 5')}-provision"] = ""  # cleared: removed
    add_row(data, "Article 17", "support_with_changes", "keep paragraph 2")
    add_row(data, "14(3)", "oppose", "delete paragraph 3", create_as="paragraph")
    response = client.post(edit_url(draft), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    draft.refresh_from_db()
    assert draft.title == "Joint statement, corrected"
    assert draft.verification == "verified" and draft.status == "draft"
    assert list(draft.co_signers.values_list("code", flat=True)) == ["AUS"]
    assert list(draft.supporters.values_list("code", flat=True)) == ["NOR"]
    assert [(s.url, s.kind) for s in draft.sources.order_by("order")] == [
        (SOURCE, "official_record"),
        ("https://ngo.example.org/report", "news"),
    ]
    paragraph = Provision.objects.get(kind="paragraph")
    assert paragraph.parent == provisions["Article 14"]
    assert stances(draft) == {
        "Illegal access": "oppose",
        "Offences in other treaties": "support_with_changes",
        paragraph.title: "oppose",
    }
    assert draft.positions.get(provision=provisions["Article 14"]).wants == (
        "delete 'without right'"
    )
    page = client.get(reverse("desk:statement", args=[draft.pk])).content.decode()
    assert "Saved: Joint statement, corrected" in page


def test_a_date_outside_the_session_saves_nothing_and_keeps_what_was_typed(
    client, editor, draft, world
):
    session = world[0]
    late = session.end_date.replace(year=session.end_date.year + 1).isoformat()
    revisions_before = Revision.objects.count()
    data = edit_data(draft, date=late, title="A title typed before the refusal")
    data[f"rows-{row_index(data, 'Art. 64')}-stance"] = "oppose"
    data[f"rows-{row_index(data, 'Article 5')}-DELETE"] = "on"
    add_row(data, "Article 17", "support")
    response = client.post(edit_url(draft), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert f"{session.start_date:%-d %B %Y}" in body
    assert 'data-testid="error-date"' in body  # beside its field
    assert 'value="A title typed before the refusal"' in body
    assert 'value="Article 17"' in body
    draft.refresh_from_db()
    assert draft.title == "Joint statement on criminalization"
    assert draft.date == session.start_date
    assert stances(draft) == {
        "Illegal access": "support",
        "Signature": "support",
        "Respect for human rights": "oppose",
    }
    assert Revision.objects.count() == revisions_before


def test_a_refused_row_rolls_back_the_statement_and_the_provision_created(
    client, editor, draft
):
    data = edit_data(draft, title="Changed before the grid refused")
    add_row(data, "14(3)", "oppose", create_as="paragraph")
    add_row(data, "Article 99", "support")
    response = client.post(edit_url(draft), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "No provision is labelled “Article 99”" in body
    assert "Some rows of the positions grid need attention." in body
    draft.refresh_from_db()
    assert draft.title == "Joint statement on criminalization"
    assert not Provision.objects.filter(kind="paragraph").exists()
    assert draft.positions.count() == 3


def test_another_editor_may_not_edit_a_draft(client, draft):
    other = make_user("otto", "Editors")
    client.force_login(other)
    assert client.get(edit_url(draft)).status_code == 403
    response = client.post(edit_url(draft), edit_data(draft, title="Taken over"))
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.title == "Joint statement on criminalization"
    page = client.get(reverse("desk:statement", args=[draft.pk])).content.decode()
    assert 'data-testid="edit-draft"' not in page


def test_a_user_outside_the_editorial_groups_is_refused(client, draft):
    client.force_login(make_user("visitor"))
    assert client.get(edit_url(draft)).status_code == 403


def test_anonymous_is_sent_to_sign_in(draft):
    client = Client()
    response = client.get(edit_url(draft))
    assert response.status_code == 302 and "login" in response["Location"]
    response = client.post(edit_url(draft), edit_data(draft, title="Anonymous"))
    assert response.status_code == 302 and "login" in response["Location"]
    draft.refresh_from_db()
    assert draft.title == "Joint statement on criminalization"


def test_the_edit_needs_the_csrf_token(editor, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(edit_url(draft), edit_data(draft, title="Forged"))
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.title == "Joint statement on criminalization"


def test_a_reviewer_edits_any_draft_attributed_to_the_reviewer(
    client, editor, reviewer, draft
):
    client.force_login(reviewer)
    page = client.get(reverse("desk:statement", args=[draft.pk])).content.decode()
    assert f'href="{edit_url(draft)}"' in page
    response = client.post(edit_url(draft), edit_data(draft, title="Reviewed title"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Reviewed title"
    assert draft.created_by == editor and draft.updated_by == reviewer


def test_a_published_statement_is_changed_by_a_proposal_not_edited(
    client, editor, reviewer, draft
):
    client.force_login(reviewer)
    client.post(reverse("desk:review-publish", args=[draft.pk]))
    client.force_login(editor)
    response = client.get(edit_url(draft), follow=True)
    assert response.redirect_chain == [
        (reverse("desk:statement", args=[draft.pk]), 302)
    ]
    body = response.content.decode()
    assert "This statement is published: propose a change below." in body
    assert 'data-testid="propose-form"' in body
    assert 'data-testid="edit-draft"' not in body
    response = client.post(edit_url(draft), edit_data(draft, title="Sneaked in"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Joint statement on criminalization"


def test_a_draft_published_while_being_edited_is_not_changed(editor, reviewer, draft):
    data = edit_data(draft, title="Edited after publication")
    form = forms.EditStatementForm(data)
    formsets = {
        "others": forms.OtherActorFormSet(data, prefix="others"),
        "sources": forms.SourceFormSet(data, prefix="sources"),
        "rows": forms.EditPositionFormSet(data, prefix="rows"),
    }
    assert form.is_valid() and all(f.is_valid() for f in formsets.values())
    services.statement_publish_with_positions(statement=draft, user=reviewer)
    with pytest.raises(entry.EntryRefused):
        editing.statement_revise(user=reviewer, statement=draft, form=form, **formsets)
    assert editing.PUBLISHED_MEANWHILE in form.non_field_errors()
    draft.refresh_from_db()
    assert draft.title == "Joint statement on criminalization"


def test_the_history_records_the_edit_by_its_editor(client, editor, draft, world):
    provisions = world[1]
    data = edit_data(draft, title="Joint statement, corrected")
    data[f"rows-{row_index(data, 'Article 14')}-stance"] = "oppose"
    data[f"rows-{row_index(data, 'Art. 64')}-DELETE"] = "on"
    assert client.post(edit_url(draft), data).status_code == 302
    latest = Revision.objects.filter(entity="statement", object_id=draft.pk).first()
    assert latest.action == "changed" and latest.user == editor
    assert latest.data["title"] == "Joint statement, corrected"
    article = draft.positions.get(provision=provisions["Article 14"])
    changed = Revision.objects.filter(entity="position", object_id=article.pk).first()
    assert changed.action == "changed" and changed.user == editor
    assert changed.data["stance"] == "oppose"
    deleted = Revision.objects.get(entity="position", action="deleted")
    assert deleted.user == editor and deleted.data["provision_id"] == (
        provisions["Art. 64"].pk
    )
    body = client.get(
        reverse("desk:history", args=["statement", draft.pk])
    ).content.decode()
    assert "by edith" in body
    assert "<ins>Joint statement, corrected</ins>" in body


def test_a_sent_back_draft_once_edited_is_back_in_the_review_queue(
    client, editor, reviewer, draft
):
    comment = "Add the UN summary as a source"
    client.force_login(reviewer)
    client.post(reverse("desk:review-send-back", args=[draft.pk]), {"comment": comment})
    queue = client.get(reverse("desk:review")).content.decode()
    sent_back = queue.split('data-testid="sent-back-drafts"', 1)[1].split("</ul>")[0]
    assert comment in sent_back
    assert f'data-testid="publish-{draft.pk}"' not in queue  # waits for its editor

    client.force_login(editor)
    page = client.get(edit_url(draft)).content.decode()
    assert f"Sent back by the reviewer: {comment}" in page
    data = edit_data(draft)
    data.update(
        {
            "sources-TOTAL_FORMS": "3",
            "sources-2-url": "https://un.example.org/summary",
            "sources-2-kind": "official_record",
        }
    )
    assert client.post(edit_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.review_comment == "" and draft.status == "draft"
    assert draft.sources.count() == 3

    client.force_login(reviewer)
    queue = client.get(reverse("desk:review")).content.decode()
    assert f'data-testid="publish-{draft.pk}"' in queue
    assert 'data-testid="sent-back-drafts"' not in queue
    assert f"Revised after it was sent back: “{comment}”" in queue
    latest = Revision.objects.filter(entity="statement", object_id=draft.pk).first()
    assert latest.user == editor and latest.data["review_comment"] == ""


def test_the_desk_links_the_editors_own_drafts_to_their_edit(client, editor, draft):
    home = client.get(reverse("desk:home")).content.decode()
    own = home.split('data-testid="own-drafts"', 1)[1].split("</table>", 1)[0]
    assert f'href="{edit_url(draft)}"' in own
    page = client.get(reverse("desk:statement", args=[draft.pk])).content.decode()
    assert 'data-testid="edit-draft"' in page and "Edit this draft" in page


def test_the_edit_post_reads_and_writes_in_a_bounded_number_of_queries(
    client, editor, draft, world, django_assert_max_num_queries
):
    data = edit_data(draft, title="Counted")
    for label in ("Article 14", "Art. 64", "Article 5"):
        data[f"rows-{row_index(data, label)}-wants"] = f"changed {label}"
    add_row(data, "Article 17", "support")
    # Reads (37): session, user, the statement as its desk page reads it (with its
    # co-signers, supporters and sources: 3), permissions, the session chosen, one
    # per actor typed (4); the statement locked, its actors and sources; its update
    # (locked again, checks, save, revision, relations); the treaty's provisions,
    # labels and drafts, its positions. Writes through the services: 8 per position
    # changed (lock, checks of statement, provision and uniqueness, save,
    # revision, savepoints), 5 per position added.
    with django_assert_max_num_queries(37 + 3 * 8 + 5 + 1):
        response = client.post(edit_url(draft), data)
    assert response.status_code == 302
    assert Position.objects.filter(wants__startswith="changed").count() == 3


def _title_edit_queries(client, statement, title):
    data = edit_data(statement, title=title)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(edit_url(statement), data)
    assert response.status_code == 302
    return len(queries)


def test_rows_left_unchanged_cost_no_queries(client, editor, draft, world):
    provisions = world[1]
    few = _title_edit_queries(client, draft, "Three positions")
    services.position_create(
        user=editor,
        statement=draft,
        provision=provisions["Article 17"],
        stance="oppose",
    )
    for _ in range(6):
        services.position_create(
            user=editor,
            statement=draft,
            provision=ProvisionFactory(treaty=draft.session.treaty),
            stance="support",
        )
    assert draft.positions.count() == 10
    assert _title_edit_queries(client, draft, "Ten positions") == few
