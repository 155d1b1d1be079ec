"""The count toward entry into force, on built cases: parties, the regional-
organization rule, the projected date and the days left to sign."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from states import acts
from states.models import Actor, Status, TreatyAction
from states.treaty_status import (
    Act,
    counted_instruments,
    days_left_to_sign,
    parties,
    projected_entry_into_force,
    signatories,
    treaty_status,
)
from tests.factories import ActorFactory, TreatyFactory

D = datetime.date
STATE = Actor.Kind.MEMBER_STATE
REIO = Actor.Kind.REGIONAL_ORG
Kind = TreatyAction.Kind


JAN_1 = D(2026, 1, 1)


def ratifications(count, *, start=JAN_1, kind=STATE, first_id=1):
    """`count` ratifications by distinct actors, one a day from `start`."""
    return [
        Act(first_id + i, kind, Kind.RATIFICATION, start + datetime.timedelta(days=i))
        for i in range(count)
    ]


def test_no_projected_date_below_the_threshold():
    counted = counted_instruments(ratifications(39), regional_orgs_count=False)
    assert len(counted) == 39
    assert projected_entry_into_force(counted, threshold=40, delay_days=90) is None


def test_projected_date_is_the_fortieth_instrument_plus_ninety_days():
    acts_ = ratifications(45)
    counted = counted_instruments(acts_, regional_orgs_count=False)
    fortieth = D(2026, 1, 1) + datetime.timedelta(days=39)  # 9 Feb 2026
    assert counted[39].date == fortieth
    assert projected_entry_into_force(
        counted, threshold=40, delay_days=90
    ) == fortieth + datetime.timedelta(days=90)
    assert projected_entry_into_force(counted, threshold=40, delay_days=90) == D(
        2026, 5, 10
    )


def test_a_regional_organization_does_not_count_unless_the_treaty_says_so():
    # 39 states, and the EU deposits on day 10: it must not be the 40th.
    acts_ = ratifications(39) + [Act(999, REIO, Kind.APPROVAL, D(2026, 1, 10))]
    not_counted = counted_instruments(acts_, regional_orgs_count=False)
    assert len(not_counted) == 39
    assert 999 in parties(acts_)  # still a party
    assert projected_entry_into_force(not_counted, threshold=40, delay_days=90) is None
    counted = counted_instruments(acts_, regional_orgs_count=True)
    assert len(counted) == 40
    # The 40th counted instrument is now the last state's, on 8 Feb.
    assert projected_entry_into_force(counted, threshold=40, delay_days=90) == D(
        2026, 2, 8
    ) + datetime.timedelta(days=90)


def test_a_withdrawal_ends_party_status_and_a_later_accession_restores_it():
    acts_ = [
        Act(1, STATE, Kind.RATIFICATION, D(2026, 1, 1)),
        Act(1, STATE, Kind.WITHDRAWAL, D(2026, 6, 1)),
        Act(2, STATE, Kind.ACCESSION, D(2026, 2, 1)),
        Act(3, STATE, Kind.RATIFICATION, D(2026, 1, 1)),
        Act(3, STATE, Kind.WITHDRAWAL, D(2026, 3, 1)),
        Act(3, STATE, Kind.ACCESSION, D(2026, 4, 1)),
    ]
    found = parties(acts_)
    assert set(found) == {2, 3}
    assert found[3].date == D(2026, 4, 1)  # counted from its accession


def test_signatures_and_domestic_approvals_make_no_party():
    acts_ = [
        Act(1, STATE, Kind.SIGNATURE, D(2025, 10, 25)),
        Act(1, STATE, Kind.DOMESTIC_APPROVAL, D(2026, 2, 10)),
        Act(2, STATE, Kind.SIGNATURE, D(2025, 10, 26)),
    ]
    assert parties(acts_) == {}
    assert signatories(acts_) == {1: D(2025, 10, 25), 2: D(2025, 10, 26)}


def test_one_instrument_per_party_even_with_two_kinds():
    acts_ = [
        Act(1, STATE, Kind.RATIFICATION, D(2026, 1, 1)),
        Act(1, STATE, Kind.ACCEPTANCE, D(2026, 2, 1)),
    ]
    assert len(counted_instruments(acts_, regional_orgs_count=False)) == 1


@pytest.mark.parametrize(
    ("today", "left"),
    [
        (D(2025, 10, 1), None),  # not open yet
        (D(2026, 12, 1), 31),
        (D(2026, 12, 31), 1),  # the last day
        (D(2027, 1, 1), 0),
    ],
)
def test_days_left_to_sign(today, left):
    assert (
        days_left_to_sign(
            opens_on=D(2025, 10, 25), closes_on=D(2026, 12, 31), today=today
        )
        == left
    )


# On stored rows ----------------------------------------------------------------


@pytest.fixture
def user():
    return get_user_model().objects.create_user("editor", password="x")


def _treaty(**fields):
    return TreatyFactory(
        signature_opens_on=D(2025, 10, 25),
        signature_closes_on=D(2026, 12, 31),
        entry_into_force_threshold=2,
        entry_into_force_delay_days=90,
        **fields,
    )


def _published(user, treaty, actor, kind, date):
    action = acts.treaty_action_create(
        user=user,
        treaty=treaty,
        actor=actor,
        kind=kind,
        date=date,
        sources=["https://treaties.un.org/"],
        verification="verified",
    )
    return acts.treaty_action_publish(action=action, user=user)


@pytest.mark.django_db
def test_stored_status_counts_published_actions_and_leaves_out_the_eu(user):
    treaty = _treaty()
    eu = ActorFactory(kind=REIO)
    a, b = ActorFactory(kind=STATE), ActorFactory(kind=STATE)
    _published(user, treaty, eu, Kind.APPROVAL, D(2026, 1, 5))
    _published(user, treaty, a, Kind.RATIFICATION, D(2026, 1, 10))
    # A draft does not count for the public.
    acts.treaty_action_create(
        user=user, treaty=treaty, actor=b, kind=Kind.RATIFICATION, date=D(2026, 1, 20)
    )
    status = treaty_status(treaty, today=D(2026, 12, 1))
    assert set(status.parties) == {eu.pk, a.pk}
    assert status.counted_count == 1
    assert status.projected_entry_into_force is None
    assert status.remaining_to_threshold == 1
    assert status.days_left_to_sign == 31
    assert status.status_of(eu.pk) == "party"
    assert status.status_of(b.pk) == "none"
    editors_view = treaty_status(treaty, published_only=False, today=D(2026, 12, 1))
    assert editors_view.projected_entry_into_force == D(
        2026, 1, 20
    ) + datetime.timedelta(days=90)


@pytest.mark.django_db
def test_actions_are_drafts_until_published_and_need_a_source(user):
    treaty = _treaty()
    actor = ActorFactory()
    with pytest.raises(ValidationError):
        acts.treaty_action_create(
            user=user,
            treaty=treaty,
            actor=actor,
            kind=Kind.SIGNATURE,
            date=D(2025, 10, 25),
            status=Status.PUBLISHED,
        )
    action = acts.treaty_action_create(
        user=user, treaty=treaty, actor=actor, kind=Kind.SIGNATURE, date=D(2025, 10, 25)
    )
    with pytest.raises(ValidationError):
        acts.treaty_action_publish(action=action, user=user)
    with pytest.raises(ValidationError):
        acts.treaty_action_update(action=action, user=user, status=Status.PUBLISHED)
    action = acts.treaty_action_update(
        action=action, user=user, sources=["https://treaties.un.org/"]
    )
    assert acts.treaty_action_publish(action=action, user=user).status == "published"
    # Published, it is locked for all but reviewers (and the system, user None).
    with pytest.raises(PermissionDenied):
        acts.treaty_action_update(action=action, user=user, text="Changed")
    with pytest.raises(ValidationError):
        acts.treaty_action_update(action=action, user=None, sources="not a list")


@pytest.mark.django_db
def test_month_precision_dates_are_the_first_of_the_month(user):
    with pytest.raises(ValidationError):
        acts.treaty_action_create(
            user=user,
            treaty=_treaty(),
            actor=ActorFactory(),
            kind=Kind.SIGNATURE,
            date=D(2026, 7, 15),
            date_precision="month",
        )
