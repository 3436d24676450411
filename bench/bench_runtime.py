"""Decode speed of our runtime vs. llama_cpp.Llama called directly, and time to first token.

Both paths use the same loaded model (same n_ctx, threads, batch threads), greedy sampling
and the same prompt, alternated so that neither gets a warmer machine. Prints numbers;
asserts nothing.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from assistant.config import DEFAULT_SYSTEM_PROMPT, ModelSettings
from assistant.paths import bundled_model_path
from assistant.runtime.llama import LlamaRuntime

PROMPT = [
    {"role": "system", "content": DEFAULT_SYSTEM_PROMPT},
    {
        "role": "user",
        "content": "Write a short story about a lighthouse keeper who finds a message in a bottle.",
    },
]
MAX_TOKENS = 160
ROUNDS = 5


def direct(llm: Any) -> tuple[float, float, int]:
    """llama_cpp.Llama.create_chat_completion(stream=True), timed the same way."""
    llm.reset()
    started = time.perf_counter()
    first = last = 0.0
    tokens = 0
    for chunk in llm.create_chat_completion(messages=PROMPT, stream=True, max_tokens=MAX_TOKENS, temperature=0.0):
        if chunk["choices"][0]["delta"].get("content"):
            last = time.perf_counter()
            if not tokens:
                first = last
            tokens += 1
    return (tokens - 1) / (last - first), first - started, tokens


def ours(runtime: LlamaRuntime) -> tuple[float, float, int]:
    runtime._llm.reset()
    for _ in runtime.stream(PROMPT, max_tokens=MAX_TOKENS):  # type: ignore[arg-type]
        pass
    stats = runtime.last_stats
    assert stats is not None
    return stats.tokens_per_s, stats.time_to_first_token, stats.tokens


def main() -> None:
    runtime = LlamaRuntime(bundled_model_path(), ModelSettings(temperature=0.0, max_tokens=MAX_TOKENS))
    t0 = time.perf_counter()
    info = runtime.load()
    load_s = time.perf_counter() - t0
    print(f"model: {info.model}  backend: {info.backend}  threads: {info.threads}  n_ctx: {info.context_length}")
    print(f"load: {load_s:.2f} s")
    ours(runtime)  # warm-up
    rows: dict[str, list[tuple[float, float, int]]] = {"direct": [], "ours": []}
    for _ in range(ROUNDS):
        rows["direct"].append(direct(runtime._llm))
        rows["ours"].append(ours(runtime))
    med = {k: (statistics.median(r[0] for r in v), statistics.median(r[1] for r in v)) for k, v in rows.items()}
    for name, (tps, ttft) in med.items():
        tokens = rows[name][0][2]
        print(f"{name:>6}: decode {tps:7.1f} tokens/s  time to first token {ttft * 1000:6.1f} ms  ({tokens} tokens)")
    print(f" ratio: ours / direct = {med['ours'][0] / med['direct'][0]:.3f} (target >= 0.95)")
    # The window embeds documents in the same process (torch brings a second OpenMP runtime):
    # decoding should not slow down after it.
    from assistant.library.embedder import Embedder

    Embedder().embed(["a sentence about the sea"] * 256)
    after = statistics.median(ours(runtime)[0] for _ in range(3))
    print(f" after embedding 256 texts in the same process: decode {after:.1f} tokens/s")
    runtime.close()


if __name__ == "__main__":
    main()
