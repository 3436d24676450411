"""Check a model before it is accepted: header, chat template (rendered in a sandbox), architecture.

A model file is untrusted input. Its chat template is a Jinja program that runs on every
message, so it is rendered here in llama-cpp-python's sandboxed environment with sample
messages first; a template that reaches for Python internals is refused. The architecture
is checked by the installed llama.cpp itself (a vocabulary-only load) or, for a safetensors
folder, by the installed transformers.
"""

from __future__ import annotations

import ctypes
import threading
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError, ModelImportError
from assistant.runtime.facts import ModelFacts, describe

_SAMPLES: tuple[list[dict[str, str]], ...] = (
    [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hello"}],
    [{"role": "user", "content": "Hello"}],  # some templates refuse a system message
    [
        {"role": "user", "content": "Hello"},
        {"role": "assistant", "content": "Hi."},
        {"role": "user", "content": "Thanks"},
    ],
)
_log_lock = threading.Lock()


def check_model(path: Path) -> ModelFacts:
    """Validate a ``.gguf`` file or a safetensors folder; return its facts or raise ModelImportError."""
    path = Path(path).expanduser()
    if not path.exists():
        raise ModelImportError(f"{path} does not exist. Check the path and try again.")
    if path.is_file() and path.suffix.lower() not in (".gguf",):
        raise ModelImportError(
            f"{path.name} is not a model Private Assistant can import. Choose a .gguf file, "
            "or a folder with config.json and .safetensors weights."
        )
    try:
        facts = describe(path)
    except ModelImportError:
        raise
    except AssistantError as exc:  # ModelFileError: not GGUF, truncated
        raise ModelImportError(str(exc)) from exc
    check_template(facts)
    if facts.runtime == "llama.cpp":
        check_llama_architecture(path, facts.architecture)
    else:
        check_transformers_architecture(path, facts.architecture)
    return facts


def check_template(facts: ModelFacts) -> None:
    """The chat template must render sample messages inside the sandbox."""
    if not facts.chat_template:
        raise ModelImportError(
            f"{facts.name} has no chat template, so Private Assistant cannot tell how to format a "
            "conversation for it. Use the instruct (chat) version of the model."
        )
    from jinja2.exceptions import SecurityError, TemplateError
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    try:
        formatter = Jinja2ChatFormatter(facts.chat_template, facts.eos_token, facts.bos_token)
    except TemplateError as exc:
        raise ModelImportError(f"The chat template of {facts.name} is broken ({exc}).") from exc
    last: Exception | None = None
    for messages in _SAMPLES:
        try:
            prompt = formatter(messages=messages).prompt  # type: ignore[arg-type]
        except SecurityError as exc:
            raise ModelImportError(
                f"The chat template of {facts.name} tries to reach Python internals ({exc}), "
                "which a chat template never needs. The file was refused; get the model from a source you trust."
            ) from exc
        except Exception as exc:  # noqa: BLE001 - a template may raise anything; try the next sample
            last = exc
            continue
        if "Hello" in prompt:
            return
    reason = f" ({last})" if last else " (it leaves the messages out)"
    raise ModelImportError(f"The chat template of {facts.name} does not render a conversation{reason}.")


def check_llama_architecture(path: Path, architecture: str) -> None:
    """Ask the installed llama.cpp to read the header and vocabulary (no weights); explain a refusal."""
    import llama_cpp

    errors: list[str] = []

    @llama_cpp.llama_log_callback  # type: ignore[untyped-decorator]
    def capture(level: int, text: bytes, _user: Any) -> None:
        line = text.decode("utf-8", errors="replace").strip()
        if "error" in line or "failed" in line:
            errors.append(line)

    params = llama_cpp.llama_model_default_params()
    params.vocab_only = True
    with _log_lock:
        llama_cpp.llama_log_set(capture, ctypes.c_void_p(0))
        try:
            model = llama_cpp.llama_model_load_from_file(str(path).encode("utf-8"), params)
        finally:
            from llama_cpp import _logger

            llama_cpp.llama_log_set(_logger.llama_log_callback, ctypes.c_void_p(0))
    if model:
        llama_cpp.llama_model_free(model)
        return
    detail = next((e for e in errors if "error loading model" in e), errors[0] if errors else "no reason given")
    detail = detail.rsplit("error loading model: ", 1)[-1]
    if "unknown model architecture" in detail:
        raise ModelImportError(
            f"The installed llama.cpp (llama-cpp-python {llama_cpp.__version__}) does not support the "
            f"'{architecture}' architecture of {path.name}. Update llama-cpp-python, or choose another model."
        )
    raise ModelImportError(f"llama.cpp cannot read {path.name} ({detail}). The file may be damaged or not a model.")


def check_transformers_architecture(folder: Path, architecture: str) -> None:
    import transformers

    if not hasattr(transformers, architecture):
        raise ModelImportError(
            f"The installed transformers ({transformers.__version__}) does not know the '{architecture}' "
            f"architecture of {folder.name}. Update transformers, or choose another model."
        )
    if not architecture.endswith("ForCausalLM"):
        raise ModelImportError(
            f"{folder.name} is a '{architecture}', not a text-generation model (…ForCausalLM); "
            "Private Assistant can only chat with causal language models."
        )
