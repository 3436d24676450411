"""Chat history in SQLite, with a schema version and small named migrations.

Every write is one transaction, and the database runs in WAL mode, so a crash or kill
leaves the last committed state. Migrations are recorded in the ``migrations`` table.
"""

from __future__ import annotations

import dataclasses
import errno
import json
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import ConversationNotFound, DataDirError, DiskFullError

DEFAULT_TITLE = "New conversation"


@dataclass(frozen=True)
class Message:
    id: int
    conversation_id: int
    role: str  # "system" | "user" | "assistant"
    content: str
    reasoning: str
    created: float
    complete: bool  # False: the reply was stopped before it finished
    sources: tuple[dict[str, Any], ...] = ()  # cited passages: path, page, text, score, start, end
    origin: str = ""  # "" for the local model; "cloud: <provider> / <model>" for an approved cloud reply
    stopped: str = ""  # "" or why the app stopped the reply ("repetition": the model began repeating itself)
    # a documents answer's checked sentences: {"text", "sources", "supported", "score"} each
    claims: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class Conversation:
    id: int
    title: str
    created: float
    updated: float
    collections: tuple[str, ...] = ()  # document collections this chat answers from
    model: str = ""  # an installed model's id; "" for the default model


def _m001_initial(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE conversations (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            created REAL NOT NULL,
            updated REAL NOT NULL)"""
    )
    db.execute(
        """CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            role TEXT NOT NULL,
            content TEXT NOT NULL,
            created REAL NOT NULL)"""
    )
    db.execute("CREATE INDEX messages_by_conversation ON messages(conversation_id, id)")


def _m002_reasoning_and_completion(db: sqlite3.Connection) -> None:
    db.execute("ALTER TABLE messages ADD COLUMN reasoning TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE messages ADD COLUMN complete INTEGER NOT NULL DEFAULT 1")


def _m004_origin(db: sqlite3.Connection) -> None:
    db.execute("ALTER TABLE messages ADD COLUMN origin TEXT NOT NULL DEFAULT ''")


def _m003_sources_and_collections(db: sqlite3.Connection) -> None:
    db.execute("ALTER TABLE messages ADD COLUMN sources TEXT NOT NULL DEFAULT '[]'")
    db.execute("ALTER TABLE conversations ADD COLUMN collections TEXT NOT NULL DEFAULT '[]'")


def _m005_model(db: sqlite3.Connection) -> None:
    db.execute("ALTER TABLE conversations ADD COLUMN model TEXT NOT NULL DEFAULT ''")


def _m006_stopped(db: sqlite3.Connection) -> None:
    db.execute("ALTER TABLE messages ADD COLUMN stopped TEXT NOT NULL DEFAULT ''")


def _m007_claims(db: sqlite3.Connection) -> None:
    db.execute("ALTER TABLE messages ADD COLUMN claims TEXT NOT NULL DEFAULT '[]'")


MIGRATIONS: list[tuple[str, Callable[[sqlite3.Connection], None]]] = [
    ("m001_initial", _m001_initial),
    ("m002_reasoning_and_completion", _m002_reasoning_and_completion),
    ("m003_sources_and_collections", _m003_sources_and_collections),
    ("m004_origin", _m004_origin),
    ("m005_model", _m005_model),
    ("m006_stopped", _m006_stopped),
    ("m007_claims", _m007_claims),
]
SCHEMA_VERSION = len(MIGRATIONS)


class ConversationStore:
    """Conversations and their messages. Not shared across threads: one per thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._db = sqlite3.connect(path, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise _translate(exc, path) from exc

    def close(self) -> None:
        self._db.close()

    # -- schema -----------------------------------------------------------------------

    def _migrate(self) -> None:
        self._db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied REAL NOT NULL)")
        done = {row[0] for row in self._db.execute("SELECT name FROM migrations")}
        for name, step in MIGRATIONS:
            if name in done:
                continue
            with self._transaction() as db:
                step(db)
                db.execute("INSERT INTO migrations VALUES (?, ?)", (name, time.time()))
        self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            raise _translate(exc, self.path) from exc

    # -- conversations ----------------------------------------------------------------

    def create(self, title: str = DEFAULT_TITLE) -> Conversation:
        now = time.time()
        with self._transaction() as db:
            cur = db.execute(
                "INSERT INTO conversations (title, created, updated) VALUES (?, ?, ?)",
                (title, now, now),
            )
        return Conversation(int(cur.lastrowid or 0), title, now, now)

    def get(self, conversation_id: int) -> Conversation:
        row = self._db.execute(
            "SELECT id, title, created, updated, collections, model FROM conversations WHERE id = ?",
            (conversation_id,),
        ).fetchone()
        if row is None:
            raise ConversationNotFound(f"Conversation {conversation_id} no longer exists.")
        return _conversation(row)

    def conversations(self, search: str = "") -> list[Conversation]:
        """Most recently updated first; ``search`` matches titles and message text."""
        if not search.strip():
            rows = self._db.execute(
                "SELECT id, title, created, updated, collections, model FROM conversations "
                "ORDER BY updated DESC, id DESC"
            )
        else:
            pattern = "%" + _escape_like(search.strip()) + "%"
            rows = self._db.execute(
                """SELECT id, title, created, updated, collections, model FROM conversations c
                   WHERE title LIKE ?1 ESCAPE '\\' OR EXISTS (
                       SELECT 1 FROM messages m WHERE m.conversation_id = c.id
                       AND m.content LIKE ?1 ESCAPE '\\')
                   ORDER BY updated DESC, id DESC""",
                (pattern,),
            )
        return [_conversation(row) for row in rows]

    def rename(self, conversation_id: int, title: str) -> None:
        title = " ".join(title.split()) or DEFAULT_TITLE
        with self._transaction() as db:
            cur = db.execute("UPDATE conversations SET title = ? WHERE id = ?", (title, conversation_id))
        if cur.rowcount == 0:
            raise ConversationNotFound(f"Conversation {conversation_id} no longer exists.")

    def set_collections(self, conversation_id: int, collections: Sequence[str]) -> None:
        """The document collections this conversation answers from (none: plain chat)."""
        with self._transaction() as db:
            db.execute(
                "UPDATE conversations SET collections = ? WHERE id = ?",
                (json.dumps(list(collections)), conversation_id),
            )

    def set_model(self, conversation_id: int, model_id: str) -> None:
        """The model this conversation uses from its next message on ("" for the default model)."""
        with self._transaction() as db:
            db.execute("UPDATE conversations SET model = ? WHERE id = ?", (model_id, conversation_id))

    def delete(self, conversation_id: int) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))

    # -- messages ---------------------------------------------------------------------

    def messages(self, conversation_id: int) -> list[Message]:
        rows = self._db.execute(
            """SELECT id, conversation_id, role, content, reasoning, created, complete, sources, origin, stopped,
                      claims
               FROM messages WHERE conversation_id = ? ORDER BY id""",
            (conversation_id,),
        )
        return [
            Message(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), tuple(json.loads(r[7])), r[8], r[9], _claims(r[10]))
            for r in rows
        ]

    def add_message(
        self,
        conversation_id: int,
        role: str,
        content: str,
        reasoning: str = "",
        complete: bool = True,
        sources: Sequence[dict[str, Any]] = (),
        origin: str = "",
        stopped: str = "",
    ) -> Message:
        now = time.time()
        with self._transaction() as db:
            if db.execute("SELECT 1 FROM conversations WHERE id = ?", (conversation_id,)).fetchone() is None:
                raise ConversationNotFound(f"Conversation {conversation_id} no longer exists.")
            cur = db.execute(
                """INSERT INTO messages
                   (conversation_id, role, content, reasoning, created, complete, sources, origin, stopped)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    conversation_id,
                    role,
                    content,
                    reasoning,
                    now,
                    int(complete),
                    json.dumps(list(sources)),
                    origin,
                    stopped,
                ),
            )
            db.execute("UPDATE conversations SET updated = ? WHERE id = ?", (now, conversation_id))
        return Message(
            int(cur.lastrowid or 0),
            conversation_id,
            role,
            content,
            reasoning,
            now,
            complete,
            tuple(sources),
            origin,
            stopped,
        )

    def revise(self, message: Message, content: str, claims: Sequence[dict[str, Any]] = ()) -> Message:
        """Replace a stored reply's text and its checked claims in place (same id, same place in the chat)."""
        with self._transaction() as db:
            db.execute(
                "UPDATE messages SET content = ?, claims = ? WHERE id = ?",
                (content, json.dumps(list(claims)), message.id),
            )
        return dataclasses.replace(message, content=content, claims=tuple(claims))

    def add_conversations(self, drafts: Sequence[Any]) -> list[Conversation]:
        """New conversations with their messages, in one transaction (all or none), keeping their own times.

        Each draft has ``title``, ``created``, ``updated``, ``collections``, ``model`` and ``messages``
        (each with ``role``, ``content``, ``reasoning``, ``created``, ``complete``, ``sources``,
        ``origin``, ``stopped`` and ``claims``): see ``assistant.conversation_files``.
        """
        made: list[Conversation] = []
        with self._transaction() as db:
            for draft in drafts:
                cur = db.execute(
                    "INSERT INTO conversations (title, created, updated, collections, model) VALUES (?, ?, ?, ?, ?)",
                    (draft.title, draft.created, draft.updated, json.dumps(list(draft.collections)), draft.model),
                )
                new_id = int(cur.lastrowid or 0)
                db.executemany(
                    """INSERT INTO messages (conversation_id, role, content, reasoning, created, complete, sources,
                                             origin, stopped, claims)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    [
                        (
                            new_id,
                            m.role,
                            m.content,
                            m.reasoning,
                            m.created,
                            int(m.complete),
                            json.dumps(list(m.sources)),
                            m.origin,
                            m.stopped,
                            json.dumps(list(m.claims)),
                        )
                        for m in draft.messages
                    ],
                )
                made.append(
                    Conversation(
                        new_id, draft.title, draft.created, draft.updated, tuple(draft.collections), draft.model
                    )
                )
        return made

    def delete_from(self, conversation_id: int, message_id: int) -> None:
        """Delete a message and every later one in its conversation (regenerate, edit)."""
        with self._transaction() as db:
            db.execute(
                "DELETE FROM messages WHERE conversation_id = ? AND id >= ?",
                (conversation_id, message_id),
            )


def _claims(raw: str) -> tuple[dict[str, Any], ...]:
    return tuple(json.loads(raw))


def _conversation(row: tuple[Any, ...]) -> Conversation:
    return Conversation(row[0], row[1], row[2], row[3], tuple(json.loads(row[4])), row[5])


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _translate(exc: sqlite3.Error, path: Path) -> Exception:
    text = str(exc).lower()
    if "full" in text or getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
        return DiskFullError.at(path)
    if isinstance(exc, sqlite3.DatabaseError) and "not a database" in text:
        return DataDirError(
            f"The conversation history {path} is damaged or not a database. Move it aside "
            "(rename it) and restart; Private Assistant will start a fresh history."
        )
    if getattr(exc, "errno", None) == errno.EACCES or "readonly" in text or "unable to open" in text:
        return DataDirError.unusable(path.parent, str(exc))
    return DataDirError(f"The conversation history {path} could not be used: {exc}.")
