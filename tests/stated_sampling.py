"""Writes small valid GGUF files that state their recommended sampling (``general.sampling.*``)."""

from __future__ import annotations

import struct
from pathlib import Path


def _string(text: str) -> bytes:
    data = text.encode()
    return struct.pack("<Q", len(data)) + data


def gguf_stating(path: Path, template: str = "{{ x }}", **values: float | int) -> Path:
    """A GGUF (one 8-value tensor) whose header holds ``general.sampling.<key>``: float as float32, int as uint32."""
    kvs = [
        _string("general.architecture") + struct.pack("<I", 8) + _string("llama"),
        _string("general.name") + struct.pack("<I", 8) + _string("Stated Sampling"),
        _string("tokenizer.chat_template") + struct.pack("<I", 8) + _string(template),
    ]
    for key, value in values.items():
        packed = struct.pack("<II", 4, value) if isinstance(value, int) else struct.pack("<If", 6, value)
        kvs.append(_string(f"general.sampling.{key}") + packed)
    header = b"GGUF" + struct.pack("<IQQ", 3, 1, len(kvs)) + b"".join(kvs)
    header += _string("weight") + struct.pack("<IQ", 1, 8) + struct.pack("<IQ", 0, 0)  # F32 at offset 0
    header += b"\0" * (-len(header) % 32)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header + b"\0" * 32)
    return path
