import sqlite3
from pathlib import Path

import pytest

from assistant.conversations import SCHEMA_VERSION, ConversationStore, _m001_initial
from assistant.errors import ConversationNotFound, DataDirError


@pytest.fixture
def store(tmp_path: Path) -> ConversationStore:
    return ConversationStore(tmp_path / "c.sqlite3")


def test_messages_survive_reopening(tmp_path: Path) -> None:
    first = ConversationStore(tmp_path / "c.sqlite3")
    cid = first.create("Trip").id
    first.add_message(cid, "user", "Where to?")
    first.add_message(cid, "assistant", "Lisbon.", reasoning="it is sunny", complete=False)
    first.close()
    again = ConversationStore(tmp_path / "c.sqlite3")
    stored = again.messages(cid)
    assert [(m.role, m.content) for m in stored] == [("user", "Where to?"), ("assistant", "Lisbon.")]
    assert stored[1].reasoning == "it is sunny" and stored[1].complete is False
    assert again.schema_version() == SCHEMA_VERSION


def test_list_is_newest_first_and_search_finds_titles_and_message_text(store: ConversationStore) -> None:
    a = store.create("Recipes").id
    b = store.create("Taxes").id
    store.add_message(a, "user", "how long to boil an egg")
    assert [c.id for c in store.conversations()] == [a, b]
    assert [c.id for c in store.conversations("tax")] == [b]
    assert [c.id for c in store.conversations("EGG")] == [a]
    assert store.conversations("100%") == []  # LIKE wildcards are literal


def test_rename_and_delete_remove_messages_too(store: ConversationStore) -> None:
    cid = store.create().id
    store.add_message(cid, "user", "hi")
    store.rename(cid, "  Greetings \n ")
    assert store.get(cid).title == "Greetings"
    store.delete(cid)
    assert store.conversations() == []
    assert store._db.execute("SELECT COUNT(*) FROM messages").fetchone()[0] == 0
    with pytest.raises(ConversationNotFound):
        store.add_message(cid, "user", "still there?")


def test_delete_from_drops_a_message_and_everything_after(store: ConversationStore) -> None:
    cid = store.create().id
    ids = [store.add_message(cid, r, t).id for r, t in [("user", "1"), ("assistant", "2"), ("user", "3")]]
    store.delete_from(cid, ids[1])
    assert [m.content for m in store.messages(cid)] == ["1"]


def test_old_schema_is_migrated_and_keeps_its_history(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    _m001_initial(db)
    db.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied REAL NOT NULL)")
    db.execute("INSERT INTO migrations VALUES ('m001_initial', 0)")
    db.execute("INSERT INTO conversations VALUES (1, 'Old', 0, 0)")
    db.execute("INSERT INTO messages VALUES (1, 1, 'user', 'from last year', 0)")
    db.commit()
    db.close()
    store = ConversationStore(path)
    (message,) = store.messages(1)
    assert message.content == "from last year" and message.reasoning == "" and message.complete
    assert store.schema_version() == SCHEMA_VERSION


def test_a_file_that_is_not_a_database_gets_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"garbage" * 1000)
    with pytest.raises(DataDirError, match="damaged or not a database.*Move it aside"):
        ConversationStore(path)
