"""The loop guard on the real bundled model (SmolLM2-135M-Instruct), which does loop.

Asked for a thank-you note, greedily and without a repetition penalty, it writes the note and
then "P.S. I hope you have a wonderful day too." over and over until the token limit. The
sampling is pinned here (temperature 0, repeat penalty off) so that the loop does not depend on
the model's default sampling, which exists to make loops rarer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.agents.chat import ChatAgent, Finished
from assistant.config import DEFAULT_SYSTEM_PROMPT, ModelSettings, Settings, save_settings
from assistant.conversations import ConversationStore
from assistant.paths import bundled_model_path
from assistant.runtime.llama import LlamaRuntime
from assistant.runtime.loop_guard import REPETITION

pytestmark = pytest.mark.integration

PROMPT = "Write a short thank-you note to my neighbour for watering my plants."
MAX_TOKENS = 320  # the loop starts after about 110 tokens and is stopped at about 155
# One thread: the answer is the same, and it stays quick on a machine busy with other work.
LOOPING = ModelSettings(temperature=0.0, repeat_penalty=1.0, max_tokens=MAX_TOKENS, context_length=1024, threads=1)


def most_copies(text: str) -> tuple[str, int]:
    """The line that comes most often in ``text``, and how often."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return Counter(lines).most_common(1)[0]


@pytest.fixture(scope="module")
def looping_runtime() -> Iterator[LlamaRuntime]:
    runtime = LlamaRuntime(bundled_model_path(), LOOPING)
    runtime.load()
    yield runtime
    runtime.close()


def test_a_looping_reply_is_stopped_and_keeps_one_copy(looping_runtime: LlamaRuntime, tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "c.sqlite3")
    cid = store.create().id
    events = list(ChatAgent(store, looping_runtime, DEFAULT_SYSTEM_PROMPT).send(cid, PROMPT))
    done = events[-1]
    assert isinstance(done, Finished) and done.stopped == REPETITION, done.text
    line, copies = most_copies(done.text)
    assert copies <= 2, line
    assert done.text.startswith("Dear") and len(done.text.split()) > 20  # the note itself is kept
    assert done.stats.tokens < MAX_TOKENS  # generation stopped at the loop, not at the limit
    stored = store.messages(cid)[-1]
    assert stored.content == done.text and stored.stopped == REPETITION


def test_chat_json_says_stopped_repetition(data_home: Path) -> None:
    data_home.mkdir(parents=True, exist_ok=True)
    save_settings(Settings(model=LOOPING), data_home / "settings.json")
    env = {**os.environ, "PRIVATE_ASSISTANT_HOME": str(data_home), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "chat", "--json", PROMPT],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,  # a safety net for a loaded machine; it takes seconds
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["stopped"] == "repetition", result["text"]
    assert most_copies(result["text"])[1] <= 2 and result["tokens"] < MAX_TOKENS
