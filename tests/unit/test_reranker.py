"""The cross-encoder reranker with a tiny random model built here; finding an installed one; its catalog entries."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from assistant.library.reranker import CrossEncoderReranker, RerankerError, RerankResult, find_installed
from assistant.runtime import catalog
from assistant.runtime.catalog import CATALOG, RERANKERS
from tests.tiny_models import tiny_cross_encoder

QUESTION = "which city is the capital of france?"
PASSAGES = [
    "the ocean is deep and full of life.",
    "paris is the capital of france.",
    "install the python package with pip.",
    "rivers run into the sea.",
    "a charfield is a field type of the django database model.",
    "the title and heading of a chapter.",
    "what is the answer to the question?",
    "search the index for a token.",
    "life in a deep river.",
    "which city is the capital?",
]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_cross_encoder(tmp_path_factory.mktemp("models") / "tiny-cross-encoder")


@pytest.fixture(scope="module")
def reranker(tiny: Path) -> CrossEncoderReranker:
    return CrossEncoderReranker(tiny)


def test_one_score_per_text_repeatable_and_telling_texts_apart(reranker: CrossEncoderReranker) -> None:
    first = reranker.rerank(QUESTION, PASSAGES)
    assert not first.cancelled and len(first.scores) == len(PASSAGES)
    assert all(isinstance(s, float) for s in first.scores)
    assert len(set(first.scores)) == len(PASSAGES)  # every passage scored differently
    assert first.seconds > 0
    again = CrossEncoderReranker(reranker.model_path).rerank(QUESTION, PASSAGES)  # a fresh load: same numbers
    assert again.scores == pytest.approx(first.scores, abs=1e-6)


def test_each_score_belongs_to_its_own_text(reranker: CrossEncoderReranker) -> None:
    forward = reranker.rerank(QUESTION, PASSAGES).scores
    backward = reranker.rerank(QUESTION, PASSAGES[::-1]).scores
    assert backward == pytest.approx(forward[::-1], abs=1e-6)
    alone = [reranker.rerank(QUESTION, [p]).scores[0] for p in PASSAGES[:3]]  # batching changes nothing
    assert alone == pytest.approx(forward[:3], abs=1e-5)


def test_the_scores_are_the_models_own_reading_of_question_and_passage(tiny: Path) -> None:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny)
    model = AutoModelForSequenceClassification.from_pretrained(tiny).eval()
    batch = tokenizer([QUESTION] * 3, PASSAGES[:3], padding=True, truncation=True, return_tensors="pt")
    with torch.no_grad():
        expected = torch.sigmoid(model(**batch).logits).reshape(-1).tolist()
    assert CrossEncoderReranker(tiny).rerank(QUESTION, PASSAGES[:3]).scores == pytest.approx(expected, abs=1e-5)


def test_the_cross_encoder_reorders_candidates(reranker: CrossEncoderReranker) -> None:
    result = reranker.rerank(QUESTION, PASSAGES)
    order = result.order()
    assert sorted(order) == list(range(len(PASSAGES)))
    assert [result.scores[i] for i in order] == sorted(result.scores, reverse=True)
    assert order != list(range(len(PASSAGES)))  # the candidates' first-stage order does not survive
    reordered = [PASSAGES[i] for i in order]
    # Reranking the reranked list keeps it: the order is the model's, not the input's.
    assert reranker.rerank(QUESTION, reordered).order() == list(range(len(PASSAGES)))


def test_equal_scores_keep_the_input_order() -> None:
    assert RerankResult([0.5, 0.9, 0.5, 0.9]).order() == [1, 3, 0, 2]


def test_a_cancel_set_before_the_call_returns_at_once_without_loading(tiny: Path) -> None:
    fresh = CrossEncoderReranker(tiny)
    cancel = threading.Event()
    cancel.set()
    start = time.perf_counter()
    result = fresh.rerank(QUESTION, PASSAGES, cancel=cancel)
    assert result.cancelled and result.scores == []
    assert time.perf_counter() - start < 0.05
    assert fresh._model is None  # nothing was loaded for a search that was already abandoned


class _CancelAfter(threading.Event):
    """Set once it has been asked ``checks`` times: a person cancelling while the reranker runs."""

    def __init__(self, checks: int) -> None:
        super().__init__()
        self.left = checks

    def is_set(self) -> bool:
        self.left -= 1
        return self.left < 0 or super().is_set()


def test_a_cancel_while_scoring_stops_between_batches(tiny: Path) -> None:
    reranker = CrossEncoderReranker(tiny, batch_size=4)
    full = reranker.rerank(QUESTION, PASSAGES).scores
    result = reranker.rerank(QUESTION, PASSAGES, cancel=_CancelAfter(2))  # stops before the 2nd batch
    assert result.cancelled and result.scores == pytest.approx(full[:4], abs=1e-6)


def test_nothing_to_rerank_is_no_work(reranker: CrossEncoderReranker) -> None:
    result = reranker.rerank(QUESTION, [])
    assert result.scores == [] and not result.cancelled and result.order() == []


def test_the_three_files_the_catalog_downloads_are_enough(tmp_path: Path, reranker: CrossEncoderReranker) -> None:
    minimal = tiny_cross_encoder(tmp_path / "minimal", minimal_files=True)
    assert sorted(p.name for p in minimal.iterdir()) == ["config.json", "model.safetensors", "tokenizer.json"]
    scores = CrossEncoderReranker(minimal).rerank(QUESTION, PASSAGES).scores
    assert scores == pytest.approx(reranker.rerank(QUESTION, PASSAGES).scores, abs=1e-6)


def test_a_passage_past_the_token_limit_is_cut_not_refused(tiny: Path) -> None:
    short = CrossEncoderReranker(tiny, max_tokens=16)
    head = "paris is the capital of france. "
    scores = short.rerank(QUESTION, [head + "the ocean " * 300, head + "python django " * 300]).scores
    assert scores[0] == pytest.approx(scores[1], abs=1e-6)  # only the shared beginning was read
    full = CrossEncoderReranker(tiny).rerank(QUESTION, [head + "the ocean " * 300, head + "python django " * 300])
    assert full.scores[0] != pytest.approx(full.scores[1], abs=1e-6)


def test_a_folder_with_only_pytorch_bin_weights_is_refused_clearly(tmp_path: Path) -> None:
    folder = tmp_path / "old-reranker"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"architectures": ["BertForSequenceClassification"]}))
    (folder / "pytorch_model.bin").write_bytes(b"\x80\x02pickle")
    with pytest.raises(RerankerError, match=r"only pytorch_model\.bin weights.*safetensors"):
        CrossEncoderReranker(folder).rerank(QUESTION, PASSAGES)


@pytest.mark.parametrize("layout", ["missing", "no-config", "no-weights"])
def test_an_incomplete_folder_is_refused_clearly(tmp_path: Path, layout: str) -> None:
    folder = tmp_path / "reranker"
    if layout != "missing":
        folder.mkdir()
    if layout == "no-weights":
        (folder / "config.json").write_text("{}")
    message = {"missing": "does not exist", "no-config": "no config.json", "no-weights": "no weights"}[layout]
    with pytest.raises(RerankerError, match=message):
        CrossEncoderReranker(folder).load()


def test_importing_the_reranker_loads_no_torch() -> None:
    heavy = "{'torch', 'sentence_transformers'}"
    code = f"import sys, assistant.library.reranker; print(sorted({heavy} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# -- finding a downloaded reranker ---------------------------------------------------------------


def _lay_out(folder: Path) -> Path:
    """What fetch.download_reranker leaves: the folder with its verified files."""
    folder.mkdir(parents=True)
    for name in ("config.json", "tokenizer.json", "model.safetensors"):
        (folder / name).write_text("{}")
    return folder


def test_no_reranker_is_found_where_none_was_downloaded(tmp_path: Path) -> None:
    assert find_installed(tmp_path / "nowhere") is None
    (tmp_path / "models").mkdir()
    assert find_installed(tmp_path / "models") is None
    (tmp_path / "models" / "rerankers").mkdir()
    assert find_installed(tmp_path / "models") is None


def test_an_unfinished_download_is_not_a_reranker(tmp_path: Path) -> None:
    _lay_out(tmp_path / "rerankers" / ".ms-marco-minilm-l6-v2.downloading")
    incomplete = tmp_path / "rerankers" / "bge-reranker-v2-m3"
    incomplete.mkdir()
    (incomplete / "config.json").write_text("{}")
    assert find_installed(tmp_path) is None


def test_a_downloaded_reranker_is_found_catalog_ones_first(tmp_path: Path) -> None:
    other = _lay_out(tmp_path / "rerankers" / "a-hand-made-one")
    assert find_installed(tmp_path) == other
    bge = _lay_out(tmp_path / "rerankers" / "bge-reranker-v2-m3")
    assert find_installed(tmp_path) == bge
    minilm = _lay_out(tmp_path / "rerankers" / "ms-marco-minilm-l6-v2")
    assert find_installed(tmp_path) == minilm


# -- the catalog ---------------------------------------------------------------------------------


def test_the_rerankers_are_pinned_file_by_file() -> None:
    assert [m.id for m in RERANKERS] == ["ms-marco-minilm-l6-v2", "bge-reranker-v2-m3"]
    for m in RERANKERS:
        assert m.kind == "reranker" and m.runtime == catalog.RERANKER_RUNTIME, m.id
        assert m.pinned and re.fullmatch(r"[0-9a-f]{40}", m.revision), m.id
        assert {"config.json", "tokenizer.json", "model.safetensors"} <= {f.name for f in m.files}, m.id
        assert all(f.size > 0 and f.size % 1000 != 0 for f in m.files), m.id  # exact bytes, not rounded
        assert m.permissive, m.id
    assert len({f.sha256 for m in RERANKERS for f in m.files}) == sum(len(m.files) for m in RERANKERS)
    assert RERANKERS[1].multilingual and not RERANKERS[0].multilingual
    assert catalog.find_reranker("BGE-Reranker-v2-M3") is RERANKERS[1]


def test_rerankers_are_never_offered_as_chat_models() -> None:
    assert all(m.kind == "chat" for m in CATALOG)
    assert not {m.id for m in RERANKERS} & {m.id for m in CATALOG}
    with pytest.raises(catalog.AssistantError, match="no model 'ms-marco-minilm-l6-v2'"):
        catalog.find("ms-marco-minilm-l6-v2")
    with pytest.raises(catalog.AssistantError, match="no reranker 'qwen3-0.6b'"):
        catalog.find_reranker("qwen3-0.6b")
