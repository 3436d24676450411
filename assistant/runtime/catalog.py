"""A curated list of instruct models that run on laptops (and larger ones for a GPU), pinned byte for byte.

Every file is pinned to a Hugging Face repository commit (``revision``, 40 hex digits, never ``main``,
which publishers re-upload), its exact size and its SHA-256 (the LFS object id Hugging Face lists for
it). :func:`fetch.download_model` downloads ``/resolve/<revision>/<file>`` and keeps the file only
when both size and SHA-256 match; otherwise it is deleted and the person is told why.

Where the pins come from: no network is used to build this list. Each revision, size and SHA-256 was
read from public records of other projects that pin the same Hugging Face file (model manifests,
download scripts and benchmark notes that state repository, commit, bytes and LFS SHA-256), and only
values that at least two independent records agree on were kept. Where records name several commits
of a repository holding the same file (the SHA-256 proves it is the same), the one most records use
was chosen. Entries whose file could not be pinned that way were removed: DeepSeek-R1-Distill-Qwen-1.5B
(bartowski's Q4_K_M: no record with its SHA-256) and MobileLLM-R1-950M (a gated safetensors folder
whose sizes were only estimated).

Each entry also carries the sampling its publisher recommends (``sampling``; the source is cited
beside it), which :mod:`sampling` uses when the model file itself states none.

``RERANKERS`` lists the cross-encoders that reorder document passages (``kind`` "reranker", runtime
"cross-encoder"), pinned the same way, every file of the folder with its size and SHA-256. They are
kept out of ``CATALOG``, so nothing that offers, recommends or lists chat models ever sees them; they
download with :func:`fetch.download_reranker` into ``<models>/rerankers/<id>/``.

``EMBEDDERS`` lists the sentence-embedding models a library can use instead of the bundled English
all-MiniLM-L6-v2 (``kind`` "embedder"), pinned the same way and downloaded by
:func:`fetch.download_embedder` into ``<models>/embedders/<id>/``. Only the model's own files are
downloaded (weights, configuration, tokenizer); the few lines that tell sentence-transformers to
mean-pool its tokens are written by the app from the entry (``fetch.write_pooling``).
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.errors import AssistantError
from assistant.runtime.sampling import Sampling

GB = 1_000_000_000
CONTEXT_FOR_FIT = 4096  # tokens of KV cache counted by ram_needed
# Runtime overhead on top of weights and KV cache: llama.cpp's compute buffers and the app itself;
# for transformers, torch and its allocator too.
OVERHEAD = {"llama.cpp": 500_000_000, "transformers": 1_000_000_000}
USABLE_SHARE = 0.8  # the system and other programs keep about a fifth of the memory
PERMISSIVE = ("Apache-2.0", "MIT")  # licences with no use restrictions and nothing to accept first


@dataclass(frozen=True)
class CatalogFile:
    name: str  # file name in the repo, e.g. "Qwen3-0.6B-Q8_0.gguf"
    size: int  # exact bytes at the pinned revision (verified after download)
    sha256: str | None = None  # the LFS SHA-256 at the pinned revision (verified after download)


@dataclass(frozen=True)
class CatalogModel:
    id: str  # short stable id, e.g. "qwen3-0.6b"
    name: str
    repo: str  # Hugging Face repo, e.g. "Qwen/Qwen3-0.6B-GGUF"
    files: tuple[CatalogFile, ...]
    runtime: str  # "llama.cpp" or "transformers"
    params: str  # "0.6B", "360M"
    quantization: str  # "Q8_0", "Q4_K_M"
    license: str  # SPDX-ish: "Apache-2.0", "Gemma", "Llama-3.2", "MIT"
    context_length: int
    reasoning: bool  # R1-style / Qwen3 thinking
    note: str = ""  # e.g. a licence that must be accepted first
    revision: str = "main"  # every CATALOG entry pins a 40-hex commit
    # KV cache bytes per token at 16 bits: 2 (K and V) x layers x KV heads x head dim x 2 bytes,
    # from each model's config.json.
    kv_bytes_per_token: int = 0
    multilingual: bool = False  # writes Korean, Chinese, Japanese and many more, not only English
    sampling: Sampling | None = None  # the publisher's recommended sampling (thinking on, where it applies)
    sampling_without_thinking: Sampling | None = None  # for reasoning models run with thinking off
    kind: str = "chat"  # "chat", "reranker" (in RERANKERS) or "embedder" (in EMBEDDERS), never both
    # Embedders only: what the model was trained to read before a question and before a passage
    # (E5: "query: " / "passage: "), and its vector size.
    query_prefix: str = ""
    passage_prefix: str = ""
    dimension: int = 0
    pooling: str = "mean"  # how token vectors become one: "mean" or "cls"

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)

    @property
    def parameters(self) -> float:
        """Parameters as a number, from ``params`` ("0.6B" -> 6e8, "360M" -> 3.6e8)."""
        scale = {"B": 1e9, "M": 1e6}.get(self.params[-1:].upper(), 0.0)
        try:
            return float(self.params[:-1]) * scale
        except ValueError:
            return 0.0

    @property
    def permissive(self) -> bool:
        """Free for any use with no licence to accept first (Apache-2.0 or MIT)."""
        return self.license in PERMISSIVE

    @property
    def pinned(self) -> bool:
        """Pinned to a commit, with every file's exact size and SHA-256."""
        hexes = set("0123456789abcdef")
        commit = len(self.revision) == 40 and set(self.revision) <= hexes
        return commit and all(f.sha256 is not None and len(f.sha256) == 64 for f in self.files)

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


def _gguf(name: str, size: int, sha256: str) -> tuple[CatalogFile, ...]:
    return (CatalogFile(name, size, sha256),)


_LLAMA_NOTE = "Llama 3.2 Community License: by downloading you accept Meta's licence and acceptable use policy."
_GEMMA_NOTE = "Gemma Terms of Use: by downloading you accept Google's terms and prohibited use policy. Text only."

# Qwen3 model cards (huggingface.co/Qwen/Qwen3-*, "Best Practices"; the Qwen3-*-GGUF cards' llama.cpp
# command): thinking mode temperature 0.6, top-p 0.95, top-k 20, min-p 0; non-thinking 0.7, 0.8, 20, 0;
# presence penalty 1.5 for the quantized files, against endless repetition. The app runs Qwen3 with
# thinking on by default (ModelSettings.thinking), so ``sampling`` holds the thinking values.
_QWEN3 = Sampling(temperature=0.6, top_p=0.95, top_k=20, min_p=0.0, repeat_penalty=1.0, presence_penalty=1.5)
_QWEN3_NO_THINK = Sampling(temperature=0.7, top_p=0.8, top_k=20, min_p=0.0, repeat_penalty=1.0, presence_penalty=1.5)
# Gemma 3: google/gemma-3-*-it generation_config.json (top_k 64, top_p 0.95); temperature 1.0 and
# min_p 0.0 complete the Gemma team's recommended inference settings (as Unsloth's Gemma 3 guide relays them).
_GEMMA3 = Sampling(temperature=1.0, top_p=0.95, top_k=64, min_p=0.0, repeat_penalty=1.0)
# Llama 3.2: meta-llama/Llama-3.2-*-Instruct generation_config.json (temperature 0.6, top_p 0.9; no
# top-k, so none here: 0 is off in llama.cpp and transformers).
_LLAMA32 = Sampling(temperature=0.6, top_p=0.9, top_k=0, min_p=0.0, repeat_penalty=1.0)
# SmolLM2: the HuggingFaceTB/SmolLM2-*-Instruct model cards generate with temperature 0.2, top_p 0.9;
# top-k, min-p and the mild repetition penalty are the app's small-model defaults (sampling.py).
_SMOLLM2 = Sampling(temperature=0.2, top_p=0.9, top_k=40, min_p=0.05, repeat_penalty=1.1)

# fmt: off
CATALOG: tuple[CatalogModel, ...] = (
    CatalogModel(
        "qwen3-0.6b", "Qwen3 0.6B", "Qwen/Qwen3-0.6B-GGUF",
        _gguf("Qwen3-0.6B-Q8_0.gguf", 639_446_688, "9465e63a22add5354d9bb4b99e90117043c7124007664907259bd16d043bb031"),
        "llama.cpp", "0.6B", "Q8_0", "Apache-2.0", 32_768, True,
        revision="23749fefcc72300e3a2ad315e1317431b06b590a", kv_bytes_per_token=_kv(28, 8, 128),
        multilingual=True, sampling=_QWEN3, sampling_without_thinking=_QWEN3_NO_THINK,
    ),
    CatalogModel(
        "qwen3-1.7b", "Qwen3 1.7B", "Qwen/Qwen3-1.7B-GGUF",
        _gguf("Qwen3-1.7B-Q8_0.gguf", 1_834_426_016,
              "061b54daade076b5d3362dac252678d17da8c68f07560be70818cace6590cb1a"),
        "llama.cpp", "1.7B", "Q8_0", "Apache-2.0", 32_768, True,
        revision="90862c4b9d2787eaed51d12237eafdfe7c5f6077", kv_bytes_per_token=_kv(28, 8, 128),
        multilingual=True, sampling=_QWEN3, sampling_without_thinking=_QWEN3_NO_THINK,
    ),
    CatalogModel(
        "qwen3-4b", "Qwen3 4B", "Qwen/Qwen3-4B-GGUF",
        _gguf("Qwen3-4B-Q4_K_M.gguf", 2_497_280_256,
              "7485fe6f11af29433bc51cab58009521f205840f5b4ae3a32fa7f92e8534fdf5"),
        "llama.cpp", "4B", "Q4_K_M", "Apache-2.0", 32_768, True,
        revision="bc640142c66e1fdd12af0bd68f40445458f3869b", kv_bytes_per_token=_kv(36, 8, 128),
        multilingual=True, sampling=_QWEN3, sampling_without_thinking=_QWEN3_NO_THINK,
    ),
    CatalogModel(
        "qwen3-8b", "Qwen3 8B", "Qwen/Qwen3-8B-GGUF",
        _gguf("Qwen3-8B-Q4_K_M.gguf", 5_027_783_488,
              "d98cdcbd03e17ce47681435b5150e34c1417f50b5c0019dd560e4882c5745785"),
        "llama.cpp", "8B", "Q4_K_M", "Apache-2.0", 32_768, True,
        revision="7c41481f57cb95916b40956ab2f0b139b296d974", kv_bytes_per_token=_kv(36, 8, 128),
        multilingual=True, sampling=_QWEN3, sampling_without_thinking=_QWEN3_NO_THINK,
    ),
    CatalogModel(
        "qwen3-14b", "Qwen3 14B", "Qwen/Qwen3-14B-GGUF",
        _gguf("Qwen3-14B-Q4_K_M.gguf", 9_001_752_960,
              "500a8806e85ee9c83f3ae08420295592451379b4f8cf2d0f41c15dffeb6b81f0"),
        "llama.cpp", "14B", "Q4_K_M", "Apache-2.0", 32_768, True,
        revision="530227a7d994db8eca5ab5ced2fb692b614357fd", kv_bytes_per_token=_kv(40, 8, 128),
        multilingual=True, sampling=_QWEN3, sampling_without_thinking=_QWEN3_NO_THINK,
    ),
    CatalogModel(
        "gemma-3-1b-it", "Gemma 3 1B Instruct", "ggml-org/gemma-3-1b-it-GGUF",
        _gguf("gemma-3-1b-it-Q4_K_M.gguf", 806_058_240,
              "8ccc5cd1f1b3602548715ae25a66ed73fd5dc68a210412eea643eb20eb75a135"),
        "llama.cpp", "1B", "Q4_K_M", "Gemma", 32_768, False, note=_GEMMA_NOTE,
        revision="f9c28bcd85737ffc5aef028638d3341d49869c27", kv_bytes_per_token=_kv(26, 1, 256), sampling=_GEMMA3,
    ),
    CatalogModel(
        "gemma-3-4b-it", "Gemma 3 4B Instruct", "ggml-org/gemma-3-4b-it-GGUF",
        _gguf("gemma-3-4b-it-Q4_K_M.gguf", 2_489_757_856,
              "882e8d2db44dc554fb0ea5077cb7e4bc49e7342a1f0da57901c0802ea21a0863"),
        "llama.cpp", "4B", "Q4_K_M", "Gemma", 131_072, False, note=_GEMMA_NOTE,
        revision="d0976223747697cb51e056d85c532013931fe52e", kv_bytes_per_token=_kv(34, 4, 256),
        multilingual=True, sampling=_GEMMA3,
    ),
    CatalogModel(
        "llama-3.2-1b-instruct", "Llama 3.2 1B Instruct", "bartowski/Llama-3.2-1B-Instruct-GGUF",
        _gguf("Llama-3.2-1B-Instruct-Q4_K_M.gguf", 807_694_464,
              "6f85a640a97cf2bf5b8e764087b1e83da0fdb51d7c9fab7d0fece9385611df83"),
        "llama.cpp", "1B", "Q4_K_M", "Llama-3.2", 131_072, False, note=_LLAMA_NOTE,
        revision="067b946cf014b7c697f3654f621d577a3e3afd1c", kv_bytes_per_token=_kv(16, 8, 64), sampling=_LLAMA32,
    ),
    CatalogModel(
        "llama-3.2-3b-instruct", "Llama 3.2 3B Instruct", "bartowski/Llama-3.2-3B-Instruct-GGUF",
        _gguf("Llama-3.2-3B-Instruct-Q4_K_M.gguf", 2_019_377_696,
              "6c1a2b41161032677be168d354123594c0e6e67d2b9227c84f296ad037c728ff"),
        "llama.cpp", "3B", "Q4_K_M", "Llama-3.2", 131_072, False, note=_LLAMA_NOTE,
        revision="5ab33fa94d1d04e903623ae72c95d1696f09f9e8", kv_bytes_per_token=_kv(28, 8, 128), sampling=_LLAMA32,
    ),
    CatalogModel(
        "smollm2-360m-instruct", "SmolLM2 360M Instruct", "HuggingFaceTB/SmolLM2-360M-Instruct-GGUF",
        _gguf("smollm2-360m-instruct-q8_0.gguf", 386_404_992,
              "48ab3034d0dd401fbc721eb1df3217902fee7dab9078992d66431f09b7750201"),
        "llama.cpp", "360M", "Q8_0", "Apache-2.0", 8_192, False,
        revision="593b5a2e04c8f3e4ee880263f93e0bd2901ad47f", kv_bytes_per_token=_kv(32, 5, 64), sampling=_SMOLLM2,
    ),
    CatalogModel(
        "smollm2-1.7b-instruct", "SmolLM2 1.7B Instruct", "HuggingFaceTB/SmolLM2-1.7B-Instruct-GGUF",
        _gguf("smollm2-1.7b-instruct-q4_k_m.gguf", 1_055_609_536,
              "decd2598bc2c8ed08c19adc3c8fdd461ee19ed5708679d1c54ef54a5a30d4f33"),
        "llama.cpp", "1.7B", "Q4_K_M", "Apache-2.0", 8_192, False,
        revision="2d4a76a30b4af41ecd395c35725ac11688d4cfe4", kv_bytes_per_token=_kv(24, 32, 64), sampling=_SMOLLM2,
    ),
    # Phi-4-mini's card states no sampling values (its example decodes greedily): the app's defaults apply.
    CatalogModel(
        "phi-4-mini-instruct", "Phi-4 mini Instruct", "bartowski/microsoft_Phi-4-mini-instruct-GGUF",
        _gguf("microsoft_Phi-4-mini-instruct-Q4_K_M.gguf", 2_491_874_688,
              "01999f17c39cc3074afae5e9c539bc82d45f2dd7faa3917c66cbef76fce8c0c2"),
        "llama.cpp", "3.8B", "Q4_K_M", "MIT", 131_072, False,
        revision="7ff82c2aaa4dde30121698a973765f39be5288c0", kv_bytes_per_token=_kv(32, 8, 128), multilingual=True,
    ),
)
# fmt: on


RERANKER_RUNTIME = "cross-encoder"
RERANKERS_FOLDER = "rerankers"  # <models>/rerankers/<id>/: downloaded cross-encoders, one folder each

# The revisions, sizes and SHA-256 below agree across several public manifests and download scripts
# that pin these repositories (see the module docstring). MiniLM needs no tokenizer_config.json: the
# tokenizer is whole in tokenizer.json, and the reranker sets the 512-token limit itself.
# fmt: off
RERANKERS: tuple[CatalogModel, ...] = (
    CatalogModel(
        "ms-marco-minilm-l6-v2", "MS MARCO MiniLM-L6 v2 (English reranker)", "cross-encoder/ms-marco-MiniLM-L6-v2",
        (
            CatalogFile("config.json", 794, "380e02c93f431831be65d99a4e7e5f67c133985bf2e77d9d4eba46847190bacc"),
            CatalogFile("tokenizer.json", 711_396, "d241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66"),
            CatalogFile("model.safetensors", 90_870_598,
                        "821d1aa69520101d6e0737f78a042ae25b19e5cb9160701909d10434f4aeb0ae"),
        ),
        RERANKER_RUNTIME, "22.7M", "F32", "Apache-2.0", 512, False,
        revision="233902d25c440f23af6f7d6e94d2946bac0bee0a", kind="reranker",
    ),
    CatalogModel(
        "bge-reranker-v2-m3", "BGE Reranker v2 M3 (multilingual reranker)", "BAAI/bge-reranker-v2-m3",
        (
            CatalogFile("config.json", 795, "13dcd6c31d9fec9d1d8e158702072f62d7fa7d312a64b9fe057bec9a08cfe41a"),
            CatalogFile("special_tokens_map.json", 964,
                        "8c785abebea9ae3257b61681b4e6fd8365ceafde980c21970d001e834cf10835"),
            CatalogFile("tokenizer_config.json", 1_173,
                        "7e4c1cc848840aeccdd763458c18dd525eb0f795c992e00ebe9c28554e7db2d4"),
            CatalogFile("tokenizer.json", 17_098_273,
                        "69564b696052886ed0ac63fa393e928384e0f8caada38c1f4864a9bfbf379c15"),
            CatalogFile("model.safetensors", 2_271_071_852,
                        "d9e3e081faff1eefb84019509b2f5558fd74c1a05a2c7db22f74174fcedb5286"),
        ),
        RERANKER_RUNTIME, "568M", "F32", "Apache-2.0", 8_192, False,
        revision="953dc6f6f85a1b2dbfca4c34a2796e7dde08d41e", multilingual=True, kind="reranker",
    ),
)
# fmt: on


EMBEDDER_RUNTIME = "sentence-transformers"
EMBEDDERS_FOLDER = "embedders"  # <models>/embedders/<id>/: downloaded sentence-embedding models

# Pinned as above; the sizes and SHA-256 of the small JSON files were also checked against copies of
# their text rebuilt from public pages. BAAI/bge-m3 is left out: it publishes only pytorch_model.bin
# weights, which the app does not load. Both models are 12-layer, 384-wide multilingual MiniLMs that
# mean-pool their tokens; E5 was trained with "query: " and "passage: " before its texts.
# fmt: off
EMBEDDERS: tuple[CatalogModel, ...] = (
    CatalogModel(
        "multilingual-e5-small", "Multilingual E5 small (Korean, Japanese, Chinese and about 90 more languages)",
        "intfloat/multilingual-e5-small",
        (
            CatalogFile("config.json", 655, "69137736cab8b8903a07fe8afaafdda25aac55415a12a55d1bffa9f581abf959"),
            CatalogFile("tokenizer_config.json", 443,
                        "a1d6bc8734a6f635dc158508bef000f8e2e5a759c7d92f984b2c86e5ff53425b"),
            CatalogFile("special_tokens_map.json", 167,
                        "d05497f1da52c5e09554c0cd874037a083e1dc1b9cfd48034d1c717f1afc07a7"),
            CatalogFile("tokenizer.json", 17_082_730,
                        "0b44a9d7b51c3c62626640cda0e2c2f70fdacdc25bbbd68038369d14ebdf4c39"),
            CatalogFile("model.safetensors", 470_641_600,
                        "1a55775f53449dac10a2bcbc312469fac40b96d53198c407081a831f81c98477"),
        ),
        EMBEDDER_RUNTIME, "118M", "F32", "MIT", 512, False,
        revision="614241f622f53c4eeff9890bdc4f31cfecc418b3", multilingual=True, kind="embedder",
        query_prefix="query: ", passage_prefix="passage: ", dimension=384,
    ),
    CatalogModel(
        "paraphrase-multilingual-minilm-l12-v2", "Paraphrase multilingual MiniLM-L12 v2 (50 languages)",
        "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2",
        (
            CatalogFile("config.json", 645, "6300193cb75e01cf80c96decef7187dfb33094d97cc1490b7ead6ff134476e4e"),
            CatalogFile("tokenizer_config.json", 526,
                        "5036ea374ffedd706e3bef33e2e0d6953cb868ef8a490e76e32ba0faa37a6b9b"),
            CatalogFile("special_tokens_map.json", 239,
                        "378eb3bf733eb16e65792d7e3fda5b8a4631387ca04d2015199c4d4f22ae554d"),
            CatalogFile("tokenizer.json", 9_081_518,
                        "2c3387be76557bd40970cec13153b3bbf80407865484b209e655e5e4729076b8"),
            CatalogFile("model.safetensors", 470_641_600,
                        "eaa086f0ffee582aeb45b36e34cdd1fe2d6de2bef61f8a559a1bbc9bd955917b"),
        ),
        EMBEDDER_RUNTIME, "118M", "F32", "Apache-2.0", 128, False,
        revision="e8f8c211226b894fcb81acc59f3b34ba3efd5f42", multilingual=True, kind="embedder", dimension=384,
    ),
)
# fmt: on


def find_embedder(model_id: str) -> CatalogModel:
    """The embedder ``model_id`` (its catalog id or its repository, case-insensitive); AssistantError when unknown."""
    key = model_id.strip().lower()
    for model in EMBEDDERS:
        if key in (model.id, model.repo.lower()):
            return model
    ids = ", ".join(m.id for m in EMBEDDERS)
    raise AssistantError(f"There is no embedding model '{model_id}' in the catalog. Choose one of: {ids}.")


def find_reranker(model_id: str) -> CatalogModel:
    """The reranker ``model_id`` (case-insensitive); AssistantError listing the ids when unknown."""
    for model in RERANKERS:
        if model.id == model_id.strip().lower():
            return model
    ids = ", ".join(m.id for m in RERANKERS)
    raise AssistantError(f"There is no reranker '{model_id}' in the catalog. Choose one of: {ids}.")


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
