from pages import charts


def test_stance_bar_splits_width_by_share_in_stance_order():
    bar = charts.stance_bar(
        {"support": 2, "oppose": 1, "no_position": 1}, width=100, height=10
    )
    assert [s.stance for s in bar.segments] == [
        "support",
        "support_with_changes",
        "undecided",
        "oppose",
        "no_position",
    ]
    widths = {s.stance: s.width for s in bar.segments}
    assert widths == {
        "support": 50,
        "support_with_changes": 0,
        "undecided": 0,
        "oppose": 25,
        "no_position": 25,
    }
    assert bar.segments[3].x == 50
    assert bar.total == 4
    assert "Support: 2" in bar.description and "(of 4)" in bar.description


def test_empty_bar_has_no_width_and_says_zero():
    bar = charts.stance_bar({})
    assert bar.total == 0
    assert all(s.width == 0 for s in bar.segments)


def test_trend_chart_stacks_columns_scaled_to_the_largest_session():
    chart = charts.trend_chart(
        [("S1", {"support": 1}), ("S2", {"support": 2, "oppose": 2})],
        width=200,
        height=118,
        label_height=18,
    )
    first, second = chart.columns
    assert chart.max_total == 4
    assert first.x < second.x
    (stance, y, h, n) = first.rects[0]
    assert (stance, n) == ("support", 1)
    assert h == (100 - 14) / 4
    assert sum(r[2] for r in second.rects) == 100 - 14
    assert (first.total, second.total) == (1, 4)
    assert "S2: support 2, support with changes 0, undecided 0, oppose 2" in (
        chart.description
    )


def test_trend_chart_without_sessions_describes_itself():
    chart = charts.trend_chart([])
    assert chart.columns == []
    assert "No session" in chart.description
