"""Issue 12, finding 11: PyTorch pickle weights are never loaded, whatever the folder holds.

A ``pytorch_model.bin`` is a pickle: opening it with ``torch.load`` can run code. The folder here holds
a real tiny model's weights saved that way, plus a payload that creates a file when unpickled.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.errors import ModelLoadError
from assistant.runtime.transformers_runtime import TransformersRuntime
from tests.tiny_models import tiny_llama

pytestmark = pytest.mark.integration


class _Payload:
    """Unpickling this calls ``open(marker, "w")``: the file appears only if the pickle was opened."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return open, (str(self.marker), "w")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_llama(tmp_path_factory.mktemp("tiny") / "llama")


def pickled_copy(tiny: Path, folder: Path, marker: Path, keep_safetensors: bool) -> Path:
    import torch
    from safetensors.torch import load_file

    shutil.copytree(tiny, folder)
    weights = load_file(str(folder / "model.safetensors"))
    torch.save({**weights, "payload": _Payload(marker)}, folder / "pytorch_model.bin")
    if not keep_safetensors:
        (folder / "model.safetensors").unlink()
    return folder


def test_a_folder_with_only_pytorch_bin_weights_is_refused_with_how_to_convert(tiny: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pickle-ran"
    folder = pickled_copy(tiny, tmp_path / "bin-only", marker, keep_safetensors=False)
    with pytest.raises(ModelLoadError, match=r"only PyTorch weights \(pytorch_model\.bin\).*convert it to safetensors"):
        TransformersRuntime(folder).load()
    assert not marker.exists()


def test_with_both_kinds_only_the_safetensors_are_read(tiny: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pickle-ran"
    folder = pickled_copy(tiny, tmp_path / "both", marker, keep_safetensors=True)
    runtime = TransformersRuntime(folder)
    try:
        assert runtime.load().model == "both"
    finally:
        runtime.close()
    assert not marker.exists()
