"""The desk's page of a statement: what was entered, its positions by label, the
reviewer's decisions taken from the page, its proposals named; and the review
queue's positions listed inline."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from states import proposals, services
from states.models import ChangeProposal, Statement
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
    StatementSourceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def entered(client, editor):
    """A draft entered from the form: a speaker, 3 co-signers and 3 supporters, a
    group, two sources and a document symbol, positions on 5 provisions (one a
    paragraph created from the grid)."""
    session, provisions, speaker, others = desk_world()
    group = GroupFactory(slug="g77", name="Group of 77 and China")
    client.force_login(editor)
    response = client.post(
        reverse("desk:statement-new"),
        entry_data(
            session,
            speaker,
            others,
            on_behalf_of=str(group.pk),
            document_symbol="A/AC.291/CRP.7",
            **{"rows-1-quote": "We can sign. " * 30, "rows-1-note": "Check the UN"},
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return Statement.objects.get(), provisions


def _page(client, user, statement):
    client.force_login(user)
    response = client.get(reverse("desk:statement", args=[statement.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _part(body, testid):
    """The element marked data-testid="testid", up to its closing tag's line."""
    start = body.index(f'data-testid="{testid}"')
    return body[start : body.index("</dd>", start)]


def test_the_summary_shows_each_thing_entered(client, editor, entered):
    statement, _ = entered
    body = _page(client, editor, statement)
    session = statement.session
    assert _part(body, "summary-session").startswith(
        'data-testid="summary-session">4 · Fourth session'
    )
    assert f"{session.start_date:%-d %b %Y} – {session.end_date:%-d %b %Y}" in (
        _part(body, "summary-session")
    )
    assert f"{session.start_date:%-d %B %Y}" in _part(body, "summary-date")
    assert "Japan" in _part(body, "summary-speaker")
    others = _part(body, "summary-others")
    for name in ("Australia", "Canada", "New Zealand"):
        assert f'{name} <span class="muted">' in others
    assert others.count("— co-signer") == 3 and others.count("— supporter") == 3
    assert 'Norway <span class="muted">(NOR)</span> — supporter' in others
    assert "Group of 77 and China" in _part(body, "summary-on-behalf-of")
    assert "and several other delegations" in _part(body, "summary-also-for")
    sources = _part(body, "summary-sources")
    assert f">{SOURCE}</a> · Official record · Document A/AC.291/CRP.7</li>" in sources
    assert (
        ">https://ngo.example.org/report</a> · NGO report</li>" in sources
    )  # the symbol is the official record's, the first source's
    assert 'data-testid="verification">Partly verified<' in body
    assert "English" in _part(body, "summary-language")
    created = _part(body, "summary-created")
    assert "by edith" in created and f"{statement.created_at:%-d %b %Y}" in created
    assert _part(body, "summary-status").endswith('summary-status">Draft')


def test_the_summary_escapes_what_was_typed(client, editor):
    statement = StatementFactory(
        status="draft",
        created_by=editor,
        also_for="<script>x()</script>",
        document_symbol="<b>A/1</b>",
    )
    body = _page(client, editor, statement)
    assert "<script>x()" not in body and "&lt;script&gt;x()" in body
    assert "Document &lt;b&gt;A/1&lt;/b&gt;" in body


def test_positions_are_named_by_their_label_in_the_latest_draft_then_title(
    client, editor, entered
):
    statement, provisions = entered
    # A later draft renumbers Article 14: the page names it as that draft does.
    later = DraftFactory(
        treaty=statement.session.treaty, published_on=datetime.date(2030, 1, 1)
    )
    ProvisionTextFactory(
        provision=provisions["Article 14"], draft=later, label="Art. 15"
    )
    body = _page(client, editor, statement)
    table = body[body.index('data-testid="positions"') : body.index("</table>")]
    assert "<strong>Art. 15</strong> Illegal access</th>" in table
    assert "<strong>Art. 64</strong> Signature</th>" in table
    assert "<strong>14(3)</strong> Illegal access, paragraph 3</th>" in table
    assert "Article 14" not in table  # the older draft's label
    assert "delete &#x27;without right&#x27;" in table  # wants, escaped
    assert "Oppose" in table and "Support with changes" in table
    assert "“We can sign. We can sign." in table and "…”" in table  # short
    assert table.count("We can sign.") < 30
    assert "Check the UN" in table  # the note
    assert table.count(">Draft</td>") == 5
    position = statement.positions.get(provision=provisions["Art. 64"])
    assert reverse("desk:history", args=["position", position.pk]) in table


def test_a_reviewer_publishes_from_the_page_and_comes_back_to_it(
    client, reviewer, entered
):
    statement, _ = entered
    page = reverse("desk:statement", args=[statement.pk])
    body = _page(client, reviewer, statement)
    box = body[body.index('data-testid="review-box"') :]
    assert "Publishing it publishes its 5 positions with it" in box
    assert f'action="{reverse("desk:review-publish", args=[statement.pk])}"' in box
    assert f'name="next" value="{page}"' in box
    response = client.post(
        reverse("desk:review-publish", args=[statement.pk]), {"next": page}
    )
    assert response.status_code == 302 and response["Location"] == page
    statement.refresh_from_db()
    assert statement.status == "published"
    assert set(statement.positions.values_list("status", flat=True)) == {"published"}
    body = client.get(page).content.decode()
    assert "Published with its positions: Joint statement on criminalization" in body
    assert 'data-testid="review-box"' not in body  # published: nothing to decide
    assert body.count(">Published</td>") == 5


def test_a_reviewer_sends_back_from_the_page_with_a_comment(client, reviewer, entered):
    statement, _ = entered
    page = reverse("desk:statement", args=[statement.pk])
    client.force_login(reviewer)
    send_back = reverse("desk:review-send-back", args=[statement.pk])
    response = client.post(send_back, {"next": page, "comment": "  "}, follow=True)
    assert response.redirect_chain == [(page, 302)]
    assert (
        "Not sent back, “Joint statement on criminalization”: Say what needs changing."
        in response.content.decode()
    )
    response = client.post(
        send_back, {"next": page, "comment": "Add the UN summary"}, follow=True
    )
    body = response.content.decode()
    assert "Sent back to its editor: Joint statement on criminalization" in body
    assert 'data-testid="review-comment">Reviewer: Add the UN summary' in body
    statement.refresh_from_db()
    assert statement.status == "draft"


def test_a_comment_over_the_limit_is_refused_not_cut(client, reviewer, entered):
    statement, _ = entered
    client.force_login(reviewer)
    response = client.post(
        reverse("desk:review-send-back", args=[statement.pk]),
        {"comment": "x" * 5001},
        follow=True,
    )
    assert "Not sent back" in response.content.decode()
    statement.refresh_from_db()
    assert statement.review_comment == ""


def test_a_next_off_the_site_returns_to_the_queue(client, reviewer, entered):
    statement, _ = entered
    client.force_login(reviewer)
    for unsafe in ("https://evil.example/desk/", "//evil.example/", "javascript:x"):
        response = client.post(
            reverse("desk:review-send-back", args=[statement.pk]),
            {"next": unsafe, "comment": "Again"},
        )
        assert response["Location"] == reverse("desk:review")
    response = client.post(reverse("desk:review-publish", args=[statement.pk]))
    assert response["Location"] == reverse("desk:review")  # no next: the queue


def test_an_editor_is_offered_no_decision_and_refused_one(client, editor, entered):
    statement, _ = entered
    body = _page(client, editor, statement)
    assert 'data-testid="review-box"' not in body
    assert reverse("desk:review-publish", args=[statement.pk]) not in body
    assert reverse("desk:review-send-back", args=[statement.pk]) not in body
    page = reverse("desk:statement", args=[statement.pk])
    publish = client.post(
        reverse("desk:review-publish", args=[statement.pk]), {"next": page}
    )
    send_back = client.post(
        reverse("desk:review-send-back", args=[statement.pk]),
        {"next": page, "comment": "Mine"},
    )
    assert (publish.status_code, send_back.status_code) == (403, 403)
    statement.refresh_from_db()
    assert (statement.status, statement.review_comment) == ("draft", "")
    assert set(statement.positions.values_list("status", flat=True)) == {"draft"}


def test_proposals_are_named_by_what_they_change_and_who_decided(
    client, editor, reviewer
):
    session, provisions, speaker, _ = desk_world()
    statement = StatementFactory(
        session=session, actor=speaker, status="published", title="On access"
    )
    position = PositionFactory(
        statement=statement, provision=provisions["Article 14"], status="published"
    )
    on_statement = proposals.change_propose(
        user=editor, record=statement, title="On illegal access"
    )
    on_position = proposals.change_propose(
        user=editor, record=position, stance="oppose"
    )
    client.force_login(reviewer)
    response = client.post(
        reverse("desk:proposal-decide", args=[on_position.pk]),
        {"decision": "reject", "comment": "The record says support"},
        follow=True,
    )
    assert (
        "Proposal rejected: the change of the position on Article 14 Illegal access "
        "in “On access”." in response.content.decode()
    )
    response = client.post(
        reverse("desk:proposal-decide", args=[on_statement.pk]),
        {"decision": "accept"},
        follow=True,
    )
    assert (
        "Proposal accepted: the change of the statement “On access”."
        in response.content.decode()
    )
    body = _page(client, editor, statement)
    listed = body[body.index('data-testid="proposals"') : body.index("<h2>History")]
    assert listed.index("Change of the position on Article 14 Illegal access") < (
        listed.index("Change of the statement")
    )  # newest first
    item = listed[listed.index(f'data-testid="proposal-{on_position.pk}"') :]
    assert "proposed by edith" in item and "Rejected</span> by rita" in item
    assert "Reviewer’s comment:</span> The record says support" in item
    item = listed[listed.index(f'data-testid="proposal-{on_statement.pk}"') :]
    assert "Accepted</span> by rita" in item.split("</li>")[0]
    assert ChangeProposal.objects.filter(status="pending").count() == 0


def test_an_editors_proposals_are_acknowledged_by_the_statements_name(client, editor):
    session, provisions, speaker, _ = desk_world()
    statement = StatementFactory(
        session=session, actor=speaker, status="published", title="On signature"
    )
    position = PositionFactory(
        statement=statement, provision=provisions["Art. 64"], status="published"
    )
    client.force_login(editor)
    prefix = f"position-{position.pk}"
    response = client.post(
        reverse("desk:position-propose", args=[position.pk]),
        {f"{prefix}-stance": "oppose"},
        follow=True,
    )
    assert (
        "Your change of the position on Art. 64 Signature in “On signature” is "
        "proposed." in response.content.decode()
    )


def _drafts(count, editor, session, provisions):
    sessions_actors = [ActorFactory() for _ in range(count)]
    for index, actor in enumerate(sessions_actors):
        statement = StatementFactory(
            session=session,
            actor=actor,
            status="draft",
            created_by=editor if index % 2 else None,
            title=f"Draft {index}",
        )
        StatementSourceFactory(statement=statement, url=f"{SOURCE}/{index}", order=1)
        statement.co_signers.add(ActorFactory())
        # The queue names them in the row: their reads must not grow with it.
        statement.supporters.add(ActorFactory(), ActorFactory())
        for label in ("Article 14", "Art. 64", "Article 5"):
            PositionFactory(
                statement=statement,
                provision=provisions[label],
                status="draft",
                stance="support_with_changes",
                wants=f"wants {index}",
            )


def test_the_queue_lists_each_drafts_positions_inline(client, reviewer, entered):
    statement, _ = entered
    client.force_login(reviewer)
    body = client.get(reverse("desk:review")).content.decode()
    cell = body[body.index(f'data-testid="draft-positions-{statement.pk}"') :]
    cell = cell[: cell.index("</td>")]
    assert cell.count("<li>") == 5
    assert "<strong>Article 14</strong>" in cell and "<strong>14(3)</strong>" in cell
    assert "Support with changes" in cell
    assert "wants: delete &#x27;without right&#x27;" in cell
    assert "wants: delete paragraph 3" in cell
    assert f'data-testid="publish-{statement.pk}"' in body
    assert 'name="next"' not in body  # from the queue, back to the queue


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# Session, user, groups' permissions, the drafts, their sources, co-signers,
# supporters, positions with their provisions, the provisions' labels; draft
# treaty actions (acts_review); the pending proposals, the count of open
# correction reports; the messages.
QUEUE_QUERIES = 13


def test_the_queue_reads_a_fixed_number_of_queries_however_many_drafts(
    client, editor, reviewer, django_assert_num_queries
):
    session, provisions, _, _ = desk_world()
    _drafts(3, editor, session, provisions)
    client.force_login(reviewer)
    few = _queries(client, reverse("desk:review"))
    _drafts(12, editor, SessionFactory(treaty=session.treaty, number=5), provisions)
    with django_assert_num_queries(QUEUE_QUERIES):
        body = client.get(reverse("desk:review")).content.decode()
    assert few == QUEUE_QUERIES
    assert body.count("Publish with its positions") == 15
    assert body.count("wants: wants 11") == 3
    assert body.count("— co-signer</li>") == 15
    assert body.count("— supporter</li>") == 30


# Session, user, 2 for permissions; the statement with its session, treaty,
# speaker, group and creator, then its co-signers, supporters and sources (3: the
# proposal form reads them from the same prefetch); its
# positions and their labels (2); its proposals; its history with the names and
# proposals it shows (4); the proposal form's sources, session and group choices
# and positions to remove (6).
STATEMENT_PAGE_QUERIES = 19


def test_the_statement_page_reads_a_fixed_number_of_queries(
    client, editor, reviewer, django_assert_num_queries
):
    session, provisions, speaker, others = desk_world()
    statement = StatementFactory(session=session, actor=speaker, status="published")
    statement.co_signers.add(others[0])
    statement.supporters.add(others[1])
    url = reverse("desk:statement", args=[statement.pk])
    position = PositionFactory(
        statement=statement, provision=provisions["Article 14"], status="published"
    )
    proposals.change_propose(user=editor, record=position, stance="oppose")
    client.force_login(reviewer)
    few = _queries(client, url)
    for label in ("Art. 64", "Article 5", "Article 17"):
        PositionFactory(
            statement=statement, provision=provisions[label], status="published"
        )
    for index in range(4):
        extra = ProvisionFactory(treaty=session.treaty)
        ProvisionTextFactory(provision=extra, label=f"Article {90 + index}")
        PositionFactory(statement=statement, provision=extra, status="published")
        StatementSourceFactory(statement=statement, url=f"{SOURCE}/{index}", order=2)
        statement.supporters.add(ActorFactory())
        proposals.change_propose(
            user=editor, record=statement, title=f"Proposed {index}"
        )
    with django_assert_num_queries(STATEMENT_PAGE_QUERIES):
        body = client.get(url).content.decode()
    assert _queries(client, url) == few
    assert body.count("Change of the statement") == 4
    assert "<strong>Article 93</strong>" in body


def test_a_refused_publication_says_why_on_the_page_and_publishes_nothing(
    client, editor, reviewer
):
    session, provisions, speaker, _ = desk_world()
    statement = services.statement_create(
        user=editor, session=session, actor=speaker, title="Unsourced", text="T."
    )
    services.position_create(
        user=editor,
        statement=statement,
        provision=provisions["Article 5"],
        stance="support",
    )
    page = reverse("desk:statement", args=[statement.pk])
    body = _page(client, reviewer, statement)
    assert "none yet: a statement is published with a source" in body
    response = client.post(
        reverse("desk:review-publish", args=[statement.pk]),
        {"next": page},
        follow=True,
    )
    assert response.redirect_chain == [(page, 302)]
    assert (
        "Not published, “Unsourced”: A published statement needs a source."
        in response.content.decode()
    )
    statement.refresh_from_db()
    assert statement.status == "draft"
    assert set(statement.positions.values_list("status", flat=True)) == {"draft"}
