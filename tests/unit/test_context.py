from assistant.runtime.context import PER_MESSAGE_OVERHEAD, fit_messages
from assistant.runtime.types import ChatMessage


def words(text: str) -> int:
    return len(text.split())


def conversation(turns: int, size: int = 50) -> list[ChatMessage]:
    messages: list[ChatMessage] = [{"role": "system", "content": "be brief"}]
    for i in range(turns):
        messages.append({"role": "user", "content": f"question{i} " + "w " * size})
        messages.append({"role": "assistant", "content": f"answer{i} " + "w " * size})
    return messages


def test_short_conversation_is_sent_whole() -> None:
    fitted = fit_messages(conversation(2), 4096, 256, words)
    assert fitted.dropped == 0 and len(fitted.messages) == 5


def test_long_conversation_drops_oldest_turns_and_keeps_system_prompt() -> None:
    messages = conversation(20) + [{"role": "user", "content": "latest question"}]
    fitted = fit_messages(messages, 512, 128, words)
    assert fitted.messages[0] == {"role": "system", "content": "be brief"}
    assert fitted.messages[-1]["content"] == "latest question"
    assert fitted.dropped > 0
    assert fitted.messages[1]["role"] == "user"  # never starts on a dangling reply
    assert fitted.prompt_tokens + fitted.max_tokens <= 512
    kept = sum(words(m["content"]) + PER_MESSAGE_OVERHEAD for m in fitted.messages)
    assert kept == fitted.prompt_tokens


def test_one_huge_message_is_cut_from_the_front_so_the_reply_still_fits() -> None:
    huge = " ".join(f"w{i}" for i in range(5000)) + " END"
    fitted = fit_messages([{"role": "user", "content": huge}], 1024, 256, words)
    assert fitted.messages[-1]["content"].endswith("END")
    assert fitted.prompt_tokens + fitted.max_tokens <= 1024
    assert fitted.max_tokens >= 64
