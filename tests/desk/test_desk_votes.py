"""Entering a recorded vote on the desk: its details and sponsors, then its lists as
the meeting coverage prints them → a preview matching each name → every ballot."""

import datetime

import pytest
from django.urls import reverse

from states import acts
from states.models import ActorAlias, Ballot, Vote, VoteSponsor
from tests.api_helpers import make_user
from tests.desk.acts_world import COVERAGE, acts_world, vote_form_data
from tests.factories import ActorFactory

pytestmark = pytest.mark.django_db

# Session, user, the user's and the groups' permissions, the vote with its ballot
# count, whether it has ballots (the lock), every actor and their stored aliases:
# the name index and the members in 2 queries however many actors there are.
PREVIEW_QUERIES = 8
# The preview's, then in one savepoint the locked vote row, the lock again, the
# existing ballots, one bulk insert and the vote's timestamp; the message; and the
# history's revision of the ballots as a set (its previous version, the insert).
SAVE_QUERIES = 18

CLEAN = COVERAGE  # every name matches


@pytest.fixture
def world():
    return acts_world()


def ballots_url(vote_pk):
    return reverse("desk:vote-ballots", kwargs={"pk": vote_pk})


def preview(client, vote, text):
    return client.post(ballots_url(vote.pk), {"text": text, "step": "preview"})


def save(client, vote, text, **kwargs):
    return client.post(ballots_url(vote.pk), {"text": text, "step": "save"}, **kwargs)


def choices_of(vote):
    return dict(Ballot.objects.filter(vote=vote).values_list("actor__code", "choice"))


# The paste → preview → save path ---------------------------------------------------


def test_the_preview_matches_each_name_lists_non_voting_members_and_totals(
    client, editor, world
):
    _, members, vote = world
    client.force_login(editor)
    response = preview(client, vote, CLEAN)
    assert response.status_code == 200
    body = response.content.decode()
    # Common variants and the stored alias are matched to the actors' names.
    for printed, name in [
        ("Russia", "Russian Federation"),
        ("DPRK", "Democratic People&#x27;s Republic of Korea"),
        ("Turkey", "Türkiye"),
        ("Nippon", "Japan"),
    ]:
        assert f"<td>{printed}</td><td><strong>{name}</strong>" in body
    assert "In favour <strong>4</strong> · Against <strong>3</strong> · " in body
    assert "Abstaining <strong>2</strong> · Non-voting <strong>1</strong>" in body
    # France is the one member in no list; the observer state is no member.
    assert '<p data-testid="non-voting">France</p>' in body
    assert "Holy See" not in body
    assert 'data-testid="save-ballots">Save 10 ballots' in body
    assert not Ballot.objects.exists()  # a preview writes nothing


def test_saving_the_previewed_lists_enters_every_members_ballot(client, editor, world):
    _, members, vote = world
    client.force_login(editor)
    response = save(client, vote, CLEAN, follow=True)
    assert response.redirect_chain == [(ballots_url(vote.pk), 302)]
    assert choices_of(vote) == {
        "DZA": "yes",
        "AGO": "yes",
        "RUS": "yes",
        "PRK": "yes",
        "USA": "no",
        "CZE": "no",
        "JPN": "no",
        "TUR": "abstain",
        "VNM": "abstain",
        "FRA": "non_voting",
    }
    body = response.content.decode()
    assert (
        "Ballots saved for A/RES/74/247: 4 in favour, 3 against, 2 abstaining" in body
    )
    assert "(10 added, 0 changed, 0 removed)" in body
    assert "Entered: In favour <strong>4</strong>" in body


def test_unmatched_names_are_listed_and_nothing_is_saved(client, editor, world):
    _, _, vote = world
    client.force_login(editor)
    text = CLEAN.replace("Viet Nam", "Atlantis, Lilliput")
    response = preview(client, vote, text)
    body = response.content.decode()
    assert "Nothing can be saved yet." in body
    assert "2 names match no actor's name, code or alias" in body
    assert "<li>“Atlantis” <span" in body and "<li>“Lilliput” <span" in body
    assert 'data-testid="save-ballots"' not in body
    # Viet Nam is then in no list: a non-voting member, not a guess.
    assert "France, Viet Nam</p>" in body
    # A save posted anyway (a stale page, a crafted request) saves nothing.
    response = save(client, vote, text)
    assert response.status_code == 200
    assert "Nothing was saved: the lists need attention." in response.content.decode()
    assert not Ballot.objects.exists()


def test_an_alias_an_editor_adds_matches_at_the_next_preview(client, editor, world):
    _, members, vote = world
    client.force_login(editor)
    text = CLEAN.replace("Viet Nam", "Socialist Republic of Viet Nam")
    assert "Nothing can be saved yet." in preview(client, vote, text).content.decode()
    ActorAlias.objects.create(
        actor=members["VNM"], alias="Socialist Republic of Viet Nam"
    )
    assert save(client, vote, text).status_code == 302
    assert choices_of(vote)["VNM"] == "abstain"


def test_an_unmatched_name_is_remembered_as_the_alias_the_editor_names(
    client, editor, world
):
    _, members, vote = world
    client.force_login(editor)
    text = CLEAN.replace("Viet Nam", "Socialist Republic of Viet Nam")
    body = preview(client, vote, text).content.decode()
    assert 'data-testid="add-alias-1"' in body
    response = client.post(
        ballots_url(vote.pk),
        {
            "text": text,
            "step": "alias",
            "alias": "Socialist Republic of Viet Nam",
            "actor": "VNM",
        },
    )
    body = response.content.decode()
    assert "“Socialist Republic of Viet Nam” is now an alias of Viet Nam." in body
    assert 'data-testid="save-ballots">Save 10 ballots' in body  # previewed again
    assert (
        ActorAlias.objects.get(alias="Socialist Republic of Viet Nam").actor
        == (members["VNM"])
    )
    assert not Ballot.objects.exists()


@pytest.mark.parametrize(
    ("alias", "actor", "message"),
    [
        ("nippon", "FRA", "This alias already names an actor."),
        ("Gaul", "Atlantis", "No actor is called “Atlantis”"),
        ("Gaul", "", "Type the actor this name denotes."),
    ],
)
def test_a_refused_alias_says_why(client, editor, world, alias, actor, message):
    _, _, vote = world
    client.force_login(editor)
    response = client.post(
        ballots_url(vote.pk),
        {"text": CLEAN, "step": "alias", "alias": alias, "actor": actor},
    )
    assert message in response.content.decode()
    assert ActorAlias.objects.count() == 1  # Nippon, from the world


def test_a_name_twice_or_an_actor_under_two_choices_is_refused(client, editor, world):
    _, _, vote = world
    client.force_login(editor)
    twice = CLEAN.replace("Angola,", "Angola, Russian Federation,")
    body = preview(client, vote, twice).content.decode()
    assert (
        "Russian Federation is listed twice, as “Russian Federation” and “Russia”"
        in body
    )
    both = CLEAN.replace("Czechia,", "Czechia, Algeria,")
    body = preview(client, vote, both).content.decode()
    assert "Algeria is listed under In favour and Against." in body
    for text in (twice, both):
        assert save(client, vote, text).status_code == 200
    assert not Ballot.objects.exists()


def test_totals_the_text_prints_are_checked_against_the_lists(client, editor, world):
    _, _, vote = world
    client.force_login(editor)
    text = CLEAN.replace("4 in favour to 3", "5 in favour to 3")
    body = preview(client, vote, text).content.decode()
    assert "The text says 5 in favour, 3 against, 2 abstaining" in body
    assert 'data-testid="save-ballots"' in body  # a warning, the lists decide


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Paste the lists of the vote first."),
        ("   \n ", "Paste the lists of the vote first."),
        ("Algeria, Angola, Russia", "No list was found"),
        ("x" * 100_001, "Ensure this value has at most 100000 characters"),
    ],
)
def test_bad_pastes_get_a_clear_message(client, editor, world, text, message):
    _, _, vote = world
    client.force_login(editor)
    for step in ("preview", "save"):
        response = client.post(ballots_url(vote.pk), {"text": text, "step": step})
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not Ballot.objects.exists()


def test_an_unknown_vote_is_a_404(client, editor, world):
    client.force_login(editor)
    missing = Vote.objects.order_by("-pk").first().pk + 1
    assert client.get(ballots_url(missing)).status_code == 404
    assert save(client, Vote(pk=missing), CLEAN).status_code == 404
    assert client.get(reverse("desk:vote", kwargs={"pk": missing})).status_code == 404


# Who may enter what ---------------------------------------------------------------


def _vote_urls(vote):
    return [
        reverse("desk:votes"),
        reverse("desk:vote-new"),
        reverse("desk:vote", kwargs={"pk": vote.pk}),
        ballots_url(vote.pk),
    ]


def test_anonymous_visitors_are_asked_to_sign_in(client, world):
    _, _, vote = world
    for url in _vote_urls(vote):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    response = save(client, vote, CLEAN)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Ballot.objects.exists()


def test_a_signed_in_reader_who_is_no_editor_is_refused(client, world):
    treaty, _, vote = world
    client.force_login(make_user("reader"))
    for url in _vote_urls(vote):
        assert client.get(url).status_code == 403
    assert save(client, vote, CLEAN).status_code == 403
    response = client.post(reverse("desk:vote-new"), vote_form_data(treaty))
    assert response.status_code == 403
    assert not Ballot.objects.exists() and Vote.objects.count() == 1


def test_once_entered_the_ballots_are_locked_for_editors_not_reviewers(
    client, editor, reviewer, world
):
    _, _, vote = world
    client.force_login(editor)
    assert save(client, vote, CLEAN).status_code == 302
    before = choices_of(vote)
    # The page says so; a re-entry and a change of the vote's details are refused.
    body = client.get(ballots_url(vote.pk)).content.decode()
    assert "only a reviewer may re-enter them" in body
    assert 'data-testid="paste-form"' not in body
    changed = CLEAN.replace("Algeria, ", "")
    assert save(client, vote, changed).status_code == 403
    edit = reverse("desk:vote", kwargs={"pk": vote.pk})
    assert "only a reviewer may change it" in client.get(edit).content.decode()
    response = client.post(edit, vote_form_data(vote.treaty, body="Renamed"))
    assert response.status_code == 403
    assert choices_of(vote) == before
    vote.refresh_from_db()
    assert vote.body == "General Assembly"
    # A reviewer re-enters them: Algeria, now in no list, becomes non-voting.
    client.force_login(reviewer)
    assert save(client, vote, changed).status_code == 302
    assert choices_of(vote)["DZA"] == "non_voting"


def test_the_service_locks_a_vote_with_ballots_for_editors_too(editor, world):
    from django.core.exceptions import PermissionDenied

    _, members, vote = world
    acts.ballots_set(vote=vote, choices={members["DZA"]: "yes"}, user=editor)
    with pytest.raises(PermissionDenied):
        acts.ballots_set(vote=vote, choices={members["DZA"]: "no"}, user=editor)
    with pytest.raises(PermissionDenied):
        acts.vote_update(vote=vote, user=editor, title="Changed")
    assert choices_of(vote) == {"DZA": "yes"}


# The vote's details and sponsors ---------------------------------------------------


def test_a_new_vote_is_saved_with_its_sponsors_matched_by_name(client, editor, world):
    treaty, members, _ = world
    client.force_login(editor)
    response = client.post(reverse("desk:vote-new"), vote_form_data(treaty))
    vote = Vote.objects.get(body="Third Committee")
    assert response.status_code == 302 and response["Location"] == ballots_url(vote.pk)
    assert vote.sources == ["https://press.un.org/en/2019/ga12235.doc.htm"]
    assert vote.verification == "partly_verified"
    assert vote.date == datetime.date(2019, 11, 18)
    assert set(
        VoteSponsor.objects.filter(vote=vote).values_list("actor__code", "role")
    ) == {
        ("RUS", "sponsor"),
        ("PRK", "sponsor"),
        ("JPN", "co_sponsor"),
        ("VNM", "co_sponsor"),
    }


def test_an_editor_corrects_a_vote_before_its_ballots_are_entered(
    client, editor, world
):
    _, _, vote = world
    client.force_login(editor)
    url = reverse("desk:vote", kwargs={"pk": vote.pk})
    form = client.get(url).content.decode()
    assert "A/RES/74/247" in form and "press.un.org" in form
    response = client.post(
        url,
        vote_form_data(vote.treaty, body="Plenary", sponsors="Algeria", co_sponsors=""),
    )
    assert response.status_code == 302
    vote.refresh_from_db()
    assert vote.body == "Plenary"
    assert list(vote.sponsors.values_list("code", flat=True)) == ["DZA"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"sponsors": "Russia, Atlantis"}, "No actor is called “Atlantis”"),
        ({"sources": "javascript:alert(1)"}, "is not a web address"),
        ({"date": "27 Dec"}, "Enter a valid date."),
        ({"title": ""}, "This field is required."),
        ({"question": "q" * 301}, "at most 300 characters"),
    ],
)
def test_a_refused_vote_form_says_why_and_saves_nothing(
    client, editor, world, overrides, message
):
    treaty, _, _ = world
    client.force_login(editor)
    response = client.post(
        reverse("desk:vote-new"), vote_form_data(treaty, **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Vote.objects.count() == 1


def test_the_same_vote_twice_is_refused_by_the_service_with_its_message(
    client, editor, world
):
    _, _, vote = world
    client.force_login(editor)
    data = vote_form_data(
        vote.treaty,
        body=vote.body,
        date=vote.date.isoformat(),
        document_symbol=vote.document_symbol,
    )
    response = client.post(reverse("desk:vote-new"), data)
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Vote.objects.count() == 1 and not VoteSponsor.objects.exists()


# Query budgets ----------------------------------------------------------------------


def test_the_preview_reads_a_fixed_number_of_queries_however_many_actors(
    client, editor, world, django_assert_max_num_queries
):
    _, _, vote = world
    for index in range(150):
        actor = ActorFactory(name=f"Member {index}")
        ActorAlias.objects.create(actor=actor, alias=f"Alias {index}")
    text = CLEAN + "Absent: " + ", ".join(f"Alias {i}" for i in range(150)) + "."
    client.force_login(editor)
    with django_assert_max_num_queries(PREVIEW_QUERIES):
        response = preview(client, vote, text)
    assert "Save 160 ballots" in response.content.decode()
    with django_assert_max_num_queries(SAVE_QUERIES):
        assert save(client, vote, text).status_code == 302
    assert Ballot.objects.filter(vote=vote).count() == 160


def test_the_vote_list_reads_a_fixed_number_of_queries(
    client, editor, world, django_assert_max_num_queries
):
    treaty, _, _ = world
    for day in range(1, 26):
        acts.vote_create(
            treaty=treaty,
            body="Third Committee",
            date=datetime.date(2019, 11, day),
            title=f"Vote {day}",
            question="Adopt it.",
        )
    client.force_login(editor)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("desk:votes"))
    assert response.content.decode().count("Paste the lists") == 26


def test_editors_may_add_change_and_view_aliases_and_the_desk_asks_for_that(
    client, editor, world
):
    assert all(
        editor.has_perm(f"states.{action}_actoralias")
        for action in ("add", "change", "view")
    )
    assert not editor.has_perm("states.delete_actoralias")
    # Who may change actors but not add aliases is offered no alias form.
    from django.contrib.auth.models import Group, Permission

    actors_only = Group.objects.create(name="Actors only")
    actors_only.permissions.set(
        Permission.objects.filter(
            codename__in=["view_vote", "change_ballot", "change_actor"]
        )
    )
    clerk = make_user("clara", "Actors only")
    _, _, vote = world
    text = CLEAN.replace("Viet Nam", "Socialist Republic of Viet Nam")
    client.force_login(clerk)
    assert (
        'data-testid="add-alias-1"' not in preview(client, vote, text).content.decode()
    )
    client.force_login(editor)
    assert 'data-testid="add-alias-1"' in preview(client, vote, text).content.decode()
