"""Multilingual embedders: their catalog entries, the pooling files the app writes, when one is suggested."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.errors import AssistantError
from assistant.library import embedders
from assistant.library.embedder import BUNDLED_EMBEDDER_ID
from assistant.runtime import catalog
from assistant.runtime.catalog import CATALOG, EMBEDDERS, RERANKERS, find_embedder
from assistant.runtime.fetch import write_pooling

KOREAN = [
    "아카이브를 만들려면 tar 명령을 사용합니다.",
    "회의는 내일 오전 열 시에 시작합니다.",
    "사진을 편집하려면 편집기를 엽니다.",
    "문서를 번역하려면 번역 메뉴를 고릅니다.",
]
ENGLISH = [
    "Create an archive with tar and extract it later.",
    "The meeting starts tomorrow at ten in the morning.",
    "Open the editor to change the brightness of a photo.",
    "Choose the translate menu to translate a document.",
]


def test_the_embedders_are_pinned_multilingual_safetensors_models_kept_apart_from_chat_models() -> None:
    assert [m.id for m in EMBEDDERS] == ["multilingual-e5-small", "paraphrase-multilingual-minilm-l12-v2"]
    for m in EMBEDDERS:
        assert m.kind == "embedder" and m.runtime == catalog.EMBEDDER_RUNTIME and m.multilingual, m.id
        assert m.pinned and re.fullmatch(r"[0-9a-f]{40}", m.revision), m.id
        names = [f.name for f in m.files]
        assert "model.safetensors" in names and "tokenizer.json" in names and "config.json" in names, m.id
        assert not any(n.endswith((".bin", ".pt", ".pth")) for n in names), m.id  # nothing that runs code
        assert m.dimension == 384 and m.permissive, m.id
    assert len({f.sha256 for m in EMBEDDERS for f in m.files}) == sum(len(m.files) for m in EMBEDDERS)
    assert not {m.id for m in EMBEDDERS} & {m.id for m in (*CATALOG, *RERANKERS)}
    e5 = find_embedder("intfloat/Multilingual-E5-small")  # by repository too, case-insensitive
    assert (e5.query_prefix, e5.passage_prefix) == ("query: ", "passage: ")


def test_an_unknown_embedder_lists_the_ones_there_are() -> None:
    with pytest.raises(AssistantError, match="multilingual-e5-small"):
        find_embedder("bge-m3")


@pytest.mark.parametrize("pooling", ["mean", "cls"])
def test_the_pooling_files_describe_a_sentence_transformers_model(tmp_path: Path, pooling: str) -> None:
    entry = catalog.CatalogModel(
        "x", "X", "o/x", (), catalog.EMBEDDER_RUNTIME, "1M", "F32", "MIT", 8192, False,
        kind="embedder", dimension=1024, pooling=pooling,
    )  # fmt: skip
    write_pooling(tmp_path, entry)
    modules = json.loads((tmp_path / "modules.json").read_text())
    assert [m["type"].rsplit(".", 1)[1] for m in modules] == ["Transformer", "Pooling"]
    config = json.loads((tmp_path / "1_Pooling" / "config.json").read_text())
    assert config["word_embedding_dimension"] == 1024
    assert (config["pooling_mode_mean_tokens"], config["pooling_mode_cls_token"]) == (
        pooling == "mean",
        pooling == "cls",
    )
    assert json.loads((tmp_path / "sentence_bert_config.json").read_text())["max_seq_length"] == 512


def test_a_mostly_korean_library_read_by_the_english_model_is_offered_the_first_multilingual_one() -> None:
    assert embedders.non_english_share(KOREAN + ENGLISH[:1]) == pytest.approx(0.8)
    assert embedders.suggestion(BUNDLED_EMBEDDER_ID, KOREAN + ENGLISH[:1]) == EMBEDDERS[0]


def test_no_suggestion_for_english_a_multilingual_model_or_too_little_text() -> None:
    assert embedders.suggestion(BUNDLED_EMBEDDER_ID, ENGLISH) is None
    assert embedders.suggestion(BUNDLED_EMBEDDER_ID, KOREAN[:2] + ENGLISH[:2]) is None  # half is not most
    assert embedders.suggestion(EMBEDDERS[0].repo, KOREAN) is None  # it reads Korean already
    assert embedders.suggestion(BUNDLED_EMBEDDER_ID, KOREAN[:2]) is None  # two passages say nothing


def test_an_installed_multilingual_model_is_suggested_before_one_to_download(tmp_path: Path) -> None:
    second = EMBEDDERS[1]
    folder = embedders.folder_of(second)
    folder.mkdir(parents=True)
    (folder / "model.safetensors").write_bytes(b"x")
    (folder / "modules.json").write_text("[]")
    assert embedders.installed() == [second]
    assert embedders.suggestion(BUNDLED_EMBEDDER_ID, KOREAN) == second


def test_a_catalog_embedder_not_downloaded_says_how_to_download_it() -> None:
    with pytest.raises(AssistantError, match="models download multilingual-e5-small"):
        embedders.make("intfloat/multilingual-e5-small")
