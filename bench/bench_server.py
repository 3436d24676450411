"""The local server's overhead: decode speed through ``serve`` (openai SDK, streamed) against the runtime called
directly, same model, same prompt, greedy, one process at a time on the cores.

    python bench/bench_server.py [--model PATH.gguf] [--tokens 256] [--runs 3]

Prints tokens/s both ways (median of ``--runs``) and their ratio (target: at least 0.95), and the time
to the first token both ways. The server runs in a child process on 127.0.0.1 with its own data folder.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PROMPT = [{"role": "user", "content": "Write a long story about a lighthouse keeper and a storm."}]


def direct(model: Path, tokens: int, threads: int) -> tuple[float, float]:
    from assistant.config import ModelSettings
    from assistant.runtime.llama import LlamaRuntime

    runtime = LlamaRuntime(model, ModelSettings(temperature=0.0, max_tokens=tokens, threads=threads))
    runtime.load()
    for _ in runtime.stream(PROMPT, max_tokens=tokens):
        pass
    stats = runtime.last_stats
    runtime.close()
    assert stats is not None
    return stats.tokens_per_s, stats.time_to_first_token


def served(url: str, key: str, model_id: str, tokens: int) -> tuple[float, float]:
    import openai

    with openai.OpenAI(base_url=url, api_key=key, max_retries=0, timeout=600) as client:
        started = time.perf_counter()
        stream = client.chat.completions.create(
            model=model_id,
            messages=PROMPT,  # type: ignore[arg-type]
            max_tokens=tokens,
            temperature=0,
            stream=True,
            stream_options={"include_usage": True},
        )
        times, generated = [], 0
        for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                times.append(time.perf_counter())
            if chunk.usage is not None:
                generated = chunk.usage.completion_tokens
    # tokens (from usage) over first to last piece seen by the client; the loop guard may send a few together
    return (generated - 1) / (times[-1] - times[0]), times[0] - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, help="a .gguf file (default: the bundled SmolLM2-135M)")
    parser.add_argument("--tokens", type=int, default=256)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from assistant.paths import bundled_model_path
    from assistant.runtime import hardware

    model = args.model or bundled_model_path()
    threads = hardware.default_threads()
    key = "pa-bench-" + "k" * 20
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "PRIVATE_ASSISTANT_HOME": home, "HF_HUB_OFFLINE": "1"}
        model_id = "smollm2-135m-instruct"
        if args.model:
            command = [sys.executable, "-m", "assistant", "models", "import", str(model)]
            done = subprocess.run(command, env=env, capture_output=True, text=True)
            found = re.search(r"\(([^)]+)\)", done.stdout)
            model_id = found.group(1) if found else model.stem
        proc = subprocess.Popen(
            [sys.executable, "-m", "assistant", "serve", "--port", "0", "--key", key],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        assert proc.stdout is not None
        url = re.search(r"http://\S+/v1", proc.stdout.readline())
        assert url, "serve did not start"
        try:
            served(url.group(0), key, model_id, 8)  # loads the model in the server
            via_server, via_direct = [], []
            for _ in range(args.runs):  # alternated, so drift on the machine hits both alike
                via_direct.append(direct(model, args.tokens, threads))
                via_server.append(served(url.group(0), key, model_id, args.tokens))
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(30)
    d_tps = statistics.median(t for t, _ in via_direct)
    s_tps = statistics.median(t for t, _ in via_server)
    print(f"model: {model.name}, {args.tokens} tokens, {threads} threads, median of {args.runs}")
    print(f"direct runtime : {d_tps:7.1f} tokens/s, first token {statistics.median(f for _, f in via_direct):.3f} s")
    print(f"through server : {s_tps:7.1f} tokens/s, first piece {statistics.median(f for _, f in via_server):.3f} s")
    print(f"ratio          : {s_tps / d_tps:.3f} (target >= 0.95)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
