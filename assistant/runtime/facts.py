"""What the models page shows about a model, read from its files without loading it.

A GGUF file carries its facts in its header (:mod:`assistant.runtime.gguf`). A safetensors
folder has them in ``config.json``, ``tokenizer_config.json`` (or ``chat_template.jinja``)
and the JSON headers of its ``.safetensors`` files, which give every tensor's shape.
The sampling a model's makers recommend is in the GGUF header or ``generation_config.json``.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError, ModelImportError
from assistant.runtime.gguf import read_gguf

# A safetensors header larger than this is not a real one (a renamed file, a broken download).
_MAX_HEADER = 100 * 1024 * 1024
# generation_config.json key -> :class:`~assistant.runtime.sampling.Sampling` field. ``do_sample`` is
# not read: greedy decoding makes small models loop, so a temperature of 0 has to be chosen on purpose.
GENERATION_CONFIG_KEYS = {
    "temperature": "temperature",
    "top_p": "top_p",
    "top_k": "top_k",
    "min_p": "min_p",
    "repetition_penalty": "repeat_penalty",
}
_DTYPE_NAMES = {"BF16": "BF16", "F16": "F16", "F32": "F32", "F8_E4M3": "FP8", "I8": "INT8", "U8": "UINT8"}


@dataclass(frozen=True)
class ModelFacts:
    runtime: str  # "llama.cpp" or "transformers"
    name: str
    architecture: str
    parameters: int  # 0 when unknown
    quantization: str
    size: int  # bytes on disk
    context_length: int | None
    license: str
    chat_template: str | None
    bos_token: str = ""
    eos_token: str = ""

    @property
    def has_chat_template(self) -> bool:
        return bool(self.chat_template)

    @property
    def thinking_switch(self) -> bool:
        """Can reasoning be turned off through the template (Qwen3's ``enable_thinking``)?"""
        return "enable_thinking" in (self.chat_template or "")

    @property
    def reasoning(self) -> bool:
        """Does the model think aloud (R1-style ``<think>`` in its template)?"""
        return "<think>" in (self.chat_template or "") or self.thinking_switch


def describe(path: Path) -> ModelFacts:
    """Facts about a ``.gguf`` file or a safetensors model folder."""
    path = Path(path)
    return describe_folder(path) if path.is_dir() else describe_gguf(path)


def stated_sampling(path: Path) -> dict[str, float]:
    """The sampling values a model states about itself, by ``Sampling`` field; ``{}`` when unreadable.

    A file that cannot be read states nothing here: loading it says what is wrong.
    """
    path = Path(path)
    try:
        return generation_config_sampling(path) if path.is_dir() else read_gguf(path).sampling
    except (AssistantError, OSError):
        return {}


def generation_config_sampling(folder: Path) -> dict[str, float]:
    """The sampling values in ``folder/generation_config.json`` (none when it is absent or damaged)."""
    try:
        raw = json.loads((Path(folder) / "generation_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(raw, dict):
        return {}
    stated = {name: raw[key] for key, name in GENERATION_CONFIG_KEYS.items() if raw.get(key) is not None}
    return {k: float(v) for k, v in stated.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}


def describe_gguf(path: Path) -> ModelFacts:
    info = read_gguf(path)
    return ModelFacts(
        runtime="llama.cpp",
        name=info.name,
        architecture=info.architecture,
        parameters=info.parameters,
        quantization=info.quantization,
        size=info.file_size,
        context_length=info.context_length,
        license=info.license,
        chat_template=info.chat_template,
    )


def describe_folder(folder: Path) -> ModelFacts:
    config = _read_json(folder / "config.json", folder, required=True)
    tokenizer_config = _read_json(folder / "tokenizer_config.json", folder, required=False)
    weights = sorted(folder.glob("*.safetensors"))
    if not weights:
        raise ModelImportError(
            f"{folder} has no .safetensors weights. Copy the whole model folder, including its "
            "model*.safetensors files (PyTorch .bin weights are not accepted: they can run code when loaded)."
        )
    parameters, dtypes = 0, set()
    for weight in weights:
        for tensor in _safetensors_header(weight).values():
            count = 1
            for dim in tensor["shape"]:
                count *= int(dim)
            parameters += count
            dtypes.add(str(tensor["dtype"]))
    architectures = config.get("architectures") or [config.get("model_type", "unknown")]
    text_config = config.get("text_config")
    text_config = text_config if isinstance(text_config, dict) else {}
    context = config.get("max_position_embeddings") or text_config.get("max_position_embeddings")
    return ModelFacts(
        runtime="transformers",
        name=folder.name,
        architecture=str(architectures[0]),
        parameters=parameters,
        quantization="/".join(sorted(_DTYPE_NAMES.get(d, d) for d in dtypes)) or "?",
        size=sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()),
        context_length=int(context) if context else None,
        license=_license(folder),
        chat_template=_chat_template(folder, tokenizer_config),
        bos_token=_token_text(tokenizer_config.get("bos_token")),
        eos_token=_token_text(tokenizer_config.get("eos_token")),
    )


def _read_json(path: Path, folder: Path, required: bool) -> dict[str, Any]:
    if not path.is_file():
        if required:
            raise ModelImportError(
                f"{folder} is not a model folder: it has no {path.name}. Choose the folder that holds "
                "config.json, the tokenizer files and the .safetensors weights."
            )
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelImportError(f"{path} cannot be read as JSON ({exc}); the model folder is damaged.") from exc
    if not isinstance(data, dict):
        raise ModelImportError(f"{path} does not hold a JSON object; the model folder is damaged.")
    return data


def _safetensors_header(path: Path) -> dict[str, Any]:
    """The tensors of a .safetensors file (name -> dtype, shape, offsets), checked against its size."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        raw = handle.read(8)
        length = struct.unpack("<Q", raw)[0] if len(raw) == 8 else -1
        if not 2 <= length <= min(_MAX_HEADER, size - 8):
            raise ModelImportError(f"{path.name} is not a safetensors file (its header is missing or broken).")
        try:
            header = json.loads(handle.read(length))
        except ValueError as exc:
            raise ModelImportError(f"{path.name} is not a safetensors file ({exc}).") from exc
    tensors = {k: v for k, v in header.items() if k != "__metadata__"}
    end = max((int(t["data_offsets"][1]) for t in tensors.values()), default=0)
    if size < 8 + length + end:
        raise ModelImportError(
            f"{path.name} is incomplete: it has {size:,} bytes but needs {8 + length + end:,}. "
            "The download or copy was interrupted; copy or download it again."
        )
    return tensors


def _chat_template(folder: Path, tokenizer_config: dict[str, Any]) -> str | None:
    jinja = folder / "chat_template.jinja"
    if jinja.is_file():
        return jinja.read_text(encoding="utf-8")
    template = tokenizer_config.get("chat_template")
    if isinstance(template, list):  # named templates: the default one
        named = {t.get("name"): t.get("template") for t in template if isinstance(t, dict)}
        template = named.get("default") or next(iter(named.values()), None)
    return str(template) if template else None


def _token_text(token: Any) -> str:
    if isinstance(token, dict):
        return str(token.get("content", ""))
    return str(token) if token else ""


def _license(folder: Path) -> str:
    """The ``license:`` line of the model card's front matter, if there is one."""
    readme = folder / "README.md"
    if not readme.is_file():
        return ""
    lines = readme.read_text(encoding="utf-8", errors="replace").splitlines()
    if not lines or lines[0].strip() != "---":
        return ""
    for line in lines[1:40]:
        if line.strip() == "---":
            break
        if line.startswith("license:"):
            return line.split(":", 1)[1].strip().strip("'\"")
    return ""
