"""Matching printed names to actors, and pasted vote lists to ballots."""

import pytest

from states import acts
from states.models import Actor, ActorAlias, Ballot
from states.names import (
    NameIndex,
    match_vote_lists,
    name_index_for,
    normalise,
    parse_vote_lists,
    stored_aliases,
)
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


# Building the standard index: the actors, then their stored aliases.
NAME_INDEX_QUERIES = 2


def test_the_standard_index_matches_every_stored_alias(
    members, django_assert_num_queries
):
    ActorAlias.objects.create(actor=members["RUS"], alias="Rossiya")
    ActorAlias.objects.create(actor=members["TUR"], alias="Republic of Türkiye")
    ActorAlias.objects.create(actor=members["PRK"], alias="N. Korea")
    with django_assert_num_queries(NAME_INDEX_QUERIES):
        index = name_index_for()
    assert index.find("ROSSIYA") == members["RUS"]
    assert index.find("Republic of Turkiye") == members["TUR"]  # accents folded
    assert index.find("N Korea") == members["PRK"]  # punctuation folded
    # The common variants and the names still match beside the stored aliases.
    assert index.find("Russia") == index.find("Russian Federation") == members["RUS"]
    assert index.find("Turkey") == index.find("Türkiye") == members["TUR"]
    assert index.find("DPRK") == members["PRK"]


def test_an_alias_an_editor_adds_matches_from_then_on(members):
    assert name_index_for().find("Rossiya") is None
    ActorAlias.objects.create(actor=members["RUS"], alias="Rossiya")
    assert name_index_for().find("Rossiya") == members["RUS"]


def test_a_stored_alias_wins_over_a_common_variant_but_never_over_a_name(members):
    # The module's table says "Congo" names nobody and "Republic of the Congo" is
    # COG; an editor who stored it for COD on purpose is followed.
    ActorAlias.objects.create(actor=members["COD"], alias="Republic of the Congo")
    ActorAlias.objects.create(actor=members["COD"], alias="Algeria")
    index = name_index_for()
    assert index.find("Republic of the Congo") == members["COD"]
    assert index.find("Algeria") == members["DZA"]


def test_an_index_of_some_actors_takes_only_their_aliases(members):
    ActorAlias.objects.create(actor=members["RUS"], alias="Rossiya")
    ActorAlias.objects.create(actor=members["USA"], alias="Amerika")
    chosen = [members["USA"], members["GBR"]]
    assert stored_aliases(chosen) == [("Amerika", members["USA"])]
    index = name_index_for(chosen)
    assert index.find("Rossiya") is None
    assert index.find("Amerika") is chosen[0]  # the caller's own instance


def test_the_pasted_vote_matcher_uses_the_stored_aliases(members):
    ActorAlias.objects.create(actor=members["VNM"], alias="Vietnam, Socialist Rep.")
    ActorAlias.objects.create(actor=members["LAO"], alias="Laos PDR")
    match = match_vote_lists(
        "In favour: Laos PDR; Vietnam, Socialist Rep.", members=list(members.values())
    )
    assert match.ballots == {members["LAO"]: "yes", members["VNM"]: "yes"}
    assert match.ok


def test_an_alias_is_stored_once_in_any_case(members):
    from django.core.exceptions import ValidationError

    from states.names import actor_alias_create

    row = actor_alias_create(actor=members["RUS"], alias="  Rossiya   Federatsiya ")
    assert row.alias == "Rossiya Federatsiya"
    with pytest.raises(ValidationError, match="already names an actor"):
        actor_alias_create(actor=members["USA"], alias="ROSSIYA FEDERATSIYA")
    assert name_index_for().find("rossiya federatsiya") == members["RUS"]


def test_one_actor_printed_twice_under_one_choice_is_a_duplicate(members):
    match = match_vote_lists(
        "In favour: Russia, Algeria, Russian Federation. Against: USA.",
        members=list(members.values()),
    )
    assert match.duplicates == [(members["RUS"], ["Russia", "Russian Federation"])]
    assert not match.conflicts
    assert not match.ok


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
