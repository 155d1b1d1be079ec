"""An editor's proposal of a whole published statement on the desk: every field of
entry, its actors, sources and positions; the reviewer's readable diff; refusals
beside their fields; and who entered the drafts in the queue."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from states import proposals, revisions, services
from states.models import ChangeProposal, Statement
from tests.desk.desk_world import desk_world, management
from tests.factories import ActorFactory, GroupFactory, StatementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    session, provisions, japan, others = desk_world()
    statement = services.statement_create(
        user=None,
        session=session,
        actor=japan,
        co_signers=[others[1]],  # Canada
        title="Statement on criminalization",
        text="We support a narrow scope.",
        sources=[{"url": "https://example.org/record", "kind": "official_record"}],
        status="published",
    )
    for label in ("Article 14", "Article 5"):
        services.position_create(
            user=None,
            statement=statement,
            provision=provisions[label],
            stance="support",
            wants="keep paragraph 3" if label == "Article 5" else "",
            status="published",
        )
    return {
        "statement": statement,
        "session": session,
        "provisions": provisions,
        "others": {a.name: a for a in others},
    }


def _post(statement, **overrides):
    """The proposal form as the desk shows it for `statement`, then `overrides`."""
    session = statement.session
    data = {
        "session": str(session.pk),
        "date": "",
        "actor": statement.actor.code,
        "on_behalf_of": "",
        "also_for": "",
        "kind": "oral",
        "verification": "verified",
        "title": statement.title,
        "text": statement.text,
        "language": "en",
        "document_symbol": "",
        "note": "",
        **management("others", 2),
        "others-0-actor": "CAN",
        "others-0-role": "co_signer",
        "others-1-actor": "",
        "others-1-role": "co_signer",
        **management("sources", 2),
        "sources-0-url": "https://example.org/record",
        "sources-0-kind": "official_record",
        "sources-1-url": "",
        "sources-1-kind": "official_record",
        **management("added", 1),
        "added-0-provision": "",
        "added-0-stance": "",
        "added-0-wants": "",
        "added-0-quote": "",
        "added-0-note": "",
    }
    data.update(overrides)
    return data


def _propose(client, statement, **overrides):
    return client.post(
        reverse("desk:statement-propose", args=[statement.pk]),
        _post(statement, **overrides),
    )


def test_the_proposal_form_holds_the_statement_as_published(client, editor, world):
    statement = world["statement"]
    client.force_login(editor)
    page = client.get(reverse("desk:statement", args=[statement.pk])).content.decode()
    form = page.split('data-testid="propose-form"')[1]
    assert 'name="actor" value="JPN"' in form
    assert 'name="others-0-actor" value="CAN"' in form
    assert 'value="https://example.org/record"' in form
    assert "Respect for human rights (Support)" in form  # a position to remove
    assert 'name="added-0-provision"' in form


def test_an_editor_proposes_speaker_actors_sources_and_positions_and_the_reviewer_reads_names(  # noqa: E501
    client, editor, reviewer, world
):
    statement, session = world["statement"], world["session"]
    to_remove = statement.positions.get(provision=world["provisions"]["Article 5"])
    client.force_login(editor)
    response = _propose(
        client,
        statement,
        date=session.start_date.isoformat(),
        actor="Australia",
        **{
            "others-0-actor": "NZL",
            "others-1-actor": "Norway",
            "others-1-role": "supporter",
            "sources-1-url": "https://ngo.example.org/report",
            "sources-1-kind": "ngo_report",
            "added-0-provision": "Art. 64",
            "added-0-stance": "oppose",
            "added-0-wants": "delete the article",
            "remove_positions": [str(to_remove.pk)],
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    proposal = ChangeProposal.objects.get()
    statement.refresh_from_db()
    assert statement.actor.code == "JPN"  # held for the reviewer

    client.force_login(reviewer)
    queue = client.get(reverse("desk:review")).content.decode()
    item = queue.split(f'data-testid="proposal-{proposal.pk}"')[1]
    assert '<th scope="row">Speaker</th><td><del>Japan</del></td>' in item
    assert "<ins>Australia</ins>" in item
    assert "<ins>+ New Zealand</ins>, <del>− Canada</del>" in item
    assert "<ins>+ Norway</ins>" in item
    assert "<ins>+ https://ngo.example.org/report (NGO report)</ins>" in item
    assert "Position on Art. 64" in item
    assert "<ins>added, Oppose, wants “delete the article”</ins>" in item
    assert "Position on Article 5" in item
    assert 'data-testid="diff-removed">removed<' in item
    assert "Title" not in item  # unchanged fields are not listed
    assert "Statement “Statement on criminalization” (Japan" in item

    client.post(
        reverse("desk:proposal-decide", args=[proposal.pk]), {"decision": "accept"}
    )
    statement = Statement.objects.get(pk=statement.pk)
    assert statement.actor.name == "Australia"
    assert [a.code for a in statement.co_signers.all()] == ["NZL"]
    assert [a.code for a in statement.supporters.all()] == ["NOR"]
    assert statement.sources.count() == 2
    positions = {p.provision.title: p for p in statement.positions.all()}
    assert set(positions) == {"Illegal access", "Signature"}
    assert positions["Signature"].status == "published"


def test_a_refused_proposal_shows_each_reason_beside_its_field(client, editor, world):
    statement, session = world["statement"], world["session"]
    client.force_login(editor)
    response = _propose(
        client,
        statement,
        date="2001-01-01",
        actor="Atlantis",
        title="x" * 301,
        **{"others-1-actor": "Nowhere", "added-0-provision": "Art. 99"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "The proposal was refused" in body
    assert 'data-testid="error-actor"' in body and "Atlantis" in body
    assert 'data-testid="error-title"' in body
    assert "No actor is called “Nowhere”" in body
    assert not ChangeProposal.objects.exists()
    # The entry's rules beyond the form: the date within the session's dates.
    response = _propose(client, statement, date="2001-01-01")
    body = response.content.decode()
    assert 'data-testid="error-date"' in body
    assert f"{session.start_date:%-d %B %Y}" in body
    response = _propose(
        client,
        statement,
        **{"added-0-provision": "Art. 99", "added-0-stance": "support"},
    )
    assert "No provision is labelled or titled “Art. 99”" in response.content.decode()
    response = _propose(client, statement, **{"sources-0-url": ""})
    assert 'data-testid="propose-sources-error"' in response.content.decode()
    assert not ChangeProposal.objects.exists()


def test_a_short_post_proposes_only_what_it_names(client, editor, world):
    statement = world["statement"]
    client.force_login(editor)
    client.post(
        reverse("desk:statement-propose", args=[statement.pk]),
        {"title": "Renamed"},
    )
    assert ChangeProposal.objects.get().data == {"title": "Renamed"}


def test_accepting_a_proposal_on_a_changed_statement_is_refused_with_a_message(
    client, editor, reviewer, world
):
    statement = world["statement"]
    proposal = proposals.change_propose(user=editor, record=statement, title="Mine")
    services.statement_update(statement=statement, user=reviewer, title="Theirs")
    client.force_login(reviewer)
    queue = client.get(reverse("desk:review")).content.decode()
    assert f'data-testid="stale-{proposal.pk}"' in queue
    assert "Conflicts with a later change: title." in queue
    assert f'data-testid="accept-{proposal.pk}"' not in queue
    response = client.post(
        reverse("desk:proposal-decide", args=[proposal.pk]),
        {"decision": "accept"},
        follow=True,
    )
    body = response.content.decode()
    assert "conflicts with a later change of the statement (title)" in body
    assert "Reject it; the editor can propose again on the current version." in body
    statement.refresh_from_db()
    assert statement.title == "Theirs"


def test_the_queue_names_who_entered_each_draft_from_its_first_version(
    client, editor, reviewer, django_assert_max_num_queries
):
    StatementFactory(status="draft", created_by=editor, title="By an editor")
    # Written around the services, as the demo loader does; it then records a
    # first version of every record, by nobody.
    with revisions.recording_paused():
        StatementFactory(status="draft", title="From the demo")
    revisions.record_first_versions()
    services.statement_create(
        user=None,
        session=StatementFactory().session,
        actor=ActorFactory(),
        title="By a command",
        text="Text.",
    )
    for index in range(20):
        StatementFactory(status="draft", created_by=editor, title=f"Draft {index}")
    client.force_login(reviewer)
    with django_assert_max_num_queries(12):
        body = client.get(reverse("desk:review")).content.decode()
    rows = {
        row.split("</a>")[0].rsplit(">", 1)[1]: row.split('data-testid="entered-by">')[
            1
        ]
        for row in body.split("<tr>")[2:]
        if 'data-testid="entered-by"' in row
    }
    assert rows["By an editor"].startswith("edith")
    assert "loaded with the demo data" in rows["From the demo"]
    assert rows["By a command"].startswith("the system (no editor recorded)")
    assert "—" not in "".join(row.split("</td>")[0] for row in rows.values())


def _item(queue, proposal):
    return queue.split(f'data-testid="proposal-{proposal.pk}"')[1].split("</section>")[
        0
    ]


def _accept(client, proposal):
    return client.post(
        reverse("desk:proposal-decide", args=[proposal.pk]),
        {"decision": "accept"},
        follow=True,
    ).content.decode()


def test_the_queue_shows_a_conflict_before_accepting_and_takes_what_does_not_overlap(
    client, editor, reviewer, world
):
    statement, others = world["statement"], world["others"]
    new_source = [{"url": "https://example.org/summary", "kind": "meeting_summary"}]
    sources = proposals.change_propose(
        user=editor, record=statement, sources=new_source
    )
    actors = proposals.change_propose(
        user=editor,
        record=statement,
        title="Renamed",
        co_signers=[others["Norway"]],
    )
    also_sources = proposals.change_propose(
        user=editor,
        record=statement,
        text="Other text.",
        sources=[{"url": "https://ngo.example.org/report", "kind": "ngo_report"}],
    )
    client.force_login(reviewer)
    queue = client.get(reverse("desk:review")).content.decode()
    assert 'data-testid="stale-' not in queue  # nothing accepted yet
    assert "Proposal accepted: the change of the statement" in _accept(client, sources)
    sources.refresh_from_db()
    assert sources.status == ChangeProposal.Status.ACCEPTED

    queue = client.get(reverse("desk:review")).content.decode()
    conflicting = _item(queue, also_sources)
    assert f'data-testid="stale-{also_sources.pk}"' in conflicting
    assert "Conflicts with a later change: sources." in conflicting
    assert "reject it; the editor can propose again" in conflicting
    assert f'data-testid="accept-{also_sources.pk}"' not in conflicting
    apart = _item(queue, actors)
    assert 'data-testid="stale-' not in apart
    assert f'data-testid="accept-{actors.pk}"' in apart

    _accept(client, actors)
    body = _accept(client, also_sources)
    assert "conflicts with a later change of the statement (sources)" in body
    statement = Statement.objects.get(pk=statement.pk)
    assert (statement.title, statement.text) == (
        "Renamed",
        "We support a narrow scope.",
    )
    assert [a.name for a in statement.co_signers.all()] == ["Norway"]
    assert [(s.url, s.kind) for s in statement.sources.all()] == [
        ("https://example.org/summary", "meeting_summary")
    ]
    assert ChangeProposal.objects.get(pk=also_sources.pk).status == "pending"


def test_position_proposals_conflict_only_on_the_same_field(
    client, editor, reviewer, world
):
    position = world["statement"].positions.get(
        provision=world["provisions"]["Article 14"]
    )
    stance = proposals.change_propose(user=editor, record=position, stance="oppose")
    quote = proposals.change_propose(user=editor, record=position, quote="We agree.")
    other_stance = proposals.change_propose(
        user=editor, record=position, stance="undecided"
    )
    client.force_login(reviewer)
    _accept(client, stance)
    queue = client.get(reverse("desk:review")).content.decode()
    assert "Conflicts with a later change: stance." in _item(queue, other_stance)
    assert 'data-testid="stale-' not in _item(queue, quote)
    _accept(client, quote)
    assert "later change of the position (stance)" in _accept(client, other_stance)
    position.refresh_from_db()
    assert (position.stance, position.quote) == ("oppose", "We agree.")


def _propose_whole_changes(world, editor, indices):
    """Published statements, one per index, each with a proposal of it that changes
    every kind of part and one of a position of it."""
    others = world["others"]
    for index in indices:
        statement = services.statement_create(
            user=None,
            session=world["session"],
            actor=others["Switzerland"],
            title=f"Statement {index}",
            text="Text.",
            sources=[{"url": f"https://example.org/r{index}", "kind": "news"}],
            status="published",
        )
        for label in ("Article 14", "Article 5"):
            services.position_create(
                user=None,
                statement=statement,
                provision=world["provisions"][label],
                stance="support",
                status="published",
            )
        removed, kept = statement.positions.order_by("provision__title")
        proposals.change_propose(
            user=editor,
            record=statement,
            actor=others["Australia"],
            co_signers=[others["New Zealand"]],
            supporters=[others["Norway"]],
            on_behalf_of=GroupFactory(name=f"Group {index}"),
            sources=[{"url": f"https://example.org/{index}", "kind": "news"}],
            positions_added=[
                {"provision": world["provisions"]["Art. 64"], "stance": "oppose"}
            ],
            positions_removed=[removed],
        )
        proposals.change_propose(
            user=editor, record=kept, stance="oppose", wants=f"wants {index}"
        )


def _queue_queries(client):
    with CaptureQueriesContext(connection) as queries:
        body = client.get(reverse("desk:review")).content.decode()
    return len(queries), body


def test_the_queue_reads_as_many_queries_for_6_proposals_as_for_2(
    client, editor, reviewer, world, django_assert_max_num_queries
):
    _propose_whole_changes(world, editor, range(1))
    client.force_login(reviewer)
    for_two, body = _queue_queries(client)
    assert body.count('<section class="proposal"') == 2
    _propose_whole_changes(world, editor, range(1, 3))
    for_six, body = _queue_queries(client)
    assert body.count('<section class="proposal"') == 6
    assert for_six == for_two
    # The page's own reads (13), the records (a statement query and its four
    # prefetches, a position query) and the names (sessions, actors, groups, the
    # provisions' labels and titles).
    with django_assert_max_num_queries(13 + 6 + 5):
        body = client.get(reverse("desk:review")).content.decode()
    assert body.count("<ins>+ https://example.org/") == 3
    assert body.count("<ins>Group 2</ins>") == 1
    assert body.count("<ins>Australia</ins>") == 3
    assert body.count("<ins>+ New Zealand</ins>") == 3
    assert body.count("Position on Art. 64") == 3
    assert body.count("<ins>wants 1</ins>") == 1
    assert "Position on Respect for human rights in “Statement 2” (Switzerland)" in body


def test_a_decision_with_a_comment_over_the_limit_is_refused_not_cut(
    client, editor, reviewer, world
):
    proposal = proposals.change_propose(
        user=editor, record=world["statement"], title="Renamed"
    )
    client.force_login(reviewer)
    body = client.post(
        reverse("desk:proposal-decide", args=[proposal.pk]),
        {"decision": "reject", "comment": "x" * 5_001},
        follow=True,
    ).content.decode()
    assert "Not decided, the change of the statement" in body
    assert "at most 5000 characters" in body
    proposal.refresh_from_db()
    assert proposal.status == ChangeProposal.Status.PENDING
    assert proposal.comment == ""
