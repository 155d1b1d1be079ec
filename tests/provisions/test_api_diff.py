from hypothesis import given
from hypothesis import strategies as st

from provisions.diff import word_diff


def test_changed_word_is_a_delete_then_an_insert():
    assert word_diff("States shall act.", "States may act.") == [
        ("equal", "States "),
        ("delete", "shall"),
        ("insert", "may"),
        ("equal", " act."),
    ]


def test_identical_texts_are_one_equal_chunk():
    assert word_diff("Same text", "Same text") == [("equal", "Same text")]


def test_empty_old_text_is_all_inserted():
    assert word_diff("", "New") == [("insert", "New")]
    assert word_diff(None, "") == []


@given(st.text(max_size=60), st.text(max_size=60))
def test_chunks_rebuild_both_texts_and_never_repeat_an_op(old, new):
    chunks = word_diff(old, new)
    assert "".join(text for op, text in chunks if op != "insert") == old
    assert "".join(text for op, text in chunks if op != "delete") == new
    assert all(a[0] != b[0] for a, b in zip(chunks, chunks[1:], strict=False))
    assert all(text for _, text in chunks)
