"""Matching printed names to actors, and pasted vote lists to ballots."""

import pytest

from states import acts
from states.models import Actor, Ballot
from states.names import NameIndex, match_vote_lists, normalise, parse_vote_lists
from tests.factories import ActorFactory, TreatyFactory

pytestmark = pytest.mark.django_db

MEMBERS = [
    ("RUS", "Russian Federation"),
    ("TUR", "Türkiye"),
    ("PRK", "Democratic People's Republic of Korea"),
    ("KOR", "Republic of Korea"),
    ("IRN", "Iran (Islamic Republic of)"),
    ("CIV", "Côte d'Ivoire"),
    ("USA", "United States of America"),
    ("GBR", "United Kingdom of Great Britain and Northern Ireland"),
    ("CZE", "Czechia"),
    ("VNM", "Viet Nam"),
    ("LAO", "Lao People's Democratic Republic"),
    ("COG", "Congo"),
    ("COD", "Democratic Republic of the Congo"),
    ("FSM", "Micronesia (Federated States of)"),
    ("DZA", "Algeria"),
    ("AFG", "Afghanistan"),
]


@pytest.fixture
def members():
    return {
        code: ActorFactory(code=code, name=name, kind=Actor.Kind.MEMBER_STATE)
        for code, name in MEMBERS
    }


def test_normalise_folds_case_accents_punctuation_and_a_leading_the():
    assert normalise("  Côte d’Ivoire ") == normalise("cote d'ivoire") == "cote divoire"
    assert normalise("The Gambia") == "gambia"
    assert normalise("TÜRKIYE") == "turkiye"


@pytest.mark.parametrize(
    ("printed", "code"),
    [
        ("Russia", "RUS"),
        ("Russian Federation", "RUS"),
        ("Turkey", "TUR"),
        ("Türkiye", "TUR"),
        ("Turkiye", "TUR"),
        ("DPRK", "PRK"),
        ("Democratic People’s Republic of Korea", "PRK"),
        ("Republic of Korea", "KOR"),
        ("Iran", "IRN"),
        ("Iran (Islamic Republic of)", "IRN"),
        ("Cote d'Ivoire", "CIV"),
        ("United States", "USA"),
        ("USA", "USA"),
        ("United Kingdom", "GBR"),
        ("Czech Republic", "CZE"),
        ("Vietnam", "VNM"),
        ("Lao PDR", "LAO"),
        ("Micronesia", "FSM"),
        ("DR Congo", "COD"),
        ("Congo", "COG"),
    ],
)
def test_variants_match_the_member(members, printed, code):
    index = NameIndex(list(members.values()))
    assert index.find(printed) == members[code]


def test_unknown_names_do_not_match(members):
    index = NameIndex(list(members.values()))
    assert index.find("Atlantis") is None
    assert index.find("Korea") is None  # ambiguous: neither Korea


def test_extra_aliases_are_the_seam_for_stored_aliases(members):
    index = NameIndex(
        list(members.values()), extra_aliases=[("Rossiya", members["RUS"])]
    )
    assert index.find("rossiya") == members["RUS"]


COVERAGE = """The draft resolution was adopted by a recorded vote of 3 in favour to 2
against, with 2 abstentions, as follows:

In favour: Algeria, Russia, DPRK.

Against: United States, United Kingdom.

Abstaining: Türkiye, Atlantis.
"""


def test_parse_meeting_coverage_lists():
    assert parse_vote_lists(COVERAGE) == [
        ("yes", "Algeria"),
        ("yes", "Russia"),
        ("yes", "DPRK"),
        ("no", "United States"),
        ("no", "United Kingdom"),
        ("abstain", "Türkiye"),
        ("abstain", "Atlantis"),
    ]


def test_parse_markdown_lists_with_counts_and_semicolons():
    text = "- **In favour (2):** Iran; Viet Nam\n- **Against (1):** Czechia"
    assert parse_vote_lists(text) == [
        ("yes", "Iran"),
        ("yes", "Viet Nam"),
        ("no", "Czechia"),
    ]


def test_match_returns_ballots_unmatched_names_and_non_voting_members(members):
    match = match_vote_lists(COVERAGE, members=list(members.values()))
    assert match.ballots == {
        members["DZA"]: "yes",
        members["RUS"]: "yes",
        members["PRK"]: "yes",
        members["USA"]: "no",
        members["GBR"]: "no",
        members["TUR"]: "abstain",
    }
    assert match.unmatched == [("abstain", "Atlantis")]
    assert not match.ok
    expected_absent = {c for c, _ in MEMBERS} - {
        "DZA",
        "RUS",
        "PRK",
        "USA",
        "GBR",
        "TUR",
    }
    assert {a.code for a in match.non_voting} == expected_absent
    assert match.totals == {"yes": 3, "no": 2, "abstain": 1, "non_voting": 10}


def test_an_actor_in_two_lists_is_a_conflict(members):
    match = match_vote_lists(
        "In favour: Russia. Against: Russian Federation.",
        members=list(members.values()),
    )
    assert match.conflicts == [(members["RUS"], ["yes", "no"])]
    assert not match.ok


def test_the_match_saves_through_ballots_set(members):
    vote = acts.vote_create(
        treaty=TreatyFactory(),
        body="General Assembly",
        date="2019-12-27",
        title="A test vote",
        question="Adopt the resolution.",
    )
    match = match_vote_lists(
        "In favour: Algeria, Russia. Against: USA.", members=list(members.values())
    )
    counts = acts.ballots_set(vote=vote, choices=match.choices_with_non_voting())
    assert counts == {"added": len(MEMBERS), "changed": 0, "removed": 0}
    assert Ballot.objects.filter(vote=vote, choice="non_voting").count() == 13
    # Setting the same choices again changes nothing; one change is one update.
    assert acts.ballots_set(vote=vote, choices=match.choices_with_non_voting()) == {
        "added": 0,
        "changed": 0,
        "removed": 0,
    }
    choices = match.choices_with_non_voting()
    choices[members["USA"]] = "abstain"
    del choices[members["AFG"]]
    assert acts.ballots_set(vote=vote, choices=choices) == {
        "added": 0,
        "changed": 1,
        "removed": 1,
    }


def test_ballots_set_refuses_an_unknown_choice_and_writes_nothing(members):
    from django.core.exceptions import ValidationError

    vote = acts.vote_create(
        treaty=TreatyFactory(),
        body="General Assembly",
        date="2019-12-27",
        title="A test vote",
        question="Adopt the resolution.",
    )
    with pytest.raises(ValidationError):
        acts.ballots_set(
            vote=vote, choices={members["RUS"]: "yes", members["USA"]: "maybe"}
        )
    assert not Ballot.objects.filter(vote=vote).exists()
