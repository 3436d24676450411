"""Claims checked with the real bundled embedder against hand-made passages."""

from __future__ import annotations

import pytest

from assistant.agents.claims import Evidence, check
from assistant.library.embedder import Embedder

pytestmark = pytest.mark.integration

PASSAGES = [
    "The arctic tern migrates about 70,000 km every year. It breeds in the Arctic and winters in Antarctica.",
    "Priya Sharma leads the budget review. The library is open on Sundays from 10 am to 4 pm.",
    "회의는 매주 화요일 오전 10시에 3층 회의실에서 열립니다. 보고서는 금요일까지 제출해야 합니다.",
]


def verdicts(embedder: Embedder, answer: str) -> dict[str, bool]:
    return {c.text: c.supported for c in check(answer, Evidence(PASSAGES, embedder.embed))}


def test_copied_and_paraphrased_sentences_are_supported(embedder: Embedder) -> None:
    copied = "The arctic tern migrates about 70,000 km every year [1]."
    paraphrase = "Arctic terns breed in the Arctic and spend the winter in Antarctica [1]."
    assert verdicts(embedder, f"{copied} {paraphrase}") == {copied: True, paraphrase: True}


def test_changed_number_name_or_negation_is_unsupported(embedder: Embedder) -> None:
    number = "The arctic tern migrates about 90,000 km every year [1]."
    name = "Maria Sharma leads the budget review [2]."
    negation = "The library is not open on Sundays [2]."
    assert verdicts(embedder, f"{number} {name} {negation}") == {number: False, name: False, negation: False}


def test_citing_a_seventh_source_of_three_is_unsupported(embedder: Embedder) -> None:
    claim = "The arctic tern migrates about 70,000 km every year [7]."
    assert verdicts(embedder, claim) == {claim: False}


def test_invented_detail_is_unsupported(embedder: Embedder) -> None:
    claim = "The budget review is led by the finance department [2]."
    assert verdicts(embedder, claim) == {claim: False}


def test_korean_copy_is_supported_and_a_changed_number_is_not(embedder: Embedder) -> None:
    copied = "회의는 매주 화요일 오전 10시에 3층 회의실에서 열립니다 [3]."
    changed = "회의는 매주 화요일 오전 11시에 3층 회의실에서 열립니다 [3]."
    assert verdicts(embedder, f"{copied} {changed}") == {copied: True, changed: False}
