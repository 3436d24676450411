"""Fit a conversation into the model's context window.

The system prompt and the newest message are always kept; the oldest turns are dropped
until the prompt plus room for the reply fits. The caller tells the person what was dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.runtime.types import ChatMessage

# Tokens a chat template adds around each message (role markers, separators).
PER_MESSAGE_OVERHEAD = 8


@dataclass(frozen=True)
class FittedPrompt:
    messages: list[ChatMessage]
    dropped: int  # how many older messages were left out
    prompt_tokens: int  # estimate, template overhead included
    max_tokens: int  # room left for the reply


def fit_messages(
    messages: Sequence[ChatMessage],
    context_length: int,
    reply_tokens: int,
    count_tokens: Callable[[str], int],
    min_reply_tokens: int = 64,
) -> FittedPrompt:
    """Drop the oldest non-system messages until the prompt leaves room for a reply.

    If even the newest message alone does not leave ``min_reply_tokens``, its text is cut
    from the front (its end is what the person just wrote) so that generation can start.
    """
    system = [m for m in messages if m["role"] == "system"][:1]
    turns = [m for m in messages if m["role"] != "system"]
    costs = [count_tokens(m["content"]) + PER_MESSAGE_OVERHEAD for m in turns]
    fixed = sum(count_tokens(m["content"]) + PER_MESSAGE_OVERHEAD for m in system)
    reply = min(reply_tokens, max(min_reply_tokens, context_length // 2))
    budget = context_length - reply - fixed

    kept_from = len(turns)
    used = 0
    while kept_from > 0 and used + costs[kept_from - 1] <= budget:
        kept_from -= 1
        used += costs[kept_from]
    # Never start on an assistant message: a dangling reply without its question confuses models.
    while kept_from < len(turns) - 1 and turns[kept_from]["role"] == "assistant":
        used -= costs[kept_from]
        kept_from += 1

    kept = turns[kept_from:]
    if not kept and turns:
        last = turns[-1]
        room = max(budget - PER_MESSAGE_OVERHEAD, 1)
        kept = [_cut_front(last, room, count_tokens)]
        used = count_tokens(kept[0]["content"]) + PER_MESSAGE_OVERHEAD
        kept_from = len(turns) - 1
    prompt_tokens = fixed + used
    return FittedPrompt(
        messages=[*system, *kept],
        dropped=kept_from,
        prompt_tokens=prompt_tokens,
        max_tokens=max(1, min(reply_tokens, context_length - prompt_tokens)),
    )


def _cut_front(message: ChatMessage, room: int, count_tokens: Callable[[str], int]) -> ChatMessage:
    text = message["content"]
    lo, hi = 0, len(text)
    while lo < hi:  # smallest cut whose remainder fits
        mid = (lo + hi) // 2
        if count_tokens(text[mid:]) <= room:
            hi = mid
        else:
            lo = mid + 1
    return {"role": message["role"], "content": text[lo:]}
