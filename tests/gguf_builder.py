"""Writes small, valid GGUF files for tests (the format, not a model)."""

from __future__ import annotations

import struct
from pathlib import Path


def _string(text: str) -> bytes:
    data = text.encode()
    return struct.pack("<Q", len(data)) + data


def build_gguf(
    path: Path, elements: int = 1024, version: int = 3, template: str = "{{ x }}", architecture: str = "llama"
) -> Path:
    """One F32 tensor of ``elements`` values and a little metadata, aligned to 32 bytes."""
    kvs = [
        _string("general.architecture") + struct.pack("<I", 8) + _string(architecture),
        _string("general.name") + struct.pack("<I", 8) + _string("Tiny Test"),
        _string(f"{architecture}.context_length") + struct.pack("<I", 4) + struct.pack("<I", 2048),
        _string("tokenizer.chat_template") + struct.pack("<I", 8) + _string(template),
        _string("tokenizer.ggml.scores")
        + struct.pack("<I", 9)
        + struct.pack("<IQ", 6, 3)
        + struct.pack("<3f", 0.1, 0.2, 0.3),
        _string("tokenizer.ggml.tokens")
        + struct.pack("<I", 9)
        + struct.pack("<IQ", 8, 2)
        + _string("a")
        + _string("b"),
    ]
    header = b"GGUF" + struct.pack("<IQQ", version, 1, len(kvs)) + b"".join(kvs)
    header += _string("weight") + struct.pack("<I", 1) + struct.pack("<Q", elements)
    header += struct.pack("<IQ", 0, 0)  # type F32, offset 0
    header += b"\0" * (-len(header) % 32)
    path.write_bytes(header + b"\0" * (4 * elements))
    return path
