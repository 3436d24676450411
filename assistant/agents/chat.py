"""The chat agent: everyday conversation with the local model, stored as it goes.

The window and the CLI both use it. Each call yields events (:class:`Notice`,
:class:`Token`, then one :class:`Finished`); a stopped reply is kept as it stood.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator, Sequence

from assistant.agents import qa
from assistant.agents.claims import EmbedFn
from assistant.agents.events import Event, Finished, Notice, Stopped, Token, stream_reply
from assistant.conversations import DEFAULT_TITLE, ConversationStore, Message
from assistant.library.documents import Source
from assistant.runtime.types import ChatMessage, Runtime, StreamStats

__all__ = ["ChatAgent", "Event", "Finished", "Notice", "Token", "stream_reply", "title_from"]

TITLE_WORDS = 8


class ChatAgent:
    """Conversations with the local model. Use from one thread (it owns a SQLite connection)."""

    def __init__(
        self, store: ConversationStore, runtime: Runtime, system_prompt: str = "", embed: EmbedFn | None = None
    ) -> None:
        """``embed``: the bundled embedder's ``embed``, to check documents answers by meaning as well as
        by words (None: words, numbers and names only)."""
        self.store = store
        self.runtime = runtime
        self.system_prompt = system_prompt
        self.embed = embed

    def history(self, conversation_id: int) -> list[ChatMessage]:
        """What the model sees: the system prompt and the answers, never earlier reasoning."""
        messages: list[ChatMessage] = []
        if self.system_prompt:
            messages.append({"role": "system", "content": self.system_prompt})
        for m in self.store.messages(conversation_id):
            if m.content or m.role == "user":
                messages.append({"role": m.role, "content": m.content})
        return messages

    def send(
        self,
        conversation_id: int,
        text: str,
        cancel: threading.Event | None = None,
        sources: Sequence[Source] | None = None,
    ) -> Iterator[Event]:
        """Store the person's message, then stream and store the reply.

        With ``sources`` (passages retrieved for ``text``) the reply is a grounded answer
        that cites them, or says the documents do not hold the answer.
        """
        self._add_question(conversation_id, text)
        yield from self.reply(conversation_id, cancel, sources)

    def _add_question(self, conversation_id: int, text: str) -> None:
        """Store the person's message; a new conversation takes its title from it."""
        self.store.add_message(conversation_id, "user", text)
        if self.store.get(conversation_id).title == DEFAULT_TITLE:
            self.store.rename(conversation_id, title_from(text))

    def regenerate(
        self,
        conversation_id: int,
        cancel: threading.Event | None = None,
        sources: Sequence[Source] | None = None,
    ) -> Iterator[Event]:
        """Replace the replies after the last message of the person with a new one.

        ``sources``: answer from these passages instead (default: those the old reply cited, if any).
        """
        cleared = self.clear_replies(conversation_id)
        if cleared is None:
            return
        cited = [Source(**source) for m in cleared for source in m.sources]
        yield from self.reply(conversation_id, cancel, sources if sources is not None else cited or None)

    def clear_replies(self, conversation_id: int) -> list[Message] | None:
        """Delete the replies after the person's last message; returns them (None: no message yet)."""
        messages = self.store.messages(conversation_id)
        last_user = _last_user(messages)
        if last_user is None:
            return None
        after = [m for m in messages if m.id > last_user.id]
        if after:
            self.store.delete_from(conversation_id, after[0].id)
        return after

    def edit_last(self, conversation_id: int, text: str, cancel: threading.Event | None = None) -> Iterator[Event]:
        """Replace the person's last message (and what followed) with ``text`` and resend."""
        last_user = _last_user(self.store.messages(conversation_id))
        if last_user is not None:
            self.store.delete_from(conversation_id, last_user.id)
        yield from self.send(conversation_id, text, cancel)

    def reply(
        self, conversation_id: int, cancel: threading.Event | None = None, sources: Sequence[Source] | None = None
    ) -> Iterator[Event]:
        """Stream and store the reply to the conversation so far.

        With ``sources`` it is a documents answer: a small model's starts with quoted passage
        sentences, and :class:`Finished` carries the checked text (also what is stored) and its claims.
        """
        if sources is None:
            yield from self.stream_and_store(conversation_id, self.history(conversation_id), cancel)
            return
        question = next(m.content for m in reversed(self.store.messages(conversation_id)) if m.role == "user")
        evidence = [s for s in sources if qa.is_evidence(s)]
        if not evidence:
            not_found = self.store.add_message(conversation_id, "assistant", qa.NOT_FOUND)
            yield Token(qa.NOT_FOUND)
            yield Finished(qa.NOT_FOUND, "", StreamStats(0, 0, 0.0, 0.0, 0, False), not_found)
            return
        grounding = qa.Grounding(question, evidence, self.embed, qa.is_small(self.runtime))
        prefix = grounding.prefix()
        if prefix:
            yield Token(prefix)
        for event in self.stream_and_store(
            conversation_id, qa.build_messages(question, evidence, grounding.small), cancel, evidence
        ):
            if isinstance(event, Stopped):
                yield Stopped(event.reason, prefix + event.text)
            elif isinstance(event, Finished):
                checked = grounding.finish(event.text, cancelled=cancel is not None and cancel.is_set())
                yield dataclasses.replace(
                    event,
                    text=checked.text,
                    message=self._restore(conversation_id, event.message, checked, evidence),
                    claims=tuple(checked.claims),
                )
            else:
                yield event

    def _restore(
        self, conversation_id: int, stored: Message | None, checked: qa.Checked, evidence: Sequence[Source]
    ) -> Message | None:
        """Store the checked text and its claims in place of the model's words."""
        claims = [dataclasses.asdict(c) for c in checked.claims]
        if stored is not None:
            return self.store.revise(stored, checked.text, claims)
        if not checked.text:
            return None
        cited = [dataclasses.asdict(s) for s in evidence]
        message = self.store.add_message(conversation_id, "assistant", checked.text, "", True, cited)
        return self.store.revise(message, checked.text, claims)

    def send_prompt(
        self,
        conversation_id: int,
        text: str,
        messages: Sequence[ChatMessage],
        cancel: threading.Event | None = None,
        *,
        writing: tuple[str, str, str | None] | None = None,
    ) -> Iterator[Event]:
        """Store the person's ``text``, then answer from ``messages`` built for it (e.g. a writing task).

        ``writing``: the (task, text, language) ``messages`` were built for (default: what
        ``writer.infer_task`` reads in ``text``). When the model does not write the language the result
        needs, the stored reply says so and names a model that does; the model is not run.
        """
        from assistant.agents import writer

        self._add_question(conversation_id, text)
        yield from self._write(conversation_id, writing or writer.infer_task(text), messages, cancel)

    def write_again(
        self, conversation_id: int, writing: tuple[str, str, str | None], cancel: threading.Event | None = None
    ) -> Iterator[Event]:
        """Answer the person's last message again as the writing task ``writing`` (task, text, language)."""
        from assistant.agents import writer

        self.clear_replies(conversation_id)
        yield from self._write(conversation_id, writing, writer.build_messages(*writing), cancel)

    def _write(
        self,
        conversation_id: int,
        writing: tuple[str, str, str | None] | None,
        messages: Sequence[ChatMessage],
        cancel: threading.Event | None,
    ) -> Iterator[Event]:
        """Stream and store a writing task's result, or say why this model should not write it."""
        from assistant.agents import writer

        problem = writer.language_problem(self.runtime.info, *writing) if writing is not None else None
        if problem is not None:
            stored = self.store.add_message(conversation_id, "assistant", problem)
            yield Token(problem)
            yield Finished(problem, "", StreamStats(0, 0, 0.0, 0.0, 0, False), stored)
            return
        yield from self.stream_and_store(conversation_id, messages, cancel)

    def stream_and_store(
        self,
        conversation_id: int,
        messages: Sequence[ChatMessage],
        cancel: threading.Event | None = None,
        evidence: Sequence[Source] = (),
    ) -> Iterator[Event]:
        """Stream the reply to ``messages`` and store it (even when stopped part-way).

        When the model starts repeating itself the reply stops there: a :class:`Stopped` event
        comes, what came before the loop is stored (complete, with ``stopped="repetition"``) and
        ``Finished.stopped`` says why.
        """
        answer: list[str] = []
        reasoning: list[str] = []
        stored: Message | None = None
        stopped = ""
        ran_to_end = False
        try:
            for event in stream_reply(self.runtime, messages, cancel):
                if isinstance(event, Stopped):  # the tokens so far are the kept text
                    answer, stopped = [event.text], event.reason
                elif isinstance(event, Token):
                    (reasoning if event.reasoning else answer).append(event.text)
                yield event
            ran_to_end = True
        finally:
            # Runs on normal end, on Stop, and if the consumer goes away: the partial reply stays.
            text, thought = "".join(answer).strip(), "".join(reasoning).strip()
            complete = ran_to_end and not (cancel is not None and cancel.is_set())
            if text or thought:
                cited = [dataclasses.asdict(s) for s in evidence]
                stored = self.store.add_message(
                    conversation_id, "assistant", text, thought, complete, cited, stopped=stopped
                )
        stats = self.runtime.last_stats
        if stats is not None:
            yield Finished(text, thought, stats, stored, tuple(evidence), stopped=stopped)


def title_from(text: str) -> str:
    words = " ".join(text.split()).split(" ")
    title = " ".join(words[:TITLE_WORDS])
    return title + ("…" if len(words) > TITLE_WORDS else "") if title else DEFAULT_TITLE


def _last_user(messages: list[Message]) -> Message | None:
    return next((m for m in reversed(messages) if m.role == "user"), None)
