"""The loop guard: exact thresholds, text that legitimately repeats, and every consumer keeping the cut text."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from assistant import cli, cli_models
from assistant.agents.chat import ChatAgent, Finished, Token
from assistant.agents.events import Stopped, stream_reply
from assistant.config import ModelSettings
from assistant.conversations import ConversationStore
from assistant.runtime.loop_guard import (
    CODE_COPIES,
    LINE_COPIES,
    MIN_LOOP_WORDS,
    REPETITION,
    REPETITION_NOTICE,
    TRIVIAL_LINE_COPIES,
    LoopGuard,
)
from assistant.runtime.types import ChatMessage
from tests.fakes import FakeRuntime

QUESTION: list[ChatMessage] = [{"role": "user", "content": "Write me a note."}]


def guarded(text: str, chunk: int | None = None) -> tuple[bool, str]:
    """Feed ``text`` as a model would stream it (word by word, or ``chunk`` characters at a time).

    Returns whether the guard tripped and the text it keeps, after checking that what it let
    through is exactly that text (nothing shown is ever taken back).
    """
    guard = LoopGuard()
    if chunk is None:
        pieces = re.findall(r"\s*\S+|\s+", text)
    else:
        pieces = [text[i : i + chunk] for i in range(0, len(text), chunk)]
    shown = []
    for piece in pieces:
        shown.append(guard.feed(piece))
        if guard.tripped:
            break
    else:
        shown.append(guard.finish())
    assert "".join(shown) == guard.kept
    return guard.tripped, guard.kept


# -- repeated lines -------------------------------------------------------------------


def test_a_line_may_come_twice_and_its_third_copy_stops_the_reply() -> None:
    note = "Dear Sam,\nThank you for watering my plants.\n"
    assert guarded(note + "Yours in the garden.\n" * (LINE_COPIES - 1) + "Best, Ana") == (
        False,
        note + "Yours in the garden.\nYours in the garden.\nBest, Ana",
    )
    assert guarded(note + "Yours in the garden.\n" * LINE_COPIES) == (True, note + "Yours in the garden.")


def test_forty_copies_of_a_line_keep_one() -> None:
    tripped, kept = guarded("Thank you!\n\n" + "Yours in the garden.\n\n" * 40)
    assert tripped and kept == "Thank you!\n\nYours in the garden."


def test_a_numbered_list_repeating_one_item_stops_after_the_first() -> None:
    items = "".join(f"{n}. Water the plants every morning.\n" for n in range(1, 20))
    assert guarded("Steps:\n" + items) == (True, "Steps:\n1. Water the plants every morning.")


def test_repeated_korean_lines_stop_the_reply() -> None:
    reply = "내일까지 보고서를 보내 주시겠어요?\n" + "감사합니다.\n" * 10
    assert guarded(reply, chunk=2) == (True, "내일까지 보고서를 보내 주시겠어요?\n감사합니다.")


def test_code_may_repeat_a_line_more_often_before_it_trips() -> None:
    head = "```python\nhandle = open_process(\n"
    legit = head + "    None,\n" * (CODE_COPIES - 1) + ")\n```\n"
    assert guarded(legit) == (False, legit)
    assert guarded(head + "    None,\n" * CODE_COPIES) == (True, head + "    None,")


# -- repeated runs of words -----------------------------------------------------------


def test_a_line_without_words_stops_the_reply_once_it_fills_a_dozen_lines() -> None:
    # The bundled model printed an empty code fence until its token limit.
    intro = "To do it:\n\n"
    assert guarded(intro + "```\n" * (TRIVIAL_LINE_COPIES - 1)) == (False, intro + "```\n" * (TRIVIAL_LINE_COPIES - 1))
    assert guarded(intro + "```\n" * 40) == (True, intro + "```")
    assert guarded(intro + "- `#`\n" * 40) == (True, intro + "- `#`")


def test_an_eight_word_phrase_may_come_twice_in_a_line_and_its_third_copy_trips() -> None:
    phrase = "I will always be grateful for your kind help. "
    assert guarded("Hi. " + phrase * 2 + "See you soon.") == (False, "Hi. " + phrase * 2 + "See you soon.")
    assert guarded("Hi. " + phrase * 3) == (True, "Hi. " + phrase.strip())


def test_a_short_unit_trips_only_once_it_fills_the_minimum_run() -> None:
    assert guarded("A: " * (MIN_LOOP_WORDS - 1)) == (False, "A: " * (MIN_LOOP_WORDS - 1))
    assert guarded("Answer: " + "A: " * MIN_LOOP_WORDS) == (True, "Answer: A:")


def test_repeated_korean_sentence_in_one_line_trips() -> None:
    sentence = "보고서를 내일까지 보내 주시면 정말 감사하겠습니다. "
    tripped, kept = guarded("네, 이렇게 쓰면 됩니다: " + sentence * 8, chunk=3)
    assert tripped and kept == "네, 이렇게 쓰면 됩니다: " + sentence.strip()


def test_japanese_without_spaces_trips_on_repeated_characters() -> None:
    tripped, kept = guarded("はい。" + "お手伝いできてうれしいです。" * 6, chunk=2)
    assert tripped and kept == "はい。お手伝いできてうれしいです。"


def test_the_kept_copy_ends_at_the_end_of_a_sentence() -> None:
    # The run of copies is first seen from mid-sentence ("the garden. Thank you for..."):
    # what is kept still ends where the sentence does.
    text = "Thank you for the garden. " * 8
    assert guarded(text, chunk=5) == (True, "Thank you for the garden.")


# -- text that repeats legitimately ---------------------------------------------------

LEGITIMATE = {
    "a list whose items begin alike": (
        "Before you leave:\n"
        "- Water the tomatoes in the morning.\n"
        "- Water the roses in the evening.\n"
        "- Water the basil every other day.\n"
        "- Water the ferns once a week.\n"
    ),
    "a table": (
        "| Plant | Water | Sun | Feed |\n| --- | --- | --- | --- |\n"
        "| Basil | daily | full | no |\n| Mint | daily | full | no |\n| Fern | weekly | shade | no |\n"
        "| Rose | daily | full | no |\n| Sage | daily | full | no |\n"
        "|" + " --- |" * 30 + "\n"
    ),
    "code with repeated lines": (
        "```python\ncall(\n    None,\n    None,\n    None,\n    [5, 256, 256, 1, False],\n"
        "    [5, 256, 256, 1, False],\n    [5, 256, 256, 1, False],\n    [5, 256, 256, 1, False],\n)\n"
        "for row in grid:\n    for cell in row:\n        if cell:\n            total += 1\n"
        "        else:\n            total += 0\n    }\n    }\n    }\n"
        "matrix = [\n    [0, 0, 0, 0, 0, 0, 0, 0],\n    [0, 0, 0, 0, 0, 0, 0, 0],\n"
        "    [0, 0, 0, 0, 0, 0, 0, 0],\n    [0, 0, 0, 0, 0, 0, 0, 0],\n]\n```\n"
    ),
    "nested closing tags": "<section>\n  <section>\n    <section>\n    </section>\n  </section>\n</section>\n",
    "a refrain sung twice": "Row, row, row your boat,\nGently down the stream.\n" * 2,
    "separator lines": "Part one.\n\n---\n\n---\n\n---\n\nPart two.\n****\n****\n****\n",
    "a Korean list": "준비물:\n- 보고서 초안\n- 보고서 요약\n- 보고서 발표 자료\n- 회의 일정\n",
}


@pytest.mark.parametrize("text", LEGITIMATE.values(), ids=LEGITIMATE.keys())
def test_legitimate_repetition_does_not_stop_the_reply(text: str) -> None:
    assert guarded(text) == (False, text)
    assert guarded(text, chunk=3) == (False, text)


@pytest.mark.parametrize("chunk", [1, 2, 7, 50])
def test_shown_text_never_needs_taking_back_however_the_stream_is_cut(chunk: int) -> None:
    # guarded() checks that the text let through equals the text kept, for every chunking.
    text = "Here is the note.\n- Thanks, neighbour!\n" + "- Yours in the garden.\n" * 5
    assert guarded(text, chunk) == (True, "Here is the note.\n- Thanks, neighbour!\n- Yours in the garden.")


# -- in the streaming step and its consumers -------------------------------------------


class RecordingRuntime(FakeRuntime):
    """The fake model, counting what it generated and whether the guard closed it early."""

    def __init__(self, replies: Sequence[str]) -> None:
        super().__init__(replies)
        self.generated = 0
        self.closed = False

    def stream(
        self,
        messages: Sequence[ChatMessage],
        cancel: threading.Event | None = None,
        max_tokens: int | None = None,
    ) -> Iterator[str]:
        self.generated = 0
        try:
            for piece in super().stream(messages, cancel, max_tokens):
                self.generated += 1
                yield piece
        except GeneratorExit:
            self.closed = True
            raise


LOOPING_REPLY = "Dear neighbour, thank you for watering my plants.\n" + "Yours in the garden.\n" * 40


def test_a_looping_reply_stops_generation_and_ends_with_the_kept_text() -> None:
    runtime = RecordingRuntime([LOOPING_REPLY])
    events = list(stream_reply(runtime, QUESTION))
    kept = "Dear neighbour, thank you for watering my plants.\nYours in the garden."
    assert events[-1] == Stopped(REPETITION, kept)
    assert "".join(e.text for e in events if isinstance(e, Token)) == kept
    assert runtime.closed and runtime.generated < len(LOOPING_REPLY.split(" ")) // 4


def test_a_reply_that_does_not_loop_streams_whole() -> None:
    reply = "Thank you so much for watering my plants.\nThey look wonderful.\n\nBest, Ana"
    events = list(stream_reply(RecordingRuntime([reply]), QUESTION))
    assert not any(isinstance(e, Stopped) for e in events)
    assert "".join(e.text for e in events if isinstance(e, Token)) == reply


def test_repeated_reasoning_is_not_cut() -> None:
    thinking = "Let me think.\n" * 5
    events = list(stream_reply(RecordingRuntime([f"<think>{thinking}</think>Paris."]), QUESTION))
    assert "".join(e.text for e in events if isinstance(e, Token) and e.reasoning) == thinking
    assert "".join(e.text for e in events if isinstance(e, Token) and not e.reasoning) == "Paris."
    assert not any(isinstance(e, Stopped) for e in events)


def test_chat_stores_the_reply_before_the_loop_and_remembers_why_it_stopped(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "c.sqlite3")
    cid = store.create().id
    events = list(ChatAgent(store, RecordingRuntime([LOOPING_REPLY])).send(cid, "Write a thank-you note."))
    done = events[-1]
    kept = "Dear neighbour, thank you for watering my plants.\nYours in the garden."
    assert isinstance(done, Finished) and done.stopped == REPETITION and done.text == kept
    assert done.message is not None and done.message.content == kept and done.message.stopped == REPETITION
    store.close()
    reply = ConversationStore(tmp_path / "c.sqlite3").messages(cid)[-1]  # after a restart
    assert reply.content == kept and reply.stopped == REPETITION and reply.complete


def test_chat_reply_that_ends_normally_is_not_marked_stopped(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "c.sqlite3")
    cid = store.create().id
    done = list(ChatAgent(store, RecordingRuntime(["All done."])).send(cid, "hi"))[-1]
    assert isinstance(done, Finished) and done.stopped == "" and done.message is not None
    assert done.message.stopped == ""


@pytest.fixture
def looping_model(monkeypatch: pytest.MonkeyPatch) -> RecordingRuntime:
    runtime = RecordingRuntime([LOOPING_REPLY])
    monkeypatch.setattr(cli_models, "load_for_command", lambda model, max_tokens: (runtime, ModelSettings()))
    return runtime


def test_chat_json_says_the_reply_was_stopped_for_repetition(
    looping_model: RecordingRuntime, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["chat", "--json", "Write a thank-you note."]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["stopped"] == "repetition"
    assert result["text"] == "Dear neighbour, thank you for watering my plants.\nYours in the garden."


def test_chat_prints_the_kept_text_and_the_notice(
    looping_model: RecordingRuntime, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["chat", "Write a thank-you note."]) == 0
    out, err = capsys.readouterr()
    assert out.count("Yours in the garden.") == 1 and REPETITION_NOTICE in err


def test_chat_json_stopped_is_null_when_the_reply_ends_normally(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    runtime = RecordingRuntime(["Hello there."])
    monkeypatch.setattr(cli_models, "load_for_command", lambda model, max_tokens: (runtime, ModelSettings()))
    assert cli.main(["chat", "--json", "hi"]) == 0
    assert json.loads(capsys.readouterr().out)["stopped"] is None


def test_write_keeps_the_result_before_the_loop(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runtime = RecordingRuntime(["Could you please send the report by tomorrow?\n" * 12])
    monkeypatch.setattr(cli_models, "load_for_command", lambda model, max_tokens: (runtime, ModelSettings()))
    source = tmp_path / "note.txt"
    source.write_text("send the report by tomorrow", encoding="utf-8")
    assert cli.main(["write", "--task", "rewrite-formal", str(source)]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == "Could you please send the report by tomorrow?" and REPETITION_NOTICE in err
