from __future__ import annotations

import random

from assistant.agents.diff import apply, changes, word_diff


def test_a_one_word_fix_is_one_small_change() -> None:
    segments = word_diff("I recieved teh letter today.", "I received the letter today.")
    found = changes(segments)
    assert [(c.kind, c.old, c.new) for c in found] == [("replace", "recieved teh", "received the")]
    assert apply(segments, {0}) == "I received the letter today."
    assert apply(segments, set()) == "I recieved teh letter today."


def test_separate_changes_can_be_accepted_one_by_one() -> None:
    old = "The cat sat on the mat. It was happy."
    new = "The dog sat on the mat. It was very happy!"
    segments = word_diff(old, new)
    found = changes(segments)
    assert [c.kind for c in found] == ["replace", "insert", "replace"]
    assert apply(segments, {0}) == "The dog sat on the mat. It was happy."
    assert apply(segments, {1, 2}) == "The cat sat on the mat. It was very happy!"


def test_all_accepted_gives_the_new_text_and_none_the_old_for_random_pairs() -> None:
    rng = random.Random(7)
    words = ["alpha", "beta", "gamma", "delta", ",", ".", " ", "\n", "x", "long-word", "é", "42"]
    for _ in range(300):
        old = "".join(rng.choice(words) + rng.choice(["", " "]) for _ in range(rng.randint(0, 25)))
        new = "".join(rng.choice(words) + rng.choice(["", " "]) for _ in range(rng.randint(0, 25)))
        segments = word_diff(old, new)
        every = {c.index for c in changes(segments)}
        assert apply(segments, every) == new
        assert apply(segments, set()) == old
        assert [c.index for c in changes(segments)] == list(range(len(every)))


def test_identical_texts_have_no_changes() -> None:
    assert changes(word_diff("same text", "same text")) == []
