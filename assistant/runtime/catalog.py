"""A curated list of small instruct models that run on laptops, and whether one fits this machine.

Sizes are exact byte counts where public records of these Hugging Face files were found (projects
pinning size and checksum, HF's LFS metadata), else the file listing's rounded size ("approx." below)
or an estimate ("estimate"); the download always takes the exact size from the server. No SHA-256
is pinned: the files follow ``main``, which publishers re-upload, and Hugging Face sends each LFS
file's SHA-256 with the download (``X-Linked-ETag``), which :func:`download.download` checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.errors import AssistantError

GB = 1_000_000_000
CONTEXT_FOR_FIT = 4096  # tokens of KV cache counted by ram_needed
# Runtime overhead on top of weights and KV cache: llama.cpp's compute buffers and the app itself;
# for transformers, torch and its allocator too.
OVERHEAD = {"llama.cpp": 500_000_000, "transformers": 1_000_000_000}
USABLE_SHARE = 0.8  # the system and other programs keep about a fifth of the memory


@dataclass(frozen=True)
class CatalogFile:
    name: str  # file name in the repo, e.g. "Qwen3-0.6B-Q8_0.gguf"
    size: int  # approximate bytes (for display and fit checks; exact size is verified from the server)
    sha256: str | None = None


@dataclass(frozen=True)
class CatalogModel:
    id: str  # short stable id, e.g. "qwen3-0.6b"
    name: str
    repo: str  # Hugging Face repo, e.g. "Qwen/Qwen3-0.6B-GGUF"
    files: tuple[CatalogFile, ...]
    runtime: str  # "llama.cpp" or "transformers"
    params: str  # "0.6B"
    quantization: str  # "Q8_0", "BF16"
    license: str  # SPDX-ish: "Apache-2.0", "Gemma", "Llama-3.2", "MIT", "FAIR-NC"
    context_length: int
    reasoning: bool  # R1-style / Qwen3 thinking
    note: str = ""  # e.g. a licence that must be accepted on Hugging Face first (gated)
    revision: str = "main"
    # KV cache bytes per token at 16 bits: 2 (K and V) x layers x KV heads x head dim x 2 bytes,
    # from each model's config.json.
    kv_bytes_per_token: int = 0

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)

    @property
    def ram_needed(self) -> int:
        """An estimate: weights + KV cache for a 4k context + runtime overhead.

        Weights: the file sizes (llama.cpp maps GGUF weights as they are); for transformers twice the
        16-bit files, as a CPU without native bfloat16 runs the model in float32. KV cache:
        ``kv_bytes_per_token`` x 4096 (or a tenth of the weights when unknown). Overhead: ``OVERHEAD``.
        """
        weights = self.size * (2 if self.runtime == "transformers" else 1)
        kv = self.kv_bytes_per_token * CONTEXT_FOR_FIT if self.kv_bytes_per_token else weights // 10
        return weights + kv + OVERHEAD.get(self.runtime, OVERHEAD["transformers"])

    def url(self, file: CatalogFile) -> str:
        return f"https://huggingface.co/{self.repo}/resolve/{self.revision}/{file.name}"


def _kv(layers: int, kv_heads: int, head_dim: int) -> int:
    return 2 * layers * kv_heads * head_dim * 2


def _gguf(name: str, size: int) -> tuple[CatalogFile, ...]:
    return (CatalogFile(name, size),)


_LLAMA_NOTE = "Llama 3.2 Community License: by downloading you accept Meta's licence and acceptable use policy."
_GEMMA_NOTE = "Gemma Terms of Use: by downloading you accept Google's terms and prohibited use policy. Text only."

# fmt: off
CATALOG: tuple[CatalogModel, ...] = (
    CatalogModel(
        "qwen3-0.6b", "Qwen3 0.6B", "Qwen/Qwen3-0.6B-GGUF", _gguf("Qwen3-0.6B-Q8_0.gguf", 639_446_688),
        "llama.cpp", "0.6B", "Q8_0", "Apache-2.0", 32_768, True, kv_bytes_per_token=_kv(28, 8, 128),
    ),
    CatalogModel(
        "qwen3-1.7b", "Qwen3 1.7B", "Qwen/Qwen3-1.7B-GGUF", _gguf("Qwen3-1.7B-Q8_0.gguf", 1_834_426_016),
        "llama.cpp", "1.7B", "Q8_0", "Apache-2.0", 32_768, True, kv_bytes_per_token=_kv(28, 8, 128),
    ),
    CatalogModel(
        "qwen3-4b", "Qwen3 4B", "Qwen/Qwen3-4B-GGUF", _gguf("Qwen3-4B-Q4_K_M.gguf", 2_497_280_256),
        "llama.cpp", "4B", "Q4_K_M", "Apache-2.0", 32_768, True, kv_bytes_per_token=_kv(36, 8, 128),
    ),
    CatalogModel(
        "gemma-3-1b-it", "Gemma 3 1B Instruct", "ggml-org/gemma-3-1b-it-GGUF",
        _gguf("gemma-3-1b-it-Q4_K_M.gguf", 806_058_240), "llama.cpp", "1B", "Q4_K_M", "Gemma", 32_768, False,
        note=_GEMMA_NOTE, kv_bytes_per_token=_kv(26, 1, 256),
    ),
    CatalogModel(
        "gemma-3-4b-it", "Gemma 3 4B Instruct", "ggml-org/gemma-3-4b-it-GGUF",
        _gguf("gemma-3-4b-it-Q4_K_M.gguf", 2_490_000_000),  # approx.: listed as 2.49 GB
        "llama.cpp", "4B", "Q4_K_M", "Gemma", 131_072, False,
        note=_GEMMA_NOTE, kv_bytes_per_token=_kv(34, 4, 256),
    ),
    CatalogModel(
        "llama-3.2-1b-instruct", "Llama 3.2 1B Instruct", "bartowski/Llama-3.2-1B-Instruct-GGUF",
        _gguf("Llama-3.2-1B-Instruct-Q4_K_M.gguf", 807_694_464), "llama.cpp", "1B", "Q4_K_M", "Llama-3.2",
        131_072, False, note=_LLAMA_NOTE, kv_bytes_per_token=_kv(16, 8, 64),
    ),
    CatalogModel(
        "llama-3.2-3b-instruct", "Llama 3.2 3B Instruct", "bartowski/Llama-3.2-3B-Instruct-GGUF",
        _gguf("Llama-3.2-3B-Instruct-Q4_K_M.gguf", 2_020_000_000),  # approx.: listed as 2.02 GB
        "llama.cpp", "3B", "Q4_K_M", "Llama-3.2", 131_072, False,
        note=_LLAMA_NOTE, kv_bytes_per_token=_kv(28, 8, 128),
    ),
    CatalogModel(
        "smollm2-360m-instruct", "SmolLM2 360M Instruct", "HuggingFaceTB/SmolLM2-360M-Instruct-GGUF",
        _gguf("smollm2-360m-instruct-q8_0.gguf", 386_000_000),  # approx.: listed as 386 MB
        "llama.cpp", "360M", "Q8_0", "Apache-2.0", 8_192, False, kv_bytes_per_token=_kv(32, 5, 64),
    ),
    CatalogModel(
        "smollm2-1.7b-instruct", "SmolLM2 1.7B Instruct", "HuggingFaceTB/SmolLM2-1.7B-Instruct-GGUF",
        _gguf("smollm2-1.7b-instruct-q4_k_m.gguf", 1_055_609_536), "llama.cpp", "1.7B", "Q4_K_M", "Apache-2.0",
        8_192, False, kv_bytes_per_token=_kv(24, 32, 64),
    ),
    CatalogModel(
        "phi-4-mini-instruct", "Phi-4 mini Instruct", "bartowski/microsoft_Phi-4-mini-instruct-GGUF",
        _gguf("microsoft_Phi-4-mini-instruct-Q4_K_M.gguf", 2_490_000_000),  # approx.: listed as 2.49 GB
        "llama.cpp", "3.8B", "Q4_K_M", "MIT", 131_072, False, kv_bytes_per_token=_kv(32, 8, 128),
    ),
    CatalogModel(
        "deepseek-r1-distill-qwen-1.5b", "DeepSeek-R1 Distill Qwen 1.5B",
        "bartowski/DeepSeek-R1-Distill-Qwen-1.5B-GGUF",
        _gguf("DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf", 1_120_000_000),  # approx.: listed as 1.12 GB
        "llama.cpp", "1.5B", "Q4_K_M", "MIT", 131_072, True, kv_bytes_per_token=_kv(28, 2, 128),
    ),
    CatalogModel(
        "mobilellm-r1-950m", "MobileLLM-R1 950M", "facebook/MobileLLM-R1-950M",
        (
            CatalogFile("config.json", 2_000),
            CatalogFile("generation_config.json", 200),
            CatalogFile("model.safetensors", 1_900_000_000),  # estimate: 949M parameters in bfloat16
            CatalogFile("tokenizer.json", 17_200_000),  # estimate: a 128k-token Llama 3 style tokenizer
            CatalogFile("tokenizer_config.json", 55_000),
            CatalogFile("special_tokens_map.json", 500),
            CatalogFile("chat_template.jinja", 4_000),
        ),
        "transformers", "950M", "BF16", "FAIR-NC", 32_768, True,
        note=(
            "FAIR Noncommercial Research License: research and non-commercial use only. The repository is gated: "
            "accept the licence on Hugging Face first; if the download is refused, download the files there "
            "and import the folder."
        ),
        kv_bytes_per_token=_kv(22, 6, 64),
    ),
)
# fmt: on


def find(model_id: str) -> CatalogModel:
    """The catalog entry ``model_id`` (case-insensitive); AssistantError listing the ids when unknown."""
    for model in CATALOG:
        if model.id == model_id.strip().lower():
            return model
    ids = ", ".join(m.id for m in CATALOG)
    raise AssistantError(f"There is no model '{model_id}' in the catalog. Choose one of: {ids}.")


def fits(model: CatalogModel, ram_bytes: int) -> tuple[bool, str]:
    """Whether ``model`` fits in ``ram_bytes`` of memory, and a short sentence saying so."""
    needed, have = f"{model.ram_needed / GB:.1f} GB", f"{ram_bytes / GB:.0f} GB"
    if model.ram_needed <= ram_bytes * USABLE_SHARE:
        return True, f"Fits: needs about {needed} of {have} memory."
    if model.ram_needed <= ram_bytes:
        return False, f"Too big for this machine: needs about {needed}, it has {have} and the system needs some."
    return False, f"Too big for this machine: needs about {needed}, it has {have}."
