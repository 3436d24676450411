import pytest

from assistant.runtime.reasoning import ReasoningSplitter, split_reasoning

TEXT = "<think>plan: add 2 and 2</think>The answer is 4."


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 100])
def test_reasoning_is_kept_apart_however_the_tags_are_split(size: int) -> None:
    splitter = ReasoningSplitter()
    pieces = []
    for start in range(0, len(TEXT), size):
        pieces.extend(splitter.feed(TEXT[start : start + size]))
    pieces.extend(splitter.flush())
    answer = "".join(p.text for p in pieces if p.kind == "answer")
    thought = "".join(p.text for p in pieces if p.kind == "reasoning")
    assert (answer, thought) == ("The answer is 4.", "plan: add 2 and 2")


def test_text_without_tags_is_all_answer_and_a_lone_angle_bracket_survives() -> None:
    assert split_reasoning("1 < 2 and <b>bold</b>") == ("1 < 2 and <b>bold</b>", "")


def test_unfinished_reasoning_stays_reasoning() -> None:
    assert split_reasoning("<think>still thinking") == ("", "still thinking")


def test_answer_is_not_held_back_longer_than_a_possible_tag() -> None:
    splitter = ReasoningSplitter()
    assert [p.text for p in splitter.feed("Hello <th")] == ["Hello "]
    assert [p.text for p in splitter.feed("ere")] == ["<there"]
