from __future__ import annotations

import random

from assistant.agents.diff import Change, Segment, apply, changes, tokens, word_diff


def test_a_single_word_fix_is_one_small_change() -> None:
    segments = word_diff("I recieved the letter today.", "I received the letter today.")
    assert changes(segments) == [Change(0, "replace", "recieved", "received")]
    assert [s.text for s in segments] == ["I ", "recieved", " the letter today."]
    assert apply(segments, {0}) == "I received the letter today."
    assert apply(segments, set()) == "I recieved the letter today."


def test_two_fixes_one_space_apart_are_one_change() -> None:
    segments = word_diff("I recieved teh letter today.", "I received the letter today.")
    assert [(c.kind, c.old, c.new) for c in changes(segments)] == [("replace", "recieved teh", "received the")]


def test_separate_changes_can_be_accepted_one_by_one() -> None:
    old = "The cat sat on the mat. It was happy."
    new = "The dog sat on the mat. It was very happy!"
    segments = word_diff(old, new)
    found = changes(segments)
    assert [c.kind for c in found] == ["replace", "insert", "replace"]
    assert [c.index for c in found] == [0, 1, 2]
    assert apply(segments, {0}) == "The dog sat on the mat. It was happy."
    assert apply(segments, {1, 2}) == "The cat sat on the mat. It was very happy!"


def test_insertions_and_deletions_keep_their_whitespace() -> None:
    segments = word_diff("Once upon a time.", "Once upon a time. The end.")
    assert changes(segments) == [Change(0, "insert", "", " The end.")]
    segments = word_diff("It is very, very good.", "It is very good.")
    assert [(c.kind, c.old, c.new) for c in changes(segments)] == [("delete", ", very", "")]


def test_tokens_are_words_whitespace_runs_and_single_marks() -> None:
    assert tokens("Héllo,  wörld!\n\n42") == ["Héllo", ",", "  ", "wörld", "!", "\n\n", "42"]
    assert "".join(tokens("a\tb — c’d 🙂")) == "a\tb — c’d 🙂"


def test_all_accepted_gives_the_new_text_and_none_the_old_for_random_pairs() -> None:
    rng = random.Random(7)
    words = ["alpha", "beta", "gamma", "delta", ",", ".", " ", "\n", "\t", "x", "long-word", "é", "42", "🙂", "  "]
    for _ in range(500):
        old = "".join(rng.choice(words) + rng.choice(["", " "]) for _ in range(rng.randint(0, 25)))
        if rng.random() < 0.5:  # small edits of the same text, as a proofreader makes
            pieces = tokens(old)
            for _ in range(rng.randint(1, 4)):
                where = rng.randint(0, len(pieces))
                pieces[where : where + rng.randint(0, 2)] = [rng.choice(words) for _ in range(rng.randint(0, 2))]
            new = "".join(pieces)
        else:
            new = "".join(rng.choice(words) + rng.choice(["", " "]) for _ in range(rng.randint(0, 25)))
        segments = word_diff(old, new)
        found = changes(segments)
        every = {c.index for c in found}
        assert apply(segments, every) == new
        assert apply(segments, set()) == old
        assert [c.index for c in found] == list(range(len(found)))
        for change in found:
            assert change.old != change.new
            assert change.kind == ("replace" if change.old and change.new else "delete" if change.old else "insert")
        # Each change on its own touches only its own span.
        if found:
            one = rng.choice(found).index
            partial = apply(segments, {one})
            assert len(partial) == len(old) - len(found[one].old) + len(found[one].new)


def test_identical_and_empty_texts() -> None:
    assert changes(word_diff("same text", "same text")) == []
    assert word_diff("", "") == []
    assert word_diff("", "new") == [Segment("", Change(0, "insert", "", "new"))]
    assert apply(word_diff("old", ""), set()) == "old"
