"""Read and check a GGUF file's header without llama.cpp.

Catches what llama.cpp reports poorly before it is asked to load: a missing file, a file
that is not GGUF (a renamed text file), and a truncated download (the tensor data ends
past the end of the file). Also returns the metadata the app shows (name, architecture,
context length, chat template, the sampling its makers recommend).
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import ModelFileError

MAGIC = b"GGUF"
SUPPORTED_VERSIONS = (2, 3)
DEFAULT_ALIGNMENT = 32

# GGUF metadata value types -> struct format of a scalar.
_SCALARS = {
    0: "<B",
    1: "<b",
    2: "<H",
    3: "<h",
    4: "<I",
    5: "<i",
    6: "<f",
    7: "<?",
    10: "<Q",
    11: "<q",
    12: "<d",
}
_STRING, _ARRAY = 8, 9

# ggml tensor type -> (elements per block, bytes per block).
_GGML_TYPES: dict[int, tuple[int, int]] = {
    0: (1, 4),
    1: (1, 2),
    2: (32, 18),
    3: (32, 20),
    6: (32, 22),
    7: (32, 24),
    8: (32, 34),
    9: (32, 36),
    10: (256, 84),
    11: (256, 110),
    12: (256, 144),
    13: (256, 176),
    14: (256, 210),
    15: (256, 292),
    16: (256, 66),
    17: (256, 74),
    18: (256, 98),
    19: (256, 50),
    20: (32, 18),
    21: (256, 110),
    22: (256, 82),
    23: (256, 136),
    24: (1, 1),
    25: (1, 2),
    26: (1, 4),
    27: (1, 8),
    28: (1, 8),
    29: (256, 56),
    30: (1, 2),
    34: (256, 54),
    35: (256, 66),
    39: (32, 17),
}
_FILE_TYPES = {
    0: "F32",
    1: "F16",
    2: "Q4_0",
    3: "Q4_1",
    7: "Q8_0",
    8: "Q5_0",
    9: "Q5_1",
    10: "Q2_K",
    11: "Q3_K_S",
    12: "Q3_K_M",
    13: "Q3_K_L",
    14: "Q4_K_S",
    15: "Q4_K_M",
    16: "Q5_K_S",
    17: "Q5_K_M",
    18: "Q6_K",
    32: "BF16",
}
_MAX_STRING = 64 * 1024 * 1024
# Recommended sampling, as llama.cpp's converter writes it from generation_config.json
# (gguf-py constants ``Keys.General.SAMPLING_*``) -> :class:`~assistant.runtime.sampling.Sampling` field.
# ``penalty_present`` is not one of llama.cpp's keys; Ollama reads it, and so do we.
SAMPLING_KEYS = {
    "general.sampling.temp": "temperature",
    "general.sampling.top_p": "top_p",
    "general.sampling.top_k": "top_k",
    "general.sampling.min_p": "min_p",
    "general.sampling.penalty_repeat": "repeat_penalty",
    "general.sampling.penalty_present": "presence_penalty",
}


@dataclass(frozen=True)
class GGUFInfo:
    path: Path
    version: int
    tensor_count: int
    file_size: int
    data_end: int  # bytes the file needs, by its own tensor table
    metadata: dict[str, Any] = field(repr=False)
    parameters: int = 0  # elements in all tensors

    @property
    def license(self) -> str:
        return str(self.metadata.get("general.license") or "")

    @property
    def block_count(self) -> int:
        return int(self.metadata.get(f"{self.architecture}.block_count") or 0)

    @property
    def architecture(self) -> str:
        return str(self.metadata.get("general.architecture", "unknown"))

    @property
    def name(self) -> str:
        return str(self.metadata.get("general.name") or self.path.stem)

    @property
    def context_length(self) -> int | None:
        value = self.metadata.get(f"{self.architecture}.context_length")
        return int(value) if value is not None else None

    @property
    def chat_template(self) -> str | None:
        value = self.metadata.get("tokenizer.chat_template")
        return str(value) if value else None

    @property
    def sampling(self) -> dict[str, float]:
        """The sampling values the file recommends (often none, often only some), by ``Sampling`` field."""
        stated = {name: self.metadata[key] for key, name in SAMPLING_KEYS.items() if key in self.metadata}
        return {k: float(v) for k, v in stated.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}

    @property
    def quantization(self) -> str:
        file_type = self.metadata.get("general.file_type")
        return _FILE_TYPES.get(int(file_type), str(file_type)) if file_type is not None else "?"


class _Reader:
    def __init__(self, buf: mmap.mmap, path: Path) -> None:
        self.buf, self.pos, self.path = buf, 0, path

    def take(self, n: int) -> bytes:
        end = self.pos + n
        if end > len(self.buf):
            raise ModelFileError.truncated(self.path, len(self.buf), end)
        data = self.buf[self.pos : end]
        self.pos = end
        return data

    def skip(self, n: int) -> None:
        if self.pos + n > len(self.buf):
            raise ModelFileError.truncated(self.path, len(self.buf), self.pos + n)
        self.pos += n

    def unpack(self, fmt: str) -> Any:
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]

    def string(self) -> str:
        length = self.unpack("<Q")
        if length > _MAX_STRING:
            raise ModelFileError.not_gguf(self.path, "a header string is impossibly long")
        return self.take(length).decode("utf-8", errors="replace")

    def value(self, kind: int) -> Any:
        if kind in _SCALARS:
            return self.unpack(_SCALARS[kind])
        if kind == _STRING:
            return self.string()
        if kind == _ARRAY:
            item_kind, count = self.unpack("<I"), self.unpack("<Q")
            if item_kind in _SCALARS:  # skip scalar arrays quickly; keep their length only
                self.skip(struct.calcsize(_SCALARS[item_kind]) * count)
                return ArrayLength(count)
            if item_kind == _STRING and count > 64:  # the vocabulary: skipped, not decoded
                for _ in range(count):
                    self.skip(self.unpack("<Q"))
                return ArrayLength(count)
            items = [self.value(item_kind) for _ in range(count)]
            return items if count <= 64 else ArrayLength(count)
        raise ModelFileError.not_gguf(self.path, f"unknown metadata type {kind}")


class ArrayLength(int):
    """Stands for a long metadata array (e.g. the vocabulary): only its length is kept."""


def read_gguf(path: Path) -> GGUFInfo:
    """Parse and validate ``path``; raise :class:`ModelFileError` with a clear reason."""
    path = Path(path)
    if not path.is_file():
        raise ModelFileError.missing(path)
    size = path.stat().st_size
    if size < 24:
        if size >= 4 and path.read_bytes()[:4] == MAGIC:
            raise ModelFileError.truncated(path, size, 24)
        raise ModelFileError.not_gguf(path, f"it is only {size} bytes long")
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as buf:
        if buf[:4] != MAGIC:
            raise ModelFileError.not_gguf(path, "it does not start with the GGUF signature")
        reader = _Reader(buf, path)
        reader.take(4)
        version = reader.unpack("<I")
        if version not in SUPPORTED_VERSIONS:
            raise ModelFileError.not_gguf(path, f"GGUF version {version} is not supported")
        tensor_count, kv_count = reader.unpack("<Q"), reader.unpack("<Q")
        if tensor_count > 1_000_000 or kv_count > 1_000_000:
            raise ModelFileError.not_gguf(path, "its header counts are impossibly large")
        metadata: dict[str, Any] = {}
        for _ in range(kv_count):
            key = reader.string()
            metadata[key] = reader.value(reader.unpack("<I"))
        data_end, parameters = _tensor_data_end(reader, tensor_count, metadata)
    if size < data_end:
        raise ModelFileError.truncated(path, size, data_end)
    return GGUFInfo(path, version, tensor_count, size, data_end, metadata, parameters)


def _tensor_data_end(reader: _Reader, tensor_count: int, metadata: dict[str, Any]) -> tuple[int, int]:
    """Bytes the file must have (the data section's start plus its last tensor's end), and the parameters."""
    last_end = parameters = 0
    for _ in range(tensor_count):
        reader.string()
        n_dims = reader.unpack("<I")
        if n_dims > 8:
            raise ModelFileError.not_gguf(reader.path, "a tensor has too many dimensions")
        elements = 1
        for _ in range(n_dims):
            elements *= reader.unpack("<Q")
        ggml_type, offset = reader.unpack("<I"), reader.unpack("<Q")
        block = _GGML_TYPES.get(ggml_type)
        nbytes = (elements // block[0]) * block[1] if block else 0
        last_end = max(last_end, offset + nbytes)
        parameters += elements
    alignment = int(metadata.get("general.alignment", DEFAULT_ALIGNMENT)) or DEFAULT_ALIGNMENT
    data_start = -(-reader.pos // alignment) * alignment
    return data_start + last_end, parameters
