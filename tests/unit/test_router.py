"""Router logic, with deterministic fake embedders (no model is loaded)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import re
import threading
from collections.abc import Sequence

import pytest

from assistant.agents.router import NO_DOCUMENTS, NO_DOCUMENTS_REPLY, ROUTES, RouteDecision, Router

EXAMPLES = [
    ("hello how are you", "chat"),
    ("tell me a joke", "chat"),
    ("what does my lease say", "documents"),
    ("search my notes for the date", "documents"),
    ("proofread this letter", "writing"),
    ("translate this to french", "writing"),
    ("prove the theorem step by step", "complex"),
    ("design a distributed system", "complex"),
]

VARIED = [
    "hello, tell me a joke",
    "what does my lease say about pets",
    "proofread this letter for me",
    "prove this theorem step by step",
    "?",
    "ünïcödé ✓ 日本語",
    "word " * 2000,
    "```python\nprint('hi')\n```",
]


class BagOfWords:
    """Hashed bag-of-words vectors, unit length; records every call."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls.append(list(texts))
        out = []
        for text in texts:
            vector = [0.0] * 64
            for word in re.findall(r"\w+", text.lower()):
                vector[int(hashlib.md5(word.encode()).hexdigest(), 16) % 64] += 1.0
            norm = math.sqrt(sum(v * v for v in vector)) or 1.0
            out.append([v / norm for v in vector])
        return out


def same_vector(texts: Sequence[str]) -> list[list[float]]:
    """Every text looks alike: only the cues in the wording can tell routes apart."""
    return [[1.0, 0.0] for _ in texts]


def test_each_request_gets_a_route_a_confidence_and_reasons() -> None:
    router = Router(BagOfWords(), EXAMPLES)
    for text, route in [
        ("hello, tell me a joke", "chat"),
        ("what does my lease say about pets", "documents"),
        ("proofread this letter for me", "writing"),
        ("prove this theorem step by step", "complex"),
    ]:
        decision = router.route(text)
        assert decision.route == route, (text, decision)
        assert 0.0 <= decision.confidence <= 1.0 and decision.reasons


@pytest.mark.parametrize("text", VARIED)
@pytest.mark.parametrize("has_documents", [True, False])
def test_any_request_gets_a_valid_decision(text: str, has_documents: bool) -> None:
    decision = Router(BagOfWords(), EXAMPLES).route(text, has_documents=has_documents)
    assert decision.route in ROUTES
    assert 0.0 <= decision.confidence <= 1.0
    assert 1 <= len(decision.reasons) <= 3 and all(isinstance(r, str) and r for r in decision.reasons)
    assert isinstance(decision.unsure, bool)


def test_to_json_has_the_route_a_rounded_confidence_and_the_reasons() -> None:
    decision = Router(BagOfWords(), EXAMPLES).route("tell me a joke")
    shown = decision.to_json()
    assert shown == {"route": "chat", "confidence": round(decision.confidence, 3), "reasons": list(decision.reasons)}
    assert json.loads(json.dumps(shown)) == shown
    assert RouteDecision("writing", 0.123456, ("x",)).to_json()["confidence"] == 0.123


def test_a_decision_is_immutable() -> None:
    decision = RouteDecision("chat", 0.5, ("x",))
    with pytest.raises(dataclasses.FrozenInstanceError):
        decision.route = "complex"  # type: ignore[misc]


@pytest.mark.parametrize(
    "text",
    [
        "what does my lease say",
        "Based on my meeting notes, what action items were assigned to Priya?",
        "according to my documents, what is the notice period?",
        "내 메모에 따르면 프리야에게 배정된 일은 뭐야?",
    ],
)
def test_without_documents_a_question_about_their_files_goes_to_documents_and_says_why(text: str) -> None:
    decision = Router(same_vector, EXAMPLES).route(text, has_documents=False)
    assert decision.route == "documents", decision
    assert NO_DOCUMENTS in decision.reasons


def test_the_reply_to_a_documents_question_without_documents_says_how_to_add_them() -> None:
    assert "Add folder" in NO_DOCUMENTS_REPLY and "private-assistant index FOLDER" in NO_DOCUMENTS_REPLY


@pytest.mark.parametrize(
    "text",
    [
        "my files keep disappearing from the desktop, why?",  # mentions files, asks nothing about them
        "I lost my receipts, what now?",
        "hello how are you",
        "proofread this letter for me",
        "Write a short thank-you note to my neighbour for watering my plants.",
    ],
)
def test_without_documents_other_requests_never_go_to_documents(text: str) -> None:
    for embed in (same_vector, BagOfWords()):
        assert Router(embed, EXAMPLES).route(text, has_documents=False).route != "documents", text


def test_without_documents_every_documents_decision_says_why() -> None:
    router = Router(BagOfWords(), EXAMPLES)
    for text in [*VARIED, *(t for t, _ in EXAMPLES)]:
        decision = router.route(text, has_documents=False)
        assert decision.route != "documents" or NO_DOCUMENTS in decision.reasons, text


def test_a_request_that_leans_to_documents_goes_elsewhere_without_them_and_says_why() -> None:
    decision = Router(same_vector, EXAMPLES).route("my notes keep getting lost", has_documents=False)
    assert decision.route != "documents" and NO_DOCUMENTS in decision.reasons


def test_the_missing_documents_are_mentioned_only_when_they_would_have_mattered() -> None:
    decision = Router(BagOfWords(), EXAMPLES).route("hello how are you", has_documents=False)
    assert decision.route == "chat" and NO_DOCUMENTS not in decision.reasons


def test_examples_are_embedded_once_then_one_embedding_per_request() -> None:
    embed = BagOfWords()
    router = Router(embed, EXAMPLES)
    assert embed.calls == []  # lazily: nothing is embedded before the first request
    for _ in range(3):
        router.route("tell me a joke")
    assert [len(call) for call in embed.calls] == [len(EXAMPLES), 1, 1, 1]


def test_warm_embeds_the_examples_ahead_of_the_first_request() -> None:
    embed = BagOfWords()
    router = Router(embed, EXAMPLES)
    router.warm()
    router.warm()
    assert [len(call) for call in embed.calls] == [len(EXAMPLES)]
    router.route("tell me a joke")
    assert [len(call) for call in embed.calls] == [len(EXAMPLES), 1]


def test_requests_from_several_threads_embed_the_examples_once() -> None:
    embed = BagOfWords()
    router = Router(embed, EXAMPLES)
    threads = [threading.Thread(target=router.route, args=("tell me a joke",)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(len(call) for call in embed.calls) == [1] * 8 + [len(EXAMPLES)]


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_an_empty_message_is_chat_with_no_confidence_and_costs_nothing(text: str) -> None:
    embed = BagOfWords()
    decision = Router(embed, EXAMPLES).route(text)
    assert decision == RouteDecision("chat", 0.0, ("empty message",), unsure=True)
    assert embed.calls == []


def test_a_close_call_is_marked_unsure_and_names_the_alternative() -> None:
    axes = {"a": [1.0, 0.0, 0.0], "b": [0.0, 1.0, 0.0], "c": [0.0, 0.0, 1.0], "between": [0.7, 0.71, 0.0]}

    def embed(texts: Sequence[str]) -> list[list[float]]:
        return [axes[t] for t in texts]

    decision = Router(embed, [("a", "chat"), ("b", "complex"), ("c", "writing")]).route("between")
    assert decision.route == "complex" and decision.unsure
    assert "could also be chat" in decision.reasons


def test_a_clear_call_is_sure_and_gives_the_nearest_example() -> None:
    decision = Router(BagOfWords(), EXAMPLES).route("tell me a joke")
    assert decision.route == "chat" and not decision.unsure and decision.confidence > 0.5
    assert "similar to “tell me a joke”" in decision.reasons


def test_a_request_like_no_example_is_unsure() -> None:
    def embed(texts: Sequence[str]) -> list[list[float]]:
        return [[0.0, 1.0] if t == "nothing alike" else [1.0, 0.0] for t in texts]

    decision = Router(embed, EXAMPLES).route("nothing alike")
    assert decision.unsure and "not much like any example" in decision.reasons


@pytest.mark.parametrize(
    ("text", "route", "reason"),
    [
        ("```python\nfor i in range(3):\n    print(i)\n```\nwhy?", "complex", "contains code"),
        ("write a lock-free queue in C++", "complex", "a programming task"),
        ("prove it step by step", "complex", "asks for multi-step reasoning, design or maths"),
        ("solve 3x + 2y = 12", "complex", "contains maths or a multi-step plan"),
        ("plan a three-week itinerary through Japan", "complex", "contains maths or a multi-step plan"),
        ("what's in my notes about Tuesday?", "documents", "mentions your documents"),
        ("the lease I uploaded: can I keep a cat?", "documents", "refers to files you added"),
        ("please proofread this: teh cat", "writing", "starts with a writing task"),
        ("write a short poem about the sea", "writing", "asks for a piece of writing"),
        ("이 문장을 더 공손하게 바꿔 주세요: 내일까지 보고서 보내.", "writing", "asks for writing help"),
        ("이 글을 영어로 번역해 주세요: 안녕하세요", "writing", "asks for writing help"),
        ("この文を丁寧に書き直してください：明日までに送って", "writing", "asks for writing help"),
        ("请把这句话翻译成英文：你好", "writing", "asks for writing help"),
        ("Übersetze ins Englische: Guten Morgen", "writing", "asks for writing help"),
        ("Traduis en anglais : bonjour", "writing", "asks for writing help"),
        ("Reescribe este correo: oye, mándame el informe", "writing", "asks for writing help"),
        ("내 회의록에서 마감일이 언제야?", "documents", "mentions your documents"),
        ("私のメモによると、締め切りはいつ？", "documents", "mentions your documents"),
        (
            "Make this more formal:\nhey guys, the meeting is moved to friday, bring ur laptops and dont be late pls",
            "writing",
            "includes text to work on",
        ),
    ],
)
def test_cues_in_the_wording_decide_when_the_embeddings_cannot(text: str, route: str, reason: str) -> None:
    decision = Router(same_vector, EXAMPLES).route(text)
    assert decision.route == route, decision
    assert decision.reasons[0] == reason


@pytest.mark.parametrize(
    "text",
    [
        "hello there",
        "my cat keeps scratching the sofa",
        "what should I eat in the morning?",
        "what's 15*4?",
        "오늘 날씨 어때?",
        "김치찌개 끓이는 법 알려줘",
        "東京のおすすめは？",
        "Wie spät ist es?",
    ],
)
def test_everyday_wording_triggers_no_cue(text: str) -> None:
    decision = Router(same_vector, EXAMPLES).route(text)
    assert decision.unsure and decision.reasons[0].startswith("similar to")


def test_a_long_message_is_embedded_by_its_beginning_and_end() -> None:
    embed = BagOfWords()
    text = "START " + "filler words here. " * 500 + " END?"
    Router(embed, EXAMPLES).route(text)
    embedded = embed.calls[-1][0]
    assert len(embedded) < 500 and embedded.startswith("START") and embedded.endswith("END?")


def test_pasted_text_after_a_writing_request_is_embedded_by_the_request() -> None:
    embed = BagOfWords()
    pasted = "The quarterly report shows revenue grew while costs fell, and the board approved the hiring plan."
    decision = Router(embed, EXAMPLES).route(f"proofread this: {pasted}")
    assert decision.route == "writing" and "includes text to work on" in decision.reasons
    assert embed.calls[-1][0].startswith("proofread this: ") and "board" not in embed.calls[-1][0]


def test_examples_with_an_unknown_route_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown routes"):
        Router(BagOfWords(), [("hi", "chat"), ("x", "poetry")])
    with pytest.raises(ValueError, match="at least one example"):
        Router(BagOfWords(), [])


def test_a_route_without_examples_is_never_chosen() -> None:
    router = Router(BagOfWords(), [(t, r) for t, r in EXAMPLES if r != "complex"])
    assert router.route("prove the theorem step by step").route != "complex"


def test_the_default_examples_cover_every_route_and_are_varied() -> None:
    from assistant.agents.router_examples import EXAMPLES as DEFAULT

    english = [(t, r) for t, r in DEFAULT if t.isascii()]
    counts = {route: sum(r == route for _, r in english) for route in ROUTES}
    assert all(40 <= n <= 70 for n in counts.values()), counts
    # Korean: enough per route, and about as many for each, or a request leans to the route with most.
    korean = {route: sum(r == route and bool(re.search("[가-힣]", t)) for t, r in DEFAULT) for route in ROUTES}
    assert min(korean.values()) >= 15 and max(korean.values()) <= 1.5 * min(korean.values()), korean
    texts = [t.strip().lower() for t, _ in DEFAULT]
    assert len(set(texts)) == len(texts) and all(texts)
    assert any("\n" in t for t in texts)  # some with pasted text or code


def test_the_held_out_bench_set_shares_no_sentence_with_the_examples() -> None:
    from pathlib import Path

    from assistant.agents.router_examples import EXAMPLES as DEFAULT

    labelled = json.loads((Path(__file__).resolve().parents[2] / "bench" / "router_labelled.json").read_text("utf-8"))
    assert {row["route"] for row in labelled} == set(ROUTES)
    assert not {row["text"].strip().lower() for row in labelled} & {t.strip().lower() for t, _ in DEFAULT}


KOREAN = [
    *EXAMPLES,
    ("안녕하세요 오늘 날씨 어때요", "chat"),
    ("재미있는 이야기 해 줘", "chat"),
    ("계약서에 해지 조항이 있나요", "documents"),
    ("회의록에서 마감일 찾아 줘", "documents"),
    ("이 문장을 다듬어 주세요", "writing"),
    ("이메일 초안을 써 주세요", "writing"),
    ("소수가 무한하다는 것을 증명해 줘", "complex"),
    ("캐시 계층을 설계해 줘", "complex"),
]


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("임대차 계약서를 보면 반려동물 조항이 있어?", "documents"),  # 계약서를 still matches 계약서에
        ("정렬 알고리즘이 맞다는 것을 증명해 줄래?", "complex"),
        ("재미있는 이야기 좀 들려줘", "chat"),
    ],
)
def test_korean_is_compared_by_character_pairs_where_the_embedder_cannot_read_it(text: str, route: str) -> None:
    decision = Router(same_vector, KOREAN).route(text)  # the embedding tells nothing apart
    assert decision.route == route, decision


def test_character_pairs_leave_latin_script_text_to_the_embedder() -> None:
    from assistant.agents.router import _Lexicon

    lexicon = _Lexicon([t for t, _ in KOREAN])
    assert lexicon.similarities("hello, tell me a joke about my lease") == {}
    assert lexicon.similarities("계약서를 보면") and max(lexicon.similarities("계약서를 보면").values()) > 0.2


@pytest.mark.parametrize(
    ("text", "route", "reason"),
    [
        ("내가 올린 견적서에 총액이 얼마야?", "documents", "refers to files you added"),
        ("보험 약관에 따르면 침수도 보상돼?", "documents", "asks what your documents say"),
        ("アップロードした論文ではどのデータを使った？", "documents", "refers to files you added"),
        ("我上传的合同里有没有违约金条款？", "documents", "refers to files you added"),
        ("¿Qué dice mi contrato sobre las mascotas?", "documents", "asks what your documents say"),
        ("Was steht in meinem Mietvertrag über Haustiere?", "documents", "asks what your documents say"),
        ("피타고라스 정리를 증명해 줘", "complex", "asks for multi-step reasoning, design or maths"),
        ("2주 동안의 가족 여행 일정을 짜 줘", "complex", "asks for multi-step reasoning, design or maths"),
        ("设计一个高并发的系统架构", "complex", "asks for multi-step reasoning, design or maths"),
        (
            "Entwirf ein Datenbankschema für eine Bibliothek",
            "complex",
            "asks for multi-step reasoning, design or maths",
        ),
        ("Diseña la arquitectura de un chat", "complex", "asks for multi-step reasoning, design or maths"),
    ],
)
def test_cues_in_other_languages(text: str, route: str, reason: str) -> None:
    decision = Router(same_vector, EXAMPLES).route(text)
    assert decision.route == route, decision
    assert decision.reasons[0] == reason


def test_a_korean_request_that_names_no_document_is_not_sent_to_documents() -> None:
    examples = [("문서", "documents"), ("대화", "chat")]  # equally (un)like the request

    def documents_first(texts: Sequence[str]) -> list[list[float]]:  # documents a little nearer
        return [[1.0, 0.0] if t == "문서" else [0.9, 0.436] if t == "대화" else [1.0, 0.05] for t in texts]

    assert Router(documents_first, examples).route("세계에서 가장 긴 강은 뭐야?").route == "chat"
    assert Router(documents_first, examples).route("회의록에서 결정된 사항이 뭐야?").route == "documents"
    assert Router(documents_first, examples).route("what is the longest river?").route == "documents"
