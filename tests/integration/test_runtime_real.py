"""The runtime against the real bundled model (SmolLM2-135M-Instruct, Q4_1)."""

from __future__ import annotations

import shutil
import socket
import threading
from pathlib import Path
from typing import Any

import pytest

from assistant.agents.chat import Notice, Token, stream_reply
from assistant.config import DEFAULT_SYSTEM_PROMPT, ModelSettings
from assistant.errors import ModelFileError
from assistant.paths import bundled_model_path
from assistant.runtime import hardware
from assistant.runtime.llama import LlamaRuntime, completion_sampling
from assistant.runtime.sampling import SMALL_MODEL_DEFAULTS
from assistant.runtime.types import ChatMessage

pytestmark = pytest.mark.integration

QUESTION: list[ChatMessage] = [
    {"role": "system", "content": DEFAULT_SYSTEM_PROMPT},
    {"role": "user", "content": "Which city is the capital of France?"},
]


def test_bundled_model_streams_a_reply_in_pieces(bundled_runtime: LlamaRuntime) -> None:
    pieces = list(bundled_runtime.stream(QUESTION))
    text = "".join(pieces)
    assert len(pieces) > 3 and "Paris" in text
    stats = bundled_runtime.last_stats
    assert stats is not None and stats.tokens >= len(pieces) - 1 and not stats.cancelled
    assert stats.tokens_per_s > 0 and stats.time_to_first_token > 0


def test_model_uses_its_own_chat_template(bundled_runtime: LlamaRuntime) -> None:
    llm: Any = bundled_runtime._llm
    assert llm.chat_format == "chat_template.default"
    assert "<|im_start|>" in (bundled_runtime.gguf.chat_template if bundled_runtime.gguf else "")


def test_cancel_stops_between_tokens(bundled_runtime: LlamaRuntime) -> None:
    cancel = threading.Event()
    pieces = []
    for piece in bundled_runtime.stream(QUESTION, cancel, max_tokens=200):
        pieces.append(piece)
        if len(pieces) == 3:
            cancel.set()
    assert len(pieces) == 3
    assert bundled_runtime.last_stats is not None and bundled_runtime.last_stats.cancelled


def test_conversation_longer_than_the_context_is_trimmed_not_crashed() -> None:
    runtime = LlamaRuntime(bundled_model_path(), ModelSettings(context_length=256, max_tokens=32, temperature=0))
    messages: list[ChatMessage] = [{"role": "system", "content": "You are brief."}]
    for i in range(12):
        messages.append({"role": "user", "content": f"Tell me fact number {i} about the ocean, please."})
        messages.append({"role": "assistant", "content": "The ocean is deep and full of life. " * 3})
    messages.append({"role": "user", "content": "Name one ocean."})
    events = list(stream_reply(runtime, messages))
    notices = [e for e in events if isinstance(e, Notice)]
    assert notices and "left out" in notices[0].text
    assert "".join(e.text for e in events if isinstance(e, Token)).strip()
    runtime.close()


def test_backend_reported_is_cpu_on_a_cpu_only_build(bundled_runtime: LlamaRuntime) -> None:
    if hardware.gpu_backends():
        pytest.skip("this llama.cpp build has a GPU backend")
    assert (bundled_runtime.info.backend, bundled_runtime.info.gpu_layers) == ("CPU", 0)
    assert bundled_runtime.info.threads == hardware.default_threads()


def test_gpu_failure_falls_back_to_cpu_and_says_so() -> None:
    import llama_cpp

    attempts: list[int] = []

    def factory(**kwargs: Any) -> Any:
        attempts.append(kwargs["n_gpu_layers"])
        if kwargs["n_gpu_layers"] != 0:
            raise ValueError("CUDA error: out of memory")
        return llama_cpp.Llama(**kwargs)

    runtime = LlamaRuntime(bundled_model_path(), ModelSettings(max_tokens=8), factory, backends=["CUDA"])
    info = runtime.load()
    assert attempts == [-1, 0]
    assert info.backend == "CPU" and "CUDA GPU failed" in info.notice and "CPU instead" in info.notice
    assert "".join(runtime.stream(QUESTION)).strip()
    runtime.close()


def test_truncated_copy_of_the_real_model_is_refused(tmp_path: Path) -> None:
    cut = tmp_path / "SmolLM2.gguf"
    with bundled_model_path().open("rb") as source, cut.open("wb") as target:
        target.write(source.read(5_000_000))
    with pytest.raises(ModelFileError, match="incomplete"):
        LlamaRuntime(cut).load()


def test_loading_and_chatting_opens_no_network_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[Any] = []
    real_connect = socket.socket.connect

    def watch(self: socket.socket, address: Any) -> Any:
        attempts.append(address)
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", watch)
    runtime = LlamaRuntime(bundled_model_path(), ModelSettings(max_tokens=8))
    assert "".join(runtime.stream(QUESTION)).strip()
    runtime.close()
    assert attempts == []


def test_copied_model_loads_from_any_path(tmp_path: Path) -> None:
    copy = tmp_path / "my model.gguf"
    shutil.copyfile(bundled_model_path(), copy)
    runtime = LlamaRuntime(copy, ModelSettings(max_tokens=4))
    assert runtime.load().model == "my model"
    runtime.close()


def test_thinking_can_be_turned_off_where_the_template_has_the_switch() -> None:
    from assistant.runtime.llama import formatter_without_thinking

    template = (
        "{% for m in messages %}<|{{ m.role }}|>{{ m.content }}{% endfor %}"
        "{% if enable_thinking is defined and not enable_thinking %}<think></think>{% endif %}"
    )
    prompt = formatter_without_thinking(template, "</s>", "<s>", 2)(messages=QUESTION).prompt
    assert prompt.endswith("<think></think>")


def test_a_model_without_the_switch_keeps_its_own_handler() -> None:
    runtime = LlamaRuntime(bundled_model_path(), ModelSettings(max_tokens=8, thinking=False))
    runtime.load()
    assert runtime._llm.chat_handler is None  # SmolLM2's template has no enable_thinking
    assert "".join(runtime.stream(QUESTION)).strip()
    runtime.close()


def test_automatic_gpu_layers_keep_a_too_big_model_on_the_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    tiny_gpu = hardware.Machine(2, 8 << 30, (hardware.Gpu("Tiny GPU", 1 << 20, "CUDA"),), ("CUDA",))
    monkeypatch.setattr(hardware, "machine", lambda: tiny_gpu)
    attempts: list[int] = []

    def factory(**kwargs: Any) -> Any:
        import llama_cpp

        attempts.append(kwargs["n_gpu_layers"])
        return llama_cpp.Llama(**kwargs)

    runtime = LlamaRuntime(bundled_model_path(), ModelSettings(max_tokens=8), factory, backends=["CUDA"])
    info = runtime.load()
    assert attempts == [0] and info.backend == "CPU" and "does not fit" in info.notice
    runtime.close()


def test_bundled_model_streams_with_the_sampling_resolved_for_it() -> None:
    calls: list[dict[str, Any]] = []

    def factory(**kwargs: Any) -> Any:
        import llama_cpp

        llm = llama_cpp.Llama(**kwargs)
        real = llm.create_chat_completion

        def spy(**call: Any) -> Any:  # records what reaches llama.cpp, then generates for real
            calls.append(call)
            return real(**call)

        llm.create_chat_completion = spy  # type: ignore[method-assign]
        return llm

    # top-k 1 set by the person: only the likeliest token, so the replies repeat at any temperature.
    runtime = LlamaRuntime(bundled_model_path(), ModelSettings(max_tokens=12, top_k=1), factory, backends=[])
    runtime.load()
    assert runtime.sampling is not None and runtime.sampling.source("top_k") == "general"
    assert runtime.sampling.source("temperature") == "default"  # the bundled model states no sampling
    first, second = "".join(runtime.stream(QUESTION)), "".join(runtime.stream(QUESTION))
    runtime.close()
    assert first.strip() and first == second
    sent = {k: calls[0][k] for k in ("temperature", "top_p", "top_k", "min_p", "repeat_penalty", "presence_penalty")}
    assert sent == {**completion_sampling(SMALL_MODEL_DEFAULTS), "top_k": 1}
