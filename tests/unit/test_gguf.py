from pathlib import Path

import pytest

from assistant.errors import ModelFileError
from assistant.paths import bundled_model_path
from assistant.runtime.gguf import read_gguf
from tests.gguf_builder import build_gguf
from tests.stated_sampling import gguf_stating


def test_bundled_model_is_found_and_reads_as_a_llama_chat_model() -> None:
    info = read_gguf(bundled_model_path())
    assert bundled_model_path().name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert info.architecture == "llama"
    assert info.quantization == "Q4_1"
    assert info.context_length == 8192
    assert info.chat_template and "im_start" in info.chat_template
    assert info.data_end == info.file_size


def test_small_valid_file_gives_its_metadata(tmp_path: Path) -> None:
    info = read_gguf(build_gguf(tmp_path / "tiny.gguf"))
    assert (info.name, info.architecture, info.context_length) == ("Tiny Test", "llama", 2048)
    assert info.metadata["tokenizer.ggml.tokens"] == ["a", "b"]


def test_renamed_text_file_is_refused_as_not_gguf(tmp_path: Path) -> None:
    fake = tmp_path / "model.gguf"
    fake.write_text("these are my notes, not a model\n" * 10)
    with pytest.raises(ModelFileError, match="not a GGUF model file"):
        read_gguf(fake)


def test_truncated_download_is_refused_with_sizes(tmp_path: Path) -> None:
    path = build_gguf(tmp_path / "tiny.gguf", elements=4096)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) - 100])
    with pytest.raises(ModelFileError, match="incomplete") as caught:
        read_gguf(path)
    assert f"{len(whole):,}" in str(caught.value)


def test_file_cut_inside_the_header_is_truncated_not_garbage(tmp_path: Path) -> None:
    path = build_gguf(tmp_path / "tiny.gguf")
    path.write_bytes(path.read_bytes()[:60])
    with pytest.raises(ModelFileError, match="incomplete"):
        read_gguf(path)


def test_missing_file_says_how_to_restore_it(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="does not exist.*reinstall"):
        read_gguf(tmp_path / "gone.gguf")


def test_unknown_gguf_version_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="version 9"):
        read_gguf(build_gguf(tmp_path / "v9.gguf", version=9))


def test_the_sampling_a_file_recommends_is_read_from_its_header(tmp_path: Path) -> None:
    info = read_gguf(gguf_stating(tmp_path / "stated.gguf", temp=0.6, top_k=20, penalty_repeat=1.05))
    assert info.sampling == {"temperature": pytest.approx(0.6), "top_k": 20, "repeat_penalty": pytest.approx(1.05)}
    assert read_gguf(build_gguf(tmp_path / "plain.gguf")).sampling == {}  # most files state none
