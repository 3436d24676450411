"""Language detection (no model) and what each model family writes."""

from __future__ import annotations

import pytest

from assistant.agents import language
from assistant.agents.language import Language, can_write, detect, find, mentioned, suggest_model
from assistant.runtime.catalog import CATALOG
from assistant.runtime.types import RuntimeInfo


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("이 문장을 더 공손하게 바꿔 주세요: 내일까지 보고서 보내.", "ko"),
        ("明日までに報告書を送ってください。", "ja"),
        ("ありがとう", "ja"),
        ("请在明天之前把报告发给我。", "zh"),
        ("Привет, как дела?", "ru"),
        ("Привіт, як справи? Їжак", "uk"),
        ("Γειά σου κόσμε", "el"),
        ("مرحبا بالعالم", "ar"),
        ("שלום עולם", "he"),
        ("สวัสดีครับ", "th"),
        ("नमस्ते दुनिया", "hi"),
        ("I recieved teh letter yesterday.", "en"),
        ("Ich habe morgen keine Zeit, bitte schick mir den Bericht.", "de"),
        ("Je vous remercie pour votre aide.", "fr"),
        ("Gracias por tu ayuda, nos vemos mañana.", "es"),
        ("Grazie per il tuo aiuto, ci vediamo domani.", "it"),
        ("Obrigado pela ajuda, até amanhã. Você está bem?", "pt"),
        ("Cảm ơn bạn rất nhiều", "vi"),
        ("Dziękuję bardzo, do zobaczenia jutro", "pl"),
    ],
)
def test_the_language_of_a_text_is_detected_from_its_script_and_words(text: str, code: str) -> None:
    found = detect(text)
    assert found is not None and found.code == code, found
    assert found.name == language.NAMES[code]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("회의는 내일 3시에 Zoom으로 합니다", "ko"),  # Korean with an English name in it
        ("Zoom 회의 링크를 Slack에 올려 주세요", "ko"),
        ("Please use the function 関数 here", "en"),  # English with one Japanese word
        ("大韓民國 헌법 제1조는 민주공화국을 말한다", "ko"),  # Hanja inside Korean
        ("東京で会議があります", "ja"),  # kanji and kana
    ],
)
def test_mixed_text_is_in_the_language_of_most_of_it(text: str, code: str) -> None:
    found = detect(text)
    assert found is not None and found.code == code, found


@pytest.mark.parametrize("text", ["", "   ", "1234 !!", "🙂👍", "3.14 + 2 = 5.14"])
def test_text_without_letters_has_no_language(text: str) -> None:
    assert detect(text) is None


def test_latin_text_without_clues_is_taken_for_english() -> None:
    assert detect("teh cat") == language.ENGLISH


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Korean", "ko"),
        ("korean", "ko"),
        ("ko", "ko"),
        ("한국어", "ko"),
        ("영어", "en"),
        ("日本語", "ja"),
        ("Deutsch", "de"),
    ],
)
def test_a_language_is_found_by_its_name_in_several_languages(name: str, code: str) -> None:
    found = find(name)
    assert found is not None and found.code == code


def test_an_unknown_language_name_is_not_guessed() -> None:
    assert find("Klingon") is None and find("") is None


def test_languages_named_in_a_request_are_found_where_they_are() -> None:
    assert [(m[2].code, m[0]) for m in mentioned("이 글을 영어로 번역해 주세요")] == [("en", 5)]
    assert [m[2].code for m in mentioned("Übersetze das ins Englische")] == ["en"]
    assert [m[2].code for m in mentioned("translate to German, please")] == ["de"]
    assert mentioned("a trip to Germany") == []  # an English name is a whole word


BUNDLED = "SmolLM2-135M-Instruct.Q4_1"


@pytest.mark.parametrize(
    ("model", "korean", "german"),
    [
        (BUNDLED, False, False),  # SmolLM2: English only
        ("smollm2-1.7b-instruct", False, False),
        ("Qwen3-1.7B-Q8_0", True, True),
        ("qwen2.5-coder-0.5b-instruct-q4_k_m", True, True),
        ("gemma-3-1b-it-Q4_K_M", False, False),  # Gemma 3 1B: English only
        ("gemma-3-4b-it-Q4_K_M", True, True),
        ("Llama-3.2-1B-Instruct-Q4_K_M", False, True),  # eight official languages, not Korean
        ("microsoft_Phi-4-mini-instruct-Q4_K_M", True, True),
        ("DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M", False, False),
        ("some-model-we-do-not-know", True, True),  # unknown: assumed to write anything
    ],
)
def test_what_a_model_writes_follows_its_model_card(model: str, korean: bool, german: bool) -> None:
    assert can_write(model, "ko") is korean
    assert can_write(model, Language("de", "German")) is german
    assert can_write(model, "en")


def test_a_runtime_info_is_judged_by_its_model_name() -> None:
    info = RuntimeInfo(BUNDLED, "CPU", 0, 2048, 2)
    assert not can_write(info, "ko") and language.written_languages(info) == frozenset({"en"})


def test_the_built_in_model_name_is_that_of_the_bundled_file() -> None:
    assert language.BUNDLED == BUNDLED


def test_every_row_of_the_table_names_its_source() -> None:
    for row in language.MODEL_LANGUAGES:
        assert len(row.source) > 20, row
        assert row.languages is None or "en" in row.languages


@pytest.mark.parametrize("code", ["ko", "ja", "zh", "de", "th", "ar"])
def test_the_suggested_model_is_in_the_catalog_and_writes_the_language(code: str) -> None:
    model = suggest_model(code)
    assert model is not None and model in CATALOG
    assert can_write(model.id, code) and can_write(model.name, code)


def test_languages_are_described_for_a_sentence() -> None:
    assert language.describe_languages(frozenset({"en"})) == "English only"
    assert language.describe_languages(frozenset({"de", "en", "fr"})) == "English, French and German"
