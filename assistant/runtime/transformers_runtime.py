"""The runtime for a Hugging Face model folder (config.json + safetensors), through transformers.

Only safetensors weights are loaded: PyTorch ``.bin`` weights are pickles, which can run any code
when loaded, so a folder that has only those is refused with how to convert it.

``torch`` and ``transformers`` are imported only in :meth:`TransformersRuntime.load`, so the
window appears first. Loading is offline only: the hub is never asked for anything.

Device: CUDA, then Metal (MPS), then the CPU; a model that fails on the GPU (too little memory,
say) runs on the CPU, with a notice. Precision (:func:`choose_dtype`): bfloat16 on a CUDA GPU
that supports it (float16 on older ones), float16 on MPS, and on the CPU bfloat16 only where the
CPU computes it natively (AVX512-BF16 or AMX); elsewhere bfloat16 is emulated and slower than
float32, so float32 it is. The whole model sits on one device, so ``info.gpu_layers`` is 0 on the
CPU and on a GPU the layer count plus one (what llama.cpp reports for a full offload).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.config import ModelSettings
from assistant.errors import AssistantError, ModelLoadError
from assistant.runtime import hardware
from assistant.runtime.context import FittedPrompt, fit_messages
from assistant.runtime.llama import ReasoningText
from assistant.runtime.reasoning import ReasoningSplitter
from assistant.runtime.sampling import ResolvedSampling, Sampling, for_model
from assistant.runtime.types import ChatMessage, RuntimeInfo, StreamStats

if TYPE_CHECKING:
    import torch

log = logging.getLogger(__name__)

LABELS = {"cuda": "CUDA", "mps": "Metal (MPS)", "cpu": "CPU"}
WEIGHT_PATTERN = "*.safetensors"
PICKLED_WEIGHT_PATTERNS = ("pytorch_model*.bin", "*.pt", "*.pth", "*.ckpt")
CONTEXT_KEYS = ("max_position_embeddings", "n_positions", "max_sequence_length", "seq_length")
THREAD_NAME = "transformers-generate"
PENALTY_WINDOW = 64  # tokens the repeat and presence penalties look back over, as in llama-cpp-python


def choose_device() -> tuple[str, str]:
    """The torch device to run on and its name for the status bar."""
    import torch

    device = "cuda" if torch.cuda.is_available() else "mps" if torch.backends.mps.is_available() else "cpu"
    return device, LABELS[device]


def choose_dtype(device: str) -> torch.dtype:
    """The fastest precision that is accurate enough on ``device`` (see the module docstring)."""
    import torch

    if device == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    if device == "mps":
        return torch.float16
    return torch.bfloat16 if _cpu_has_native_bf16() else torch.float32


def _cpu_has_native_bf16() -> bool:
    # get_cpu_capability() names the vector width ("AVX512"), not the extensions; torch.cpu probes them.
    import torch

    capability = torch.backends.cpu.get_cpu_capability().upper()
    probes = [getattr(torch.cpu, name, None) for name in ("_is_avx512_bf16_supported", "_is_amx_tile_supported")]
    try:
        return "AVX512_BF16" in capability or "AMX" in capability or any(p is not None and p() for p in probes)
    except Exception:  # noqa: BLE001 - a private probe that fails means "no"
        return False


class TransformersRuntime:
    """One loaded transformers model. Not thread-safe: keep it on the thread that loaded it.

    Args:
        model_dir: the folder holding config.json, the weights and the tokenizer.
        settings: context length, threads, sampling (``gpu_layers`` is unused: all or nothing).
        device: ``"cuda"``, ``"mps"`` or ``"cpu"``; ``None`` picks the best one here.
        thinking: ``False`` asks chat templates that have the switch to skip reasoning.
    """

    def __init__(
        self,
        model_dir: Path,
        settings: ModelSettings | None = None,
        device: str | None = None,
        *,
        thinking: bool = True,
    ) -> None:
        self.model_dir = Path(model_dir)
        self.settings = settings or ModelSettings()
        self.thinking = thinking
        self._device = device
        self._model: Any = None
        self._tokenizer: Any = None
        self._info: RuntimeInfo | None = None
        self.sampling: ResolvedSampling | None = None  # set by load(): the model's own, under the settings
        self.last_stats: StreamStats | None = None

    @property
    def loaded(self) -> bool:
        return self._model is not None

    @property
    def info(self) -> RuntimeInfo:
        if self._info is None:
            raise RuntimeError("the model is not loaded yet")
        return self._info

    def load(self) -> RuntimeInfo:
        """Check the folder, then load the tokenizer and the model, offline. Idempotent."""
        if self._info is not None:
            return self._info
        folder, name = self.model_dir, self.model_dir.name
        model_type = _read_model_type(folder)
        self.sampling = for_model(folder, self.settings)
        _require_safetensors(folder)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # no bars on the terminal
        import transformers

        hf_logging: Any = transformers.utils.logging
        hf_logging.disable_progress_bar()  # no "Loading weights" bars on the CLI's stderr
        try:
            config = transformers.AutoConfig.from_pretrained(folder, local_files_only=True).get_text_config()
        except Exception as exc:
            log.exception("reading the config of %s failed", folder)
            raise ModelLoadError(
                f"transformers {transformers.__version__} does not know the architecture of {name} "
                f"({model_type}). Update transformers (pip install -U transformers), or choose another model."
            ) from exc
        try:
            tokenizer = transformers.AutoTokenizer.from_pretrained(folder, local_files_only=True)
        except Exception as exc:
            log.exception("loading the tokenizer of %s failed", folder)
            raise ModelLoadError(
                f"The tokenizer of {name} could not be loaded ({_first_line(exc)}). The folder needs "
                "tokenizer.json (or tokenizer.model) and tokenizer_config.json from the model's download."
            ) from exc
        if not getattr(tokenizer, "chat_template", None):
            raise ModelLoadError(
                f"{name} has no chat template (chat_template.jinja or in tokenizer_config.json), so it is "
                "a base model, not one made for chat. Choose the instruct or chat version of the model."
            )
        wanted = self._device or choose_device()[0]
        threads = self.settings.threads or hardware.default_threads()
        notice = ""
        for device in [wanted] if wanted == "cpu" else [wanted, "cpu"]:
            label = LABELS.get(device, device)
            try:
                model = self._load_model(transformers, device, threads)
                break
            except Exception as exc:
                log.exception("loading %s on %s failed", folder, label)
                if device == "cpu":
                    raise ModelLoadError(
                        f"transformers could not load {name} ({_first_line(exc)}). The weights may be incomplete "
                        "or not for a text-generation model: download the model again, or choose another."
                    ) from exc
                notice = f"Loading on the {label} GPU failed ({_first_line(exc)}); running on the CPU instead."
        trained = next((int(v) for key in CONTEXT_KEYS if (v := getattr(config, key, None))), None)
        self._model, self._tokenizer = model, tokenizer
        self._info = RuntimeInfo(
            model=name,
            backend=f"{label} (transformers)",
            gpu_layers=0 if device == "cpu" else int(getattr(config, "num_hidden_layers", 0)) + 1,
            context_length=max(256, min(self.settings.context_length, trained or self.settings.context_length)),
            threads=threads,
            notice=notice,
            parameters=int(getattr(model, "num_parameters", lambda: 0)()),
        )
        return self._info

    def _load_model(self, transformers: Any, device: str, threads: int) -> Any:
        if device == "cpu":
            import torch

            torch.set_num_threads(threads)
        dtype = choose_dtype(device)
        # use_safetensors: never a pickle, even where a pytorch_model.bin sits beside the safetensors.
        model = transformers.AutoModelForCausalLM.from_pretrained(
            self.model_dir, local_files_only=True, dtype=dtype, use_safetensors=True
        )
        return model.eval().to(device)

    def close(self) -> None:
        """Drop the model; on a GPU, hand its memory back so that the next model fits."""
        on_gpu = self._info is not None and self._info.gpu_layers > 0
        self._model, self._tokenizer, self._info = None, None, None
        if on_gpu:
            import gc

            import torch

            gc.collect()
            for backend in (torch.cuda, torch.mps):
                with contextlib.suppress(Exception):
                    backend.empty_cache()

    # -- generation -------------------------------------------------------------------

    def count_tokens(self, text: str) -> int:
        return len(self._tokenizer.encode(text, add_special_tokens=False)) if text else 0

    def fit(self, messages: Sequence[ChatMessage], max_tokens: int | None = None) -> FittedPrompt:
        """The messages that fit the context window, leaving room for the reply."""
        info = self.load()
        return fit_messages(messages, info.context_length, max_tokens or self.settings.max_tokens, self.count_tokens)

    def _template_kwargs(self) -> dict[str, Any]:
        switch = not self.thinking and "enable_thinking" in str(self._tokenizer.chat_template)
        return {"add_generation_prompt": True, **({"enable_thinking": False} if switch else {})}

    def render_prompt(self, messages: Sequence[ChatMessage]) -> str:
        """The prompt text the model sees for ``messages`` (what :meth:`encode_prompt` encodes)."""
        self.load()
        return str(self._tokenizer.apply_chat_template(list(messages), tokenize=False, **self._template_kwargs()))

    def encode_prompt(self, messages: Sequence[ChatMessage]) -> Any:
        """The prompt's ``input_ids`` and ``attention_mask`` on the model's device.

        Control tokens typed or pasted into a message (``<|im_end|>``, say) are encoded as plain
        text, so a document cannot end a turn or forge one; only the template writes them.
        """
        self.load()
        return self._tokenizer.apply_chat_template(
            list(messages),
            return_tensors="pt",
            return_dict=True,
            sanitize_control_tokens=True,
            **self._template_kwargs(),
        ).to(self._model.device)

    def stream(
        self,
        messages: Sequence[ChatMessage],
        cancel: threading.Event | None = None,
        max_tokens: int | None = None,
    ) -> Iterator[str]:
        """Yield the reply piece by piece; reasoning pieces are :class:`ReasoningText`.

        Generation runs on its own thread and stops at the next token once ``cancel`` is set or
        the consumer closes this iterator; that thread has ended whenever this one returns.
        ``last_stats`` is set when it ends (tokens counted as generated token ids).
        """
        from transformers import StoppingCriteria, StoppingCriteriaList, TextIteratorStreamer

        fitted = self.fit(messages, max_tokens)
        inputs = self.encode_prompt(fitted.messages)
        tokenizer, model, stop = self._tokenizer, self._model, threading.Event()
        times: list[float] = []  # when each token was generated
        failure: list[Exception] = []
        cancelled = False

        class _Stop(StoppingCriteria):
            def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
                import torch

                times.append(time.perf_counter())
                done = stop.is_set() or (cancel is not None and cancel.is_set())
                return torch.full((input_ids.shape[0],), done, dtype=torch.bool, device=input_ids.device)

        streamer: Any = TextIteratorStreamer(tokenizer, skip_prompt=True, skip_special_tokens=True)
        assert self.sampling is not None
        sampling = generate_sampling(self.sampling.values, int(inputs["input_ids"].shape[1]))

        def generate() -> None:
            try:
                model.generate(
                    **inputs,
                    max_new_tokens=fitted.max_tokens,
                    streamer=streamer,
                    stopping_criteria=StoppingCriteriaList([_Stop()]),
                    pad_token_id=tokenizer.eos_token_id if tokenizer.pad_token_id is None else tokenizer.pad_token_id,
                    **sampling,
                )
            except Exception as exc:  # noqa: BLE001 - raised again on the consumer's thread
                failure.append(exc)
                streamer.end()

        def texts() -> Iterator[str]:
            nonlocal cancelled
            for text in streamer:
                if cancel is not None and cancel.is_set():
                    cancelled = True
                    return
                yield text

        started = time.perf_counter()
        thread = threading.Thread(target=generate, name=THREAD_NAME, daemon=True)
        thread.start()
        try:
            yield from split_stream(texts())
        finally:
            stop.set()
            thread.join()
            self.last_stats = StreamStats(
                tokens=len(times),
                prompt_tokens=int(inputs["input_ids"].shape[1]),
                seconds=times[-1] - times[0] if times else 0.0,
                time_to_first_token=times[0] - started if times else 0.0,
                dropped_messages=fitted.dropped,
                cancelled=cancelled or (cancel is not None and cancel.is_set()),
            )
        if failure:
            log.error("generation with %s failed", self.model_dir, exc_info=failure[0])
            raise AssistantError(
                f"{self.model_dir.name} stopped with an error while writing ({_first_line(failure[0])}). "
                "Try again; if it keeps failing, choose another model."
            ) from failure[0]


def generate_sampling(sampling: Sampling, prompt_tokens: int) -> dict[str, Any]:
    """``generate()``'s sampling arguments for ``sampling`` (temperature 0: greedy).

    The penalties are not transformers' ``repetition_penalty``, which counts every prompt token
    and so keeps the model from quoting the passages it is given; like llama.cpp they count only
    the last :data:`PENALTY_WINDOW` tokens of the reply.
    """
    import torch
    from transformers import LogitsProcessor, LogitsProcessorList

    class _RecentPenalties(LogitsProcessor):
        def __call__(self, input_ids: Any, scores: Any) -> Any:
            recent = input_ids[:, prompt_tokens:][:, -PENALTY_WINDOW:]
            if recent.shape[1] == 0:
                return scores
            picked = scores.gather(1, recent)
            repeat = sampling.repeat_penalty  # as llama.cpp: lowers a logit of either sign
            picked = torch.where(picked < 0, picked * repeat, picked / repeat) - sampling.presence_penalty
            return scores.scatter(1, recent, picked)

    penalties = sampling.repeat_penalty != 1.0 or sampling.presence_penalty != 0.0
    kwargs: dict[str, Any] = {"logits_processor": LogitsProcessorList([_RecentPenalties()] if penalties else [])}
    if sampling.temperature <= 0:  # unset what the model's generation_config sets, or transformers warns
        return {**kwargs, "do_sample": False, "temperature": None, "top_p": None, "top_k": None, "min_p": None}
    return {
        **kwargs,
        "do_sample": True,
        "temperature": sampling.temperature,
        "top_p": sampling.top_p,
        "top_k": sampling.top_k or None,  # 0 and None: off
        "min_p": sampling.min_p or None,
    }


def split_stream(texts: Iterable[str]) -> Iterator[str]:
    """Streamed text as answer pieces (``str``) and reasoning pieces (:class:`ReasoningText`)."""
    splitter = ReasoningSplitter()
    for text in texts:
        for piece in splitter.feed(text):
            yield ReasoningText(piece.text) if piece.kind == "reasoning" else piece.text
    for piece in splitter.flush():
        yield ReasoningText(piece.text) if piece.kind == "reasoning" else piece.text


def _require_safetensors(folder: Path) -> None:
    """Refuse a folder without ``.safetensors`` weights, saying how to convert pickled ones."""
    if next(folder.glob(WEIGHT_PATTERN), None) is not None:
        return
    pickled = sorted(p.name for pattern in PICKLED_WEIGHT_PATTERNS for p in folder.glob(pattern))
    if pickled:
        raise ModelLoadError(
            f"{folder.name} has only PyTorch weights ({', '.join(pickled[:3])}), which are not loaded: "
            "such a file can run any program on this computer when it is opened. Download the model's "
            ".safetensors files instead, or, if you trust where the model came from, convert it to "
            "safetensors (load it with transformers and save it with save_pretrained(folder, "
            "safe_serialization=True)) and choose the converted folder."
        )
    raise ModelLoadError(
        f"{folder} has no model weights (no .safetensors file). The download is probably incomplete: "
        "download the model's .safetensors files into this folder."
    )


def _read_model_type(folder: Path) -> str:
    """``config.json``'s model type and architectures, for messages; refuses a folder without one."""
    if not folder.is_dir():
        raise ModelLoadError(f"The model folder {folder} does not exist. Import the model again, or choose another.")
    try:
        raw = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelLoadError(
            f"{folder} has no config.json, so it is not a transformers model folder. Choose the "
            "folder that holds config.json, the .safetensors weights and the tokenizer files."
        ) from None
    except (OSError, ValueError) as exc:
        raise ModelLoadError(
            f"The config.json of {folder.name} cannot be read ({_first_line(exc)}). Download it again."
        ) from exc
    if not isinstance(raw, dict):
        raise ModelLoadError(f"The config.json of {folder.name} is not a JSON object. Download it again.")
    archs = ", ".join(map(str, raw.get("architectures") or []))
    return f"model type {raw.get('model_type')!r}" + (f", {archs}" if archs else "")


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return (lines[0][:300] if lines else type(exc).__name__).rstrip(".")
