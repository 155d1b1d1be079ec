"""The demo's formal acts: both recorded votes with every member's ballot, the
sponsors, the signatures and ratification steps, adoption and the entry-into-force
rule, as ahc-facts-2.md and ahc-facts.md give them."""

import datetime

import pytest
from django.db.models import Max

from demo import data
from demo.loader import demo_load
from provisions.models import Treaty
from states.models import Actor, Ballot, TreatyAction, Vote, VoteSponsor
from states.treaty_status import treaty_status, vote_totals

pytestmark = pytest.mark.django_db

D = datetime.date


def vote(symbol):
    return Vote.objects.get(document_symbol=symbol)


def codes(queryset):
    return sorted(queryset.values_list("actor__code", flat=True))


@pytest.mark.parametrize(
    ("symbol", "expected"),
    [
        # §2.1: the official totals, and the members the dataset has no vote for.
        ("A/RES/73/187", {"yes": 94, "no": 59, "abstain": 33, "non_voting": 7}),
        ("A/RES/74/247", {"yes": 79, "no": 60, "abstain": 33, "non_voting": 21}),
    ],
)
def test_recorded_votes_match_the_official_totals(demo, symbol, expected):
    assert vote_totals(vote(symbol)) == expected
    ballots = Ballot.objects.filter(vote=vote(symbol))
    assert ballots.count() == 193
    assert set(ballots.values_list("actor__kind", flat=True)) == {"member_state"}


def test_named_ballots_from_the_country_lists(demo):
    v2019, v2018 = vote("A/RES/74/247"), vote("A/RES/73/187")

    def choice(v, code):
        return Ballot.objects.get(vote=v, actor__code=code).choice

    assert choice(v2019, "USA") == "no"
    assert choice(v2019, "PRK") == "yes"
    assert choice(v2019, "TUR") == "abstain"
    assert choice(v2019, "AGO") == "non_voting"
    assert choice(v2019, "SRB") == "yes"  # the dataset's "Yugoslavia"
    # §2.5: Belize moved from yes to no, Solomon Islands from no to abstain.
    assert (choice(v2018, "BLZ"), choice(v2019, "BLZ")) == ("yes", "no")
    assert (choice(v2018, "SLB"), choice(v2019, "SLB")) == ("no", "abstain")


def test_sponsors_of_74_247_and_how_the_co_sponsors_voted(demo):
    v = vote("A/RES/74/247")
    sponsors = VoteSponsor.objects.filter(vote=v, role="sponsor")
    assert codes(sponsors) == sorted(
        ["BLR", "KHM", "CHN", "PRK", "MMR", "NIC", "RUS", "VEN"]
    )
    co = VoteSponsor.objects.filter(vote=v, role="co_sponsor")
    assert co.count() == 47
    # §2.2 row 9: 42 of the 47 voted yes, Bolivia abstained, four cast no vote.
    ballots = Ballot.objects.filter(vote=v, actor__in=co.values("actor"))
    assert ballots.filter(choice="yes").count() == 42
    assert codes(ballots.filter(choice="abstain")) == ["BOL"]
    assert codes(ballots.filter(choice="non_voting")) == ["AGO", "BEN", "COG", "SWZ"]
    assert not VoteSponsor.objects.filter(vote=vote("A/RES/73/187")).exists()


def test_treaty_adoption_signature_period_and_entry_into_force_rule(demo):
    treaty = Treaty.objects.get(slug="un-cybercrime")
    assert treaty.adopted_on == D(2024, 12, 24)
    assert treaty.signature_opens_on == D(2025, 10, 25)
    assert treaty.signature_closes_on == D(2026, 12, 31)
    assert treaty.entry_into_force_threshold == 40
    assert treaty.entry_into_force_delay_days == 90
    assert treaty.regional_orgs_count is False


def test_signatures_and_ratification_steps_with_their_verification(demo):
    actions = TreatyAction.objects.filter(treaty__slug="un-cybercrime")
    signatures = actions.filter(kind="signature")
    # §6: 64 names confirmed (the notes say 65), 4 more [P], the UAE [P],
    # Mauritius after Hanoi, Canada in July 2026 [P].
    assert signatures.count() == 71
    assert signatures.filter(verification="verified").count() == 65
    assert codes(signatures.filter(verification="partly_verified")) == sorted(
        ["SWE", "GBR", "VEN", "VNM", "ARE", "CAN"]
    )
    assert signatures.filter(date=D(2025, 10, 26)).count() == 3
    canada = signatures.get(actor__code="CAN")
    assert (canada.date, canada.date_precision) == (D(2026, 7, 1), "month")
    assert codes(actions.filter(kind="domestic_approval")) == ["AZE", "AZE"]
    assert not actions.filter(kind__in=TreatyAction.INSTRUMENTS).exists()
    assert set(actions.values_list("status", flat=True)) == {"published"}
    assert all(a.sources for a in actions)
    eu = signatures.get(actor__code="EU")
    assert eu.actor.kind == Actor.Kind.REGIONAL_ORG


def test_the_status_today(demo):
    treaty = Treaty.objects.get(slug="un-cybercrime")
    status = treaty_status(treaty, today=D(2026, 12, 1))
    assert len(status.signatories) == 71
    assert len(status.domestic_approvals) == 1
    assert status.counted_count == 0
    assert status.projected_entry_into_force is None
    assert status.days_left_to_sign == 31


def test_loading_twice_changes_nothing(demo):
    before = {
        model: model.objects.aggregate(latest=Max("updated_at"))["latest"]
        for model in (Treaty, Vote, Ballot, VoteSponsor, TreatyAction)
    }
    assert demo_load() == demo
    after = {
        model: model.objects.aggregate(latest=Max("updated_at"))["latest"]
        for model in before
    }
    assert after == before


def test_left_out_facts_are_listed():
    left_out = [r for r in data.rows("left_out.csv") if r["table"] == "formal_acts"]
    assert len(left_out) >= 5
    assert all(r["reason"].startswith("ahc-facts") for r in left_out)
