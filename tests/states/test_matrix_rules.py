"""The matrix rules (DESIGN §3–§4) as pure functions: no database."""

import datetime

from states.matrix.rules import (
    Cell,
    MembershipFacts,
    PositionFacts,
    StatementFacts,
    attributions,
    cells_as_of,
    changes,
    matrix,
    select_rows,
    speaks_for,
    stances_of,
    totals,
)

D = datetime.date
S1 = D(2022, 2, 28)
S2 = D(2022, 5, 30)
S3 = D(2022, 8, 29)


def statement(id, number, speaker, **kw):
    start = {1: S1, 2: S2, 3: S3}[number]
    return StatementFacts(
        id=id, session_number=number, session_start=start, speaker=speaker, **kw
    )


def position(id, statement_id, provision, stance, status="published"):
    return PositionFacts(
        id=id,
        statement_id=statement_id,
        provision=provision,
        stance=stance,
        status=status,
    )


def cells(statements, positions, memberships=(), number=3):
    return cells_as_of(attributions(statements, positions, memberships), number)


def test_statement_speaks_for_speaker_co_signers_and_group_members_on_its_date():
    members = [
        MembershipFacts("FRA", "eu", D(1958, 1, 1)),
        MembershipFacts("GBR", "eu", D(1973, 1, 1), D(2020, 1, 31)),
        MembershipFacts("HRV", "eu", D(2013, 7, 1)),
    ]
    joint = statement(1, 1, "EU", co_signers=("NOR",), on_behalf_of="eu")
    assert speaks_for(joint, members) == {
        "EU": None,
        "NOR": None,
        "FRA": "eu",
        "HRV": "eu",
    }


def test_supporters_are_direct_like_co_signers_even_when_group_members():
    members = [MembershipFacts("FRA", "eu", D(1958, 1, 1))]
    backed = statement(
        1, 1, "JPN", co_signers=("AUS",), supporters=("FRA", "CAN"), on_behalf_of="eu"
    )
    assert speaks_for(backed, members) == {
        "JPN": None,
        "AUS": None,
        "FRA": None,
        "CAN": None,
    }


def test_a_supporters_direct_position_beats_an_inherited_one_in_the_session():
    members = [MembershipFacts("FRA", "eu", D(1958, 1, 1))]
    by_group = statement(1, 1, "EU", on_behalf_of="eu")
    backed = statement(2, 1, "JPN", supporters=("FRA",))
    grid = cells(
        [by_group, backed],
        [position(20, 1, 7, "oppose"), position(10, 2, 7, "support")],
        members,
    )
    assert grid[("FRA", 7)] == Cell("support", 10, 2, since=1, via=None)


def test_membership_covers_its_start_and_end_days_only():
    members = [MembershipFacts("AAA", "g", D(2022, 3, 1), D(2022, 3, 10))]
    on = lambda day: set(  # noqa: E731
        speaks_for(statement(1, 1, "X", date=day, on_behalf_of="g"), members)
    )
    assert "AAA" not in on(D(2022, 2, 28))
    assert "AAA" in on(D(2022, 3, 1))
    assert "AAA" in on(D(2022, 3, 10))
    assert "AAA" not in on(D(2022, 3, 11))


def test_effective_date_is_the_session_start_when_the_statement_has_no_date():
    members = [MembershipFacts("AAA", "g", S1)]
    undated = statement(1, 1, "X", on_behalf_of="g")
    assert "AAA" in speaks_for(undated, members)
    late_member = [MembershipFacts("AAA", "g", S1 + datetime.timedelta(days=1))]
    assert "AAA" not in speaks_for(undated, late_member)


def test_actor_both_speaker_and_member_is_direct():
    members = [MembershipFacts("JAM", "caricom", D(1973, 8, 1))]
    result = cells(
        [statement(1, 1, "JAM", on_behalf_of="caricom")],
        [position(10, 1, 7, "support")],
        members,
    )
    assert result[("JAM", 7)].via is None


def test_later_session_wins_over_earlier_one():
    result = cells(
        [statement(1, 1, "AAA"), statement(2, 2, "AAA")],
        [position(10, 1, 7, "support"), position(5, 2, 7, "oppose")],
    )
    assert result[("AAA", 7)].stance == "oppose"
    assert result[("AAA", 7)].since == 2


def test_later_effective_date_wins_within_a_session():
    result = cells(
        [
            statement(1, 2, "AAA", date=D(2022, 6, 3)),
            statement(2, 2, "AAA", date=D(2022, 6, 1)),
        ],
        [position(10, 1, 7, "support"), position(20, 2, 7, "oppose")],
    )
    assert result[("AAA", 7)].position == 10


def test_inherited_position_loses_to_direct_one_in_same_session():
    members = [MembershipFacts("AAA", "g", D(2000, 1, 1))]
    result = cells(
        [statement(1, 2, "AAA"), statement(2, 2, "BBB", on_behalf_of="g")],
        [position(10, 1, 7, "support"), position(20, 2, 7, "oppose")],
        members,
    )
    assert result[("AAA", 7)].stance == "support"
    assert result[("AAA", 7)].via is None
    assert result[("BBB", 7)].stance == "oppose"


def test_inherited_position_on_a_later_date_wins_over_direct_one():
    members = [MembershipFacts("AAA", "g", D(2000, 1, 1))]
    result = cells(
        [
            statement(1, 2, "AAA", date=D(2022, 6, 1)),
            statement(2, 2, "BBB", date=D(2022, 6, 2), on_behalf_of="g"),
        ],
        [position(10, 1, 7, "support"), position(20, 2, 7, "oppose")],
        members,
    )
    assert result[("AAA", 7)].stance == "oppose"
    assert result[("AAA", 7)].via == "g"


def test_higher_position_id_breaks_the_last_tie():
    result = cells(
        [statement(1, 2, "AAA"), statement(2, 2, "AAA")],
        [position(30, 1, 7, "support"), position(20, 2, 7, "oppose")],
    )
    assert result[("AAA", 7)].position == 30


def test_unpublished_positions_and_statements_do_not_count():
    result = cells(
        [statement(1, 1, "AAA"), statement(2, 2, "AAA", status="draft")],
        [
            position(10, 1, 7, "support"),
            position(11, 1, 8, "oppose", status="draft"),
            position(20, 2, 7, "oppose"),
        ],
    )
    assert result == {
        ("AAA", 7): cells_as_of(
            attributions([statement(1, 1, "AAA")], [position(10, 1, 7, "support")], []),
            3,
        )[("AAA", 7)]
    }
    assert ("AAA", 8) not in result


def test_as_of_an_earlier_session_ignores_later_statements():
    facts = (
        [statement(1, 1, "AAA"), statement(2, 3, "AAA")],
        [position(10, 1, 7, "support"), position(20, 2, 7, "oppose")],
    )
    assert cells(*facts, number=2)[("AAA", 7)].stance == "support"
    assert cells(*facts, number=3)[("AAA", 7)].stance == "oppose"
    assert cells(*facts, number=0) == {}


def test_rows_include_actors_without_position_and_totals_count_them():
    everything = attributions(
        [statement(1, 1, "AAA")], [position(10, 1, 7, "support")], []
    )
    result = matrix(everything, 1, ["AAA", "BBB", "CCC"], [7, 8])
    assert result.totals[7] == {
        "support": 1,
        "support_with_changes": 0,
        "undecided": 0,
        "oppose": 0,
        "no_position": 2,
    }
    assert result.totals[8]["no_position"] == 3
    assert set(result.cells) == {("AAA", 7)}


def test_select_rows_by_kind_group_on_day_and_codes():
    actors = [
        ("AAA", "member_state"),
        ("BBB", "member_state"),
        ("HRW", "civil_society"),
        ("EU", "regional_org"),
    ]
    members = [
        MembershipFacts("AAA", "g", D(2000, 1, 1)),
        MembershipFacts("BBB", "g", D(2023, 1, 1)),
    ]
    parties = ("member_state", "observer_state", "regional_org")
    assert select_rows(actors, kinds=parties) == ["AAA", "BBB", "EU"]
    assert select_rows(
        actors, kinds=parties, memberships=members, group="g", day=D(2022, 1, 1)
    ) == ["AAA"]
    assert select_rows(actors, kinds=("civil_society",), codes=("HRW", "AAA")) == [
        "HRW"
    ]


def test_changes_include_appearing_disappearing_and_moving_but_not_unchanged():
    before = cells(
        [statement(1, 1, "AAA"), statement(2, 1, "BBB"), statement(3, 1, "CCC")],
        [
            position(10, 1, 7, "support"),
            position(11, 2, 7, "oppose"),
            position(12, 3, 7, "undecided"),
        ],
        number=1,
    )
    after = dict(before)
    after[("AAA", 7)] = Cell(stance="oppose", position=99, statement=9, since=2)
    del after[("BBB", 7)]
    after[("DDD", 7)] = after[("AAA", 7)]
    result = changes(
        stances_of(before), stances_of(after), ["AAA", "BBB", "CCC", "DDD"], [7]
    )
    assert result == [
        {"actor": "AAA", "provision": 7, "before": "support", "after": "oppose"},
        {"actor": "BBB", "provision": 7, "before": "oppose", "after": None},
        {"actor": "DDD", "provision": 7, "before": None, "after": "oppose"},
    ]


def test_same_stance_from_a_new_statement_is_not_a_change():
    before = cells([statement(1, 1, "AAA")], [position(10, 1, 7, "support")], number=1)
    after = cells(
        [statement(1, 1, "AAA"), statement(2, 2, "AAA")],
        [position(10, 1, 7, "support"), position(20, 2, 7, "support")],
        number=2,
    )
    assert changes(stances_of(before), stances_of(after), ["AAA"], [7]) == []


def test_totals_ignore_cells_outside_the_rows():
    everything = cells([statement(1, 1, "AAA")], [position(10, 1, 7, "oppose")])
    assert totals(["BBB"], [7], everything)[7]["oppose"] == 0
    assert totals(["BBB"], [7], everything)[7]["no_position"] == 1
