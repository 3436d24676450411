"""Local models. Nothing here imports llama_cpp at module level."""

from assistant.runtime.types import ChatMessage, Runtime, RuntimeInfo, StreamStats

__all__ = ["ChatMessage", "Runtime", "RuntimeInfo", "StreamStats"]
