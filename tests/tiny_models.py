"""Tiny random-weight transformers models, built and saved locally: nothing is downloaded.

Each builder writes a complete model folder (config.json, model.safetensors, tokenizer files,
chat template), the same layout as one downloaded from the Hugging Face Hub. The weights are
random, so the replies are gibberish, but seeded: the same folder always says the same thing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
VOCAB_SIZE = 512  # covers the trained tokenizer (about 256 bytes + merges + special tokens)

# ChatML, as SmolLM2 and Qwen use it.
CHATML = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)
# ChatML with a reasoning switch, as Qwen3 has it: thinking off pre-fills an empty think block.
CHATML_THINKING = CHATML.replace(
    "{{ '<|im_start|>assistant\n' }}",
    "{{ '<|im_start|>assistant\n' }}"
    "{% if enable_thinking is defined and enable_thinking is false %}{{ '<think>\n\n</think>\n\n' }}{% endif %}",
)

_CORPUS = [
    "You are a helpful assistant that runs on this computer.",
    "Which city is the capital of France? Paris is the capital of France.",
    "The ocean is deep and full of life. Rivers run into the sea.",
    "Hello! How can I help you today? Tell me a short story, please.",
    "<think> Let me think about this step by step. </think> The answer is 42.",
]


def _tokenizer(chat_template: str) -> Any:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=400,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(_CORPUS, trainer=trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token="<|im_start|>",
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
    )
    fast.chat_template = chat_template
    assert len(fast) <= VOCAB_SIZE
    return fast


def _save(path: Path, model: Any, tok: Any) -> Path:
    ids = {name: tok.convert_tokens_to_ids(name) for name in SPECIAL_TOKENS}
    for cfg in (model.config, model.generation_config):
        cfg.bos_token_id = ids["<|im_start|>"]
        cfg.eos_token_id = ids["<|im_end|>"]
        cfg.pad_token_id = ids["<|endoftext|>"]
    path.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(path)
    tok.save_pretrained(path)
    return path


def tiny_llama4(path: Path, *, thinking_template: bool = True) -> Path:
    """A ``Llama4ForCausalLM`` (model type ``llama4_text``), the architecture of MobileLLM-R1.

    One dense layer and one mixture-of-experts layer (2 experts, top-1), so both feed-forward
    paths run; the template has Qwen3's ``enable_thinking`` switch.
    """
    import torch
    from transformers import Llama4ForCausalLM, Llama4TextConfig

    torch.manual_seed(0)
    config = Llama4TextConfig(
        vocab_size=VOCAB_SIZE,
        hidden_size=64,
        intermediate_size=64,
        intermediate_size_mlp=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        head_dim=16,
        max_position_embeddings=2048,
        num_local_experts=2,
        num_experts_per_tok=1,
        moe_layers=[1],
        attention_chunk_size=256,
        tie_word_embeddings=False,
    )
    model = Llama4ForCausalLM(config).eval()
    return _save(path, model, _tokenizer(CHATML_THINKING if thinking_template else CHATML))


def tiny_llama(path: Path, *, thinking_template: bool = False) -> Path:
    """A ``LlamaForCausalLM`` (SmolLM2's architecture) with a plain ChatML template."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=VOCAB_SIZE,
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=512,
        tie_word_embeddings=True,
    )
    model = LlamaForCausalLM(config).eval()
    return _save(path, model, _tokenizer(CHATML_THINKING if thinking_template else CHATML))


_WORDS = (
    "the a an of to in is and on for with what which who how where when why capital city france paris "
    "ocean river sea deep life model reranker passage question answer document title heading chapter "
    "python django install package field type charfield database query index search embed token"
).split()


def tiny_cross_encoder(path: Path, *, minimal_files: bool = False) -> Path:
    """A ``BertForSequenceClassification`` with one output label: a cross-encoder, as rerankers are.

    Two layers, hidden size 32, a WordPiece vocabulary of a few words, letters and digits; seeded
    random weights saved as ``model.safetensors``. Its scores mean nothing but are repeatable.
    ``minimal_files`` keeps only config.json, tokenizer.json and model.safetensors, the files the
    catalog's MiniLM reranker downloads.
    """
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    path.mkdir(parents=True, exist_ok=True)
    letters = list("abcdefghijklmnopqrstuvwxyz0123456789.,?!'-")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *letters, *(f"##{c}" for c in letters), *_WORDS]
    vocab_file = path / "vocab.txt"
    vocab_file.write_text("\n".join(dict.fromkeys(vocab)) + "\n", encoding="utf-8")
    tok = BertTokenizerFast(str(vocab_file), do_lower_case=True, model_max_length=512)
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(tok),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=512,
        num_labels=1,
        pad_token_id=tok.pad_token_id,
    )
    model = BertForSequenceClassification(config).eval()
    with torch.no_grad():  # a classifier head large enough that different texts get clearly different scores
        model.classifier.weight.normal_(0.0, 2.0)
    model.save_pretrained(path, safe_serialization=True)
    tok.save_pretrained(path)
    if minimal_files:
        keep = {"config.json", "tokenizer.json", "model.safetensors"}
        for file in path.iterdir():
            if file.name not in keep:
                file.unlink()
    return path


_MULTILINGUAL = [
    "아카이브를 만들려면 tar 명령을 사용합니다. 압축을 풀려면 아카이브에서 파일을 꺼냅니다.",
    "사진을 편집하고 문서를 번역합니다. 회의는 내일 오전 열 시에 시작합니다.",
    "アーカイブを作成するにはコマンドを使います。文書を翻訳します。",
    "创建归档文件。翻译文档。会议明天开始。",
    "Create an archive with tar. Extract files from the archive. The meeting starts tomorrow.",
    "Erstellen Sie ein Archiv. Die Besprechung beginnt morgen.",
]


def tiny_multilingual_embedder(path: Path, *, hidden_size: int = 48) -> Path:
    """A random ``BertModel`` with a WordPiece vocabulary learnt here from Korean, Japanese, Chinese,
    English and German sentences: an embedding model's own files (config.json, model.safetensors,
    tokenizer.json, tokenizer_config.json, special_tokens_map.json), as the catalog downloads them.

    Its vectors (``hidden_size`` wide) mean nothing, but they are repeatable and tell texts apart.
    """
    import torch
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=False, handle_chinese_chars=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    tok.train_from_iterator(_MULTILINGUAL, trainers.WordPieceTrainer(vocab_size=600, special_tokens=special))
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B [SEP]", special_tokens=[("[CLS]", cls), ("[SEP]", sep)]
    )
    fast = PreTrainedTokenizerFast(  # not BertTokenizerFast: it would NFD-split Hangul into unknown jamo
        tokenizer_object=tok,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
        model_max_length=512,
    )
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(fast),
        hidden_size=hidden_size,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=hidden_size * 2,
        max_position_embeddings=512,
        pad_token_id=fast.pad_token_id,
    )
    path.mkdir(parents=True, exist_ok=True)
    BertModel(config).eval().save_pretrained(path, safe_serialization=True)
    fast.save_pretrained(path)
    for extra in path.iterdir():  # vocab.txt and the like: the catalog downloads tokenizer.json alone
        if extra.name not in EMBEDDER_FILES:
            extra.unlink()
    return path


EMBEDDER_FILES = ("config.json", "tokenizer.json", "tokenizer_config.json", "model.safetensors")


def tiny_embedder_entry(
    folder: Path, name: str = "Tiny Multilingual", revision: str = "ab" * 20, pinned: bool = True
) -> Any:
    """A catalog embedder for a :func:`tiny_multilingual_embedder` folder, pinned as the catalog pins its
    own (each file's size and SHA-256; ``pinned=False`` leaves the hashes out), with E5's prefixes."""
    import hashlib

    from assistant.runtime import catalog

    files = tuple(
        catalog.CatalogFile(
            n, (folder / n).stat().st_size, hashlib.sha256((folder / n).read_bytes()).hexdigest() if pinned else None
        )
        for n in EMBEDDER_FILES
    )
    return catalog.CatalogModel(
        "tiny-multilingual", name, "test/tiny-multilingual", files, catalog.EMBEDDER_RUNTIME, "0.1M", "F32", "MIT",
        512, False, revision=revision, multilingual=True, kind="embedder", query_prefix="query: ",
        passage_prefix="passage: ", dimension=48,
    )  # fmt: skip
