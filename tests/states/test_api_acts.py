"""The formal acts over the API: votes and their ballots, treaty actions (drafts for
editors, publishing for reviewers), filters, CSV and a treaty's status."""

import datetime

import pytest

from states import acts
from states.models import Ballot, TreatyAction, VoteSponsor
from tests.api_helpers import api
from tests.factories import ActorFactory, TreatyFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def treaty():
    return TreatyFactory(
        slug="un-cybercrime",
        signature_opens_on=D(2025, 10, 25),
        signature_closes_on=D(2026, 12, 31),
        entry_into_force_threshold=2,
        entry_into_force_delay_days=90,
    )


@pytest.fixture
def vote(treaty):
    rus, usa, tur = (ActorFactory(code=c) for c in ("RUS", "USA", "TUR"))
    vote = acts.vote_create(
        treaty=treaty,
        body="General Assembly",
        date=D(2019, 12, 27),
        document_symbol="A/RES/74/247",
        title="Countering the use of ICTs for criminal purposes",
        question="Establish the committee.",
        sources=["https://github.com/dgrtwo/unvotes"],
        verification="verified",
    )
    acts.ballots_set(vote=vote, choices={rus: "yes", usa: "no", tur: "abstain"})
    acts.vote_sponsors_set(vote=vote, sponsors=[(rus, VoteSponsor.Role.SPONSOR)])
    return vote


def test_votes_list_with_totals_and_sponsors(anon, vote):
    body = anon.get(api("vote-list")).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["totals"] == {"yes": 1, "no": 1, "abstain": 1, "non_voting": 0}
    assert row["sponsors"] == [{"actor": "RUS", "role": "sponsor"}]
    assert row["treaty"] == "un-cybercrime"


def test_ballots_filter_by_vote_actor_and_choice(anon, vote):
    url = api("ballot-list")
    assert anon.get(url, {"vote": vote.pk}).json()["count"] == 3
    only = anon.get(url, {"choice": "no"}).json()["results"]
    assert [b["actor"] for b in only] == ["USA"]
    assert anon.get(url, {"actor": "TUR"}).json()["results"][0]["choice"] == "abstain"
    assert anon.get(url, {"choice": "maybe"}).status_code == 400
    assert anon.get(url, {"actor": "XXX"}).status_code == 400
    assert anon.get(url, {"colour": "red"}).status_code == 400


def test_ballots_are_read_only_and_written_as_a_whole(
    anon, editor_client, reviewer_client, vote
):
    assert editor_client.post(api("ballot-list"), {}, format="json").status_code == 405
    url = api("vote-ballots", pk=vote.pk)
    payload = {
        "ballots": [
            {"actor": "RUS", "choice": "yes"},
            {"actor": "USA", "choice": "abstain"},
        ]
    }
    assert anon.put(url, payload, format="json").status_code == 401
    # The fixture's vote has ballots already: re-entering them is a reviewer's.
    response = reviewer_client.put(url, payload, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["totals"] == {
        "yes": 1,
        "no": 0,
        "abstain": 1,
        "non_voting": 0,
    }
    assert Ballot.objects.filter(vote=vote).count() == 2
    # Entered, the ballots are public: an editor's re-entry is refused.
    again = {"ballots": [{"actor": "RUS", "choice": "no"}]}
    refused = editor_client.put(url, again, format="json")
    assert refused.status_code == 403
    assert "only a reviewer" in refused.json()["detail"]
    twice = {
        "ballots": [{"actor": "RUS", "choice": "yes"}, {"actor": "RUS", "choice": "no"}]
    }
    assert reviewer_client.put(url, twice, format="json").status_code == 400
    bad = {"ballots": [{"actor": "RUS", "choice": "maybe"}]}
    assert reviewer_client.put(url, bad, format="json").status_code == 400
    assert Ballot.objects.filter(vote=vote).count() == 2
    assert reviewer_client.put(url, again, format="json").status_code == 200
    assert Ballot.objects.get(vote=vote).choice == "no"


def test_editor_creates_a_vote_and_bad_sources_are_400(editor_client, treaty):
    payload = {
        "treaty": treaty.slug,
        "body": "Third Committee",
        "date": "2019-11-18",
        "title": "Draft A/C.3/74/L.11",
        "question": "Approve the draft.",
        "sources": ["https://mid.ru/en/"],
        "verification": "verified",
    }
    response = editor_client.post(api("vote-list"), payload, format="json")
    assert response.status_code == 201, response.json()
    bad = {**payload, "date": "2019-11-19", "sources": "https://mid.ru/"}
    assert editor_client.post(api("vote-list"), bad, format="json").status_code == 400
    empty = {**payload, "date": "2019-11-19", "sources": [""]}
    assert editor_client.post(api("vote-list"), empty, format="json").status_code == 400


def action_payload(treaty, actor, **extra):
    return {
        "treaty": treaty.slug,
        "actor": actor.code,
        "kind": "signature",
        "date": "2025-10-25",
        "sources": ["https://treaties.un.org/"],
        "verification": "verified",
        **extra,
    }


def test_treaty_actions_drafts_hidden_and_publishing_needs_a_reviewer(
    anon, editor_client, reviewer_client, treaty
):
    aze = ActorFactory(code="AZE")
    response = editor_client.post(
        api("treatyaction-list"), action_payload(treaty, aze), format="json"
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["status"] == "draft"
    assert anon.get(api("treatyaction-list")).json()["count"] == 0
    assert anon.get(api("treatyaction-detail", pk=pk)).status_code == 404
    assert editor_client.get(api("treatyaction-list")).json()["count"] == 1
    assert editor_client.post(api("treatyaction-publish", pk=pk)).status_code == 403
    published = editor_client.post(
        api("treatyaction-list"),
        action_payload(treaty, aze, date="2025-10-26", status="published"),
        format="json",
    )
    assert published.status_code == 403
    assert reviewer_client.post(api("treatyaction-publish", pk=pk)).status_code == 200
    assert anon.get(api("treatyaction-list")).json()["count"] == 1
    assert TreatyAction.objects.get(pk=pk).updated_by.username == "rita"


def test_treaty_action_filters_and_csv(anon, reviewer_client, treaty):
    for code, kind, day in [
        ("AZE", "signature", D(2025, 10, 25)),
        ("AZE", "domestic_approval", D(2026, 2, 10)),
        ("MUS", "signature", D(2025, 11, 19)),
    ]:
        response = reviewer_client.post(
            api("treatyaction-list"),
            action_payload(
                treaty,
                ActorFactory(code=code),
                kind=kind,
                date=day.isoformat(),
                status="published",
            ),
            format="json",
        )
        assert response.status_code == 201, response.json()
    url = api("treatyaction-list")
    assert anon.get(url, {"actor": "AZE"}).json()["count"] == 2
    assert anon.get(url, {"kind": "signature"}).json()["count"] == 2
    assert anon.get(url, {"date_from": "2025-11-01"}).json()["count"] == 2
    assert anon.get(url, {"date_to": "2025-10-31"}).json()["count"] == 1
    assert (
        anon.get(url, {"treaty": "un-cybercrime", "status": "published"}).json()[
            "count"
        ]
        == 3
    )
    assert anon.get(url, {"updated_since": "2000-01-01T00:00:00Z"}).json()["count"] == 3
    assert anon.get(url, {"date_from": "yesterday"}).status_code == 400
    csv = anon.get(url, {"format": "csv", "kind": "signature"})
    assert csv.status_code == 200
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("id,created_at,updated_at,treaty,actor,kind,date")
    assert len(lines) == 3


def test_treaty_status_counts_and_projection(anon, reviewer, treaty):
    states = [ActorFactory(code=c) for c in ("AZE", "QAT")]
    eu = ActorFactory(code="EU", kind="regional_org")
    for actor, kind, day in [
        (eu, "approval", D(2026, 1, 1)),
        (states[0], "signature", D(2025, 10, 25)),
        (states[0], "ratification", D(2026, 2, 1)),
        (states[1], "ratification", D(2026, 3, 1)),
    ]:
        action = acts.treaty_action_create(
            user=reviewer,
            treaty=treaty,
            actor=actor,
            kind=kind,
            date=day,
            sources=["https://treaties.un.org/"],
        )
        acts.treaty_action_publish(action=action, user=reviewer)
    body = anon.get(api("treaty-status", slug="un-cybercrime")).json()
    assert body["parties"] == 3
    assert body["counted_instruments"] == 2  # the EU's approval does not count
    assert body["threshold"] == 2
    assert body["remaining_to_threshold"] == 0
    assert body["projected_entry_into_force"] == "2026-05-30"  # 1 Mar + 90 days
    assert body["signatories"] == 1
    assert anon.get(api("treaty-status", slug="nope")).status_code == 404
    assert (
        anon.get(api("treaty-status", slug="un-cybercrime"), {"x": "1"}).status_code
        == 400
    )
    csv = anon.get(api("treaty-status", slug="un-cybercrime"), {"format": "csv"})
    assert csv.status_code == 200 and b"projected_entry_into_force" in csv.content


def test_treaty_exposes_its_entry_into_force_rule(anon, treaty):
    body = anon.get(api("treaty-detail", slug="un-cybercrime")).json()
    assert body["entry_into_force_threshold"] == 2
    assert body["signature_closes_on"] == "2026-12-31"


def test_match_previews_a_pasted_vote_and_writes_nothing(anon, editor_client, vote):
    ActorFactory(code="CHN", name="China")
    url = api("vote-match", pk=vote.pk)
    text = "In favour: China, RUS.  Against: Atlantis.  Abstaining: China."
    assert anon.post(url, {"text": text}, format="json").status_code == 401
    # The fixture's actors are named "State n": RUS matches by its code.
    response = editor_client.post(url, {"text": text}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert {b["actor"] for b in body["ballots"]} == {"CHN", "RUS"}
    assert body["unmatched"] == [{"choice": "no", "printed": "Atlantis"}]
    assert body["conflicts"] == [{"actor": "CHN", "choices": ["yes", "abstain"]}]
    assert body["ok"] is False
    assert Ballot.objects.filter(vote=vote).count() == 3  # unchanged
    assert editor_client.post(url, {}, format="json").status_code == 400
    missing = api("vote-match", pk=99999)
    assert editor_client.post(missing, {"text": text}, format="json").status_code == 404
