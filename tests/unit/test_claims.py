"""Claims checked against their sources, the quoted lead and the documents answer around them.

A deterministic embedder (hashed content words) stands in for MiniLM: sentences sharing words are
close in meaning. The real embedder has its own tests in tests/integration/test_claims_real.py.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from pathlib import Path

import pytest

from assistant.agents import extractive, qa, sentences
from assistant.agents.chat import ChatAgent, Finished
from assistant.agents.claims import Evidence, check, is_refusal
from assistant.agents.events import Stopped, Token
from assistant.conversations import ConversationStore
from assistant.library.documents import Source
from assistant.runtime.types import RuntimeInfo
from tests.fakes import FakeRuntime

TERN = "The arctic tern migrates about 70,000 km every year. It breeds in the Arctic and winters in Antarctica."
PEOPLE = "Priya Sharma leads the budget review. The library is open on Sundays."
MEETING = "회의는 매주 화요일 오전 10시에 3층 회의실에서 열립니다. 보고서는 금요일까지 제출해야 합니다."
TAR = """# tar

> Archiving utility.

- Create a gzipped archive and write it to a file:

`tar czf {{path/to/target.tar.gz}} {{path/to/file1}}`

- E[x]tract a (compressed) archive [f]ile into the target directory:

`tar xf {{path/to/source.tar.gz}} {{[-C|--directory]}} {{path/to/directory}}`
"""


def fake_embed(texts: Sequence[str]) -> list[list[float]]:
    vectors = []
    for text in texts:
        vector = [0.0] * 128
        for word in sentences.content_words(text):
            vector[zlib.crc32(word.encode()) % 128] += 1.0
        norm = math.sqrt(sum(x * x for x in vector)) or 1.0
        vectors.append([x / norm for x in vector])
    return vectors


def judged(answer: str, passages: Sequence[str] = (TERN, PEOPLE, MEETING)) -> dict[str, bool]:
    return {c.text: c.supported for c in check(answer, Evidence(passages, fake_embed))}


# -- sentences ---------------------------------------------------------------------------


def test_answer_splits_into_sentences_keeping_their_citations() -> None:
    text = "The tern flies far. [1] It breeds e.g. in the Arctic [2]. Dr. Smith counted 3.5 birds!"
    assert [s.text for s in sentences.split(text)] == [
        "The tern flies far. [1]",
        "It breeds e.g. in the Arctic [2].",
        "Dr. Smith counted 3.5 birds!",
    ]


def test_korean_japanese_and_chinese_sentences_split_at_their_full_stops() -> None:
    text = "회의는 화요일에 열립니다. 보고서는 금요일까지 보냅니다 [1]. 東京は首都です。人口は多い。会议在周二。"
    assert [s.text for s in sentences.split(text)] == [
        "회의는 화요일에 열립니다.",
        "보고서는 금요일까지 보냅니다 [1].",
        "東京は首都です。",
        "人口は多い。",
        "会议在周二。",
    ]


def test_list_items_and_code_lines_are_segments_of_their_own() -> None:
    text = "Steps:\n- Open the file\n- Save it [2]\n\n```sh\ntar xf a.tar\n```\n`ls -la`"
    segments = sentences.split(text)
    assert [s.text for s in segments] == ["Steps:", "- Open the file", "- Save it [2]", "tar xf a.tar", "`ls -la`"]
    assert [s.code for s in segments] == [False, False, False, True, True]


def test_citations_are_read_in_every_common_form() -> None:
    assert sentences.citations("See [1], [2, 3] and [Source 4][5-6].") == [1, 2, 3, 4, 5, 6]


def test_korean_words_match_with_and_without_particles() -> None:
    assert set(sentences.content_words("보고서")) <= set(sentences.content_words("보고서를 보내"))


# -- claims ------------------------------------------------------------------------------


def test_sentence_copied_from_a_passage_is_supported() -> None:
    claim = "The arctic tern migrates about 70,000 km every year [1]."
    assert judged(claim) == {claim: True}


def test_unsupported_number_is_flagged() -> None:
    claim = "The arctic tern migrates about 90,000 km every year [1]."
    assert judged(claim) == {claim: False}


def test_changed_name_is_flagged() -> None:
    claim = "Maria Sharma leads the budget review [2]."
    assert judged(claim) == {claim: False}


def test_added_negation_is_flagged() -> None:
    claim = "The library is not open on Sundays [2]."
    assert judged(claim) == {claim: False}


def test_dropped_negation_is_flagged() -> None:
    claim = "The shop is open on Mondays [1]."
    assert judged(claim, ["The shop is never open on Mondays."]) == {claim: False}


def test_citing_a_source_that_does_not_exist_is_unsupported() -> None:
    (claim,) = check("The arctic tern migrates about 70,000 km every year [7].", Evidence([TERN, PEOPLE, MEETING]))
    assert not claim.supported and claim.sources == [7] and claim.score == 0.0


def test_sentence_is_checked_against_the_source_it_cites_not_the_others() -> None:
    claim = "Priya Sharma leads the budget review [1]."
    assert judged(claim) == {claim: False}
    assert judged("Priya Sharma leads the budget review.") == {"Priya Sharma leads the budget review.": True}


def test_korean_sentence_copied_is_supported_and_a_changed_number_is_not() -> None:
    copied = "회의는 매주 화요일 오전 10시에 3층 회의실에서 열립니다 [3]."
    changed = "회의는 매주 화요일 오전 11시에 3층 회의실에서 열립니다 [3]."
    assert judged(copied + " " + changed) == {copied: True, changed: False}


def test_filler_questions_and_refusals_are_not_claims() -> None:
    text = "Here is the answer: I hope this helps! Do you want more? I did not find the answer in your documents."
    assert check(text, Evidence([TERN], fake_embed)) == []


def test_invented_sentence_is_unsupported() -> None:
    claim = "Terns are known for their bright red beaks and loud calls [1]."
    assert judged(claim) == {claim: False}


def test_claims_are_checked_by_words_alone_without_an_embedder() -> None:
    copied, changed = "It breeds in the Arctic [1].", "It breeds in the Alps [1]."
    assert {c.text: c.supported for c in check(f"{copied} {changed}", Evidence([TERN]))} == {
        copied: True,
        changed: False,
    }


def test_refusals_are_recognised() -> None:
    assert is_refusal(qa.NOT_FOUND)
    assert is_refusal("The sources do not mention the port.")
    assert is_refusal("문서에서 답을 찾지 못했습니다.")
    assert not is_refusal("The file does not exist until you create it.")


# -- the extractive lead -----------------------------------------------------------------


def test_lead_quotes_the_description_with_the_command_under_it() -> None:
    quotes = extractive.best_quotes("extract a tar.gz archive into a directory", Evidence([TAR], fake_embed))
    assert quotes and quotes[0].source == 1
    assert quotes[0].text.startswith("Extract a (compressed) archive file into the target directory:")
    assert "`tar xf" in quotes[0].text
    lead = extractive.lead_text(quotes[:1])
    assert lead.splitlines()[0] == "> Extract a (compressed) archive file into the target directory: [1]"


def test_no_lead_when_no_sentence_answers_the_question() -> None:
    assert extractive.best_quotes("how do I bake sourdough bread", Evidence([TAR, TERN], fake_embed)) == []


# -- the documents answer ----------------------------------------------------------------


class SmallRuntime(FakeRuntime):
    """The fake model, reporting 135 M parameters (the bundled model's size)."""

    @property
    def info(self) -> RuntimeInfo:
        return RuntimeInfo("fake-small", "CPU", 0, self.context_length, 1, parameters=135_000_000)


def source(text: str, name: str = "notes.md") -> Source:
    return Source(f"/docs/{name}", None, (), text, 0.03, name, similarity=0.6)


def test_small_model_answer_leads_with_the_quoted_sentence_and_drops_inventions() -> None:
    runtime = SmallRuntime(["Terns migrate 90,000 km [1]. They breed in the Arctic [1]."])
    events = list(qa.answer(runtime, "How far does the arctic tern migrate?", [source(TERN)], embed=fake_embed))
    tokens = [e for e in events if isinstance(e, Token)]
    final = events[-1]
    assert isinstance(final, qa.Answer) and final.found
    assert tokens[0].text.startswith("> The arctic tern migrates about 70,000 km every year. [1]")
    assert final.text.startswith("> The arctic tern migrates about 70,000 km every year. [1]")
    assert "90,000" not in final.text and "90,000" in final.draft
    assert all(c.supported for c in final.claims)


def test_larger_model_keeps_its_words_and_marks_the_unsupported_one() -> None:
    runtime = FakeRuntime(["The arctic tern migrates about 70,000 km every year [1]. It breeds in the Arctic [1]. "
                           "It can live 90 years [1]."])  # fmt: skip
    final = list(qa.answer(runtime, "How far does the arctic tern migrate?", [source(TERN)], embed=fake_embed))[-1]
    assert isinstance(final, qa.Answer)
    assert final.text == final.draft and "90 years" in final.text
    assert [c.supported for c in final.claims] == [True, True, False]


def test_larger_model_whose_sentences_are_mostly_unsupported_leads_with_the_quote() -> None:
    runtime = FakeRuntime(["[2]"])
    final = list(qa.answer(runtime, "How far does the arctic tern migrate?", [source(TERN)], embed=fake_embed))[-1]
    assert isinstance(final, qa.Answer) and final.found
    assert final.text == "> The arctic tern migrates about 70,000 km every year. [1]"


def test_a_larger_models_refusal_stays_a_refusal_with_no_lead() -> None:
    runtime = FakeRuntime([qa.NOT_FOUND])
    final = list(qa.answer(runtime, "How far does the arctic tern migrate?", [source(TERN)], embed=fake_embed))[-1]
    assert isinstance(final, qa.Answer) and not final.found and final.text == qa.NOT_FOUND and final.claims == []


def test_a_small_models_refusal_does_not_hide_the_passage_that_answers() -> None:
    runtime = SmallRuntime([qa.NOT_FOUND])
    final = list(qa.answer(runtime, "How far does the arctic tern migrate?", [source(TERN)], embed=fake_embed))[-1]
    assert isinstance(final, qa.Answer) and final.found
    assert final.text == "> The arctic tern migrates about 70,000 km every year. [1]"


def test_a_small_model_is_not_offered_the_refusal_sentence_to_copy() -> None:
    runtime = SmallRuntime(["About 70,000 km [1]."])
    list(qa.answer(runtime, "How far does the arctic tern migrate?", [source(TERN)], embed=fake_embed))
    larger = FakeRuntime(["About 70,000 km [1]."])
    list(qa.answer(larger, "How far does the arctic tern migrate?", [source(TERN)], embed=fake_embed))
    assert qa.NOT_FOUND not in runtime.seen[-1][0]["content"]
    assert qa.NOT_FOUND in larger.seen[-1][0]["content"]


def test_a_small_models_words_without_a_quotation_are_never_shown() -> None:
    """Even words the check finds in the passages: with nothing worth quoting, the passages do not answer."""
    runtime = SmallRuntime(["Create a gzipped archive and write it to a file [1]."])
    final = list(qa.answer(runtime, "How do I bake sourdough bread?", [source(TAR)], embed=fake_embed))[-1]
    assert isinstance(final, qa.Answer) and not final.found and final.text == qa.NOT_FOUND and final.claims == []


def test_small_model_with_nothing_true_to_show_says_not_found() -> None:
    runtime = SmallRuntime(["Sourdough needs a starter and a hot oven [1]."])
    final = list(qa.answer(runtime, "How do I bake sourdough bread?", [source(TAR)], embed=fake_embed))[-1]
    assert isinstance(final, qa.Answer) and not final.found and final.text == qa.NOT_FOUND


def test_unknown_model_size_is_not_treated_as_small() -> None:
    assert not qa.is_small(FakeRuntime())
    assert qa.is_small(SmallRuntime())


def test_loop_guard_stop_keeps_the_lead_before_the_kept_text(monkeypatch: pytest.MonkeyPatch) -> None:
    def looping(runtime: object, messages: object, cancel: object = None) -> object:
        yield Token("It breeds in the Arctic [1].\n")
        yield Stopped("repetition", "It breeds in the Arctic [1].")

    monkeypatch.setattr(qa, "stream_reply", looping)
    events = list(qa.answer(SmallRuntime(), "Where does the arctic tern breed?", [source(TERN)], embed=fake_embed))
    stopped = next(e for e in events if isinstance(e, Stopped))
    final = events[-1]
    assert stopped.text.startswith("> ") and stopped.text.endswith("It breeds in the Arctic [1].")
    assert (
        isinstance(final, qa.Answer) and final.stopped == "repetition" and final.draft == stopped.text.split("\n\n")[-1]
    )


def test_every_claim_is_a_piece_of_the_answer_shown() -> None:
    runtime = SmallRuntime(["The tar command\nextracts an archive into a directory [1]. It needs root [1]."])
    question = "How do I extract a tar.gz archive into a directory?"
    final = list(qa.answer(runtime, question, [source(TAR, "tar.md")], embed=fake_embed))[-1]
    assert isinstance(final, qa.Answer) and len(final.claims) >= 2
    assert all(claim.text in final.text for claim in final.claims)
    assert "root" not in final.text


def test_invented_command_or_option_is_flagged() -> None:
    real = "Run `tar xf archive.tar.gz -C target` to extract into a directory [1]."
    tool = "Run `untar archive.tar.gz -C target` to extract into a directory [1]."
    flag = "Run `tar xf archive.tar.gz --into target` to extract into a directory [1]."
    assert judged(f"{real} {tool} {flag}", [TAR]) == {real: True, tool: False, flag: False}


def test_sentence_citing_nothing_must_be_borne_out_by_one_passage() -> None:
    mixed = "Priya Sharma leads the arctic tern migration."
    assert judged(mixed) == {mixed: False}


def test_list_numbers_and_code_comments_are_not_claims() -> None:
    text = "1. Extract the archive into the target directory.\n\n```sh\n# extract it here\ntar xf a.tar\n```"
    assert [c.text for c in check(text, Evidence([TAR], fake_embed))] == [
        "1. Extract the archive into the target directory.",
        "tar xf a.tar",
    ]


def test_chat_stores_the_checked_answer_with_its_claims_in_place(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "c.sqlite3")
    conversation = store.create()
    runtime = SmallRuntime(["Terns migrate 90,000 km [1]. They breed in the Arctic [1]."])
    agent = ChatAgent(store, runtime, embed=fake_embed)
    events = list(agent.send(conversation.id, "How far does the arctic tern migrate?", sources=[source(TERN)]))
    finished = events[-1]
    assert isinstance(finished, Finished) and finished.message is not None
    store.close()
    reopened = ConversationStore(tmp_path / "c.sqlite3")  # as after a restart
    question, reply = reopened.messages(conversation.id)
    assert reply.id == finished.message.id and reply.content == finished.text
    assert "90,000" not in reply.content and reply.content.startswith("> The arctic tern migrates")
    assert [c["supported"] for c in reply.claims] == [c.supported for c in finished.claims] and reply.claims
    reopened.close()
