"""Conversations out to Markdown and JSON, and back in from our JSON and ChatGPT's export: all or nothing."""

from __future__ import annotations

import dataclasses
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from assistant.conversation_files import (
    MAX_BYTES,
    ConversationDraft,
    ConversationFileError,
    MessageDraft,
    export_json,
    export_markdown,
    import_file,
    store_drafts,
)
from assistant.conversation_files.markdown import when
from assistant.conversations import ConversationStore

LEASE = {"path": "/docs/lease.pdf", "page": 3, "text": "Rent is due on the first day of each month.", "score": 0.8}
NOTES = {"path": "/docs/notes.txt", "page": None, "text": "A late fee of 5% applies.", "score": 0.4}
CLAIMS = [
    {"text": "Rent is due on the 1st [1].", "sources": [1], "supported": True, "score": 0.9},
    {"text": "The landlord pays water [2].", "sources": [2], "supported": False, "score": 0.1},
]


@pytest.fixture
def store(tmp_path: Path) -> ConversationStore:
    return ConversationStore(tmp_path / "c.sqlite3")


def _rich_conversation(store: ConversationStore) -> int:
    cid = store.create("Lease questions").id
    store.set_collections(cid, ["Documents", "Home"])
    store.set_model(cid, "qwen3-0.6b")
    store.add_message(cid, "user", "When is rent due, and who pays water?")
    reply = store.add_message(
        cid, "assistant", "Rent is due on the 1st [1]. The landlord pays water [2].", reasoning="Check the lease.",
        sources=[LEASE, NOTES],
    )  # fmt: skip
    store.revise(reply, reply.content, CLAIMS)
    store.add_message(cid, "user", "Ask the cloud.")
    store.add_message(
        cid, "assistant", "Water is usually the tenant's", complete=False, origin="cloud: OpenAI / gpt-4o",
        stopped="repetition",
    )  # fmt: skip
    return cid


def _fields(store: ConversationStore, cid: int) -> tuple[Any, list[dict[str, Any]]]:
    c = store.get(cid)
    head = (c.title, c.created, c.updated, c.collections, c.model)
    rows = [dataclasses.asdict(m) for m in store.messages(cid)]
    for row in rows:
        del row["id"], row["conversation_id"]
    return head, rows


def _count(store: ConversationStore) -> tuple[int, int]:
    conversations = store.conversations()
    return len(conversations), sum(len(store.messages(c.id)) for c in conversations)


# -- our JSON -------------------------------------------------------------------------------------


def test_json_export_then_import_gives_back_every_field_as_a_new_conversation(
    store: ConversationStore, tmp_path: Path
) -> None:
    cid = _rich_conversation(store)
    file = tmp_path / "lease.json"
    file.write_text(export_json(store, [cid]), encoding="utf-8")
    document = json.loads(file.read_text(encoding="utf-8"))
    assert document["format"] == "private-assistant.conversations" and document["version"] == 1

    other = ConversationStore(tmp_path / "other.sqlite3")
    result = import_file(other, file)
    assert result.kind == "Private Assistant" and result.skipped == 0
    [made] = result.conversations
    assert _fields(other, made.id) == _fields(store, cid)
    again = import_file(store, file).conversations[0]  # the same store: a new conversation, the old one untouched
    assert again.id != cid and _fields(store, again.id) == _fields(store, cid)
    assert len(store.conversations()) == 2
    messages = store.messages(again.id)
    assert messages[1].sources == (LEASE, NOTES) and messages[1].claims == tuple(CLAIMS)
    assert messages[3].origin == "cloud: OpenAI / gpt-4o" and messages[3].stopped == "repetition"
    assert messages[3].complete is False


def test_a_file_with_many_conversations_imports_each(store: ConversationStore, tmp_path: Path) -> None:
    a = store.create("First").id
    store.add_message(a, "user", "one")
    b = store.create("Second").id
    store.add_message(b, "user", "two")
    file = tmp_path / "both.json"
    file.write_text(export_json(store, [a, b]), encoding="utf-8")
    made = import_file(store, file).conversations
    assert [c.title for c in made] == ["First", "Second"]
    assert [m.content for c in made for m in store.messages(c.id)] == ["one", "two"]


# -- Markdown -------------------------------------------------------------------------------------


def test_markdown_names_the_roles_and_models_and_cites_sources_as_footnotes(store: ConversationStore) -> None:
    cid = _rich_conversation(store)
    text = export_markdown(store, cid, model_name={"qwen3-0.6b": "Qwen3 0.6B"}.get)  # type: ignore[arg-type]
    messages = store.messages(cid)
    assert text.startswith("# Lease questions\n")
    assert f"## You · {when(messages[0].created)}" in text
    assert f"## Assistant · Qwen3 0.6B · {when(messages[1].created)}" in text
    assert "## Assistant · OpenAI / gpt-4o (cloud, sent with your approval)" in text
    assert "Rent is due on the 1st [^1]. The landlord pays water [^2]." in text
    assert "[^1]: lease.pdf, page 3 (`/docs/lease.pdf`): “Rent is due on the first day of each month.”" in text
    assert "[^2]: notes.txt (`/docs/notes.txt`)" in text
    assert "> Check the lease." in text  # the reasoning
    assert "- The landlord pays water." in text  # the claim the sources did not back
    assert "began repeating itself" in text
    assert "Documents, Home" in text


def test_markdown_footnotes_run_through_the_file_and_uncited_sources_are_listed(store: ConversationStore) -> None:
    cid = store.create("Two answers").id
    store.add_message(cid, "assistant", "First [1].", sources=[LEASE])
    store.add_message(cid, "assistant", "No numbers here.", sources=[NOTES])
    text = export_markdown(store, cid)
    assert "First [^1]." in text and "Sources: [^2]" in text
    assert "[^2]: notes.txt" in text
    assert "## Assistant · the default model" in text


# -- ChatGPT's export -----------------------------------------------------------------------------


def _node(node_id: str, parent: str | None, children: list[str], message: dict[str, Any] | None) -> dict[str, Any]:
    return {"id": node_id, "message": message, "parent": parent, "children": children}


def _msg(node_id: str, role: str, parts: list[Any], t: float | None, **extra: Any) -> dict[str, Any]:
    content_type = extra.pop("content_type", "text")
    metadata = extra.pop("metadata", {})
    return {
        "id": node_id,
        "author": {"role": role, "name": None, "metadata": {}},
        "create_time": t,
        "update_time": None,
        "content": {"content_type": content_type, "parts": parts},
        "status": "finished_successfully",
        "end_turn": True,
        "weight": 1.0,
        "metadata": metadata,
        "recipient": extra.pop("recipient", "all"),
        "channel": None,
        **extra,
    }


def chatgpt_export() -> list[dict[str, Any]]:
    """Two conversations as ChatGPT's Settings → Data controls → Export writes them in conversations.json.

    The first has a hidden system message, the user's custom instructions, an edited first question (two
    branches: only the edited one is shown), a web search (a tool call and the tool's result), and a
    multimodal message (text around an image).
    """
    gpt = {"model_slug": "gpt-4o"}
    mapping = {
        "root": _node("root", None, ["sys"], None),
        "sys": _node("sys", "root", ["ctx"], _msg("sys", "system", [""], None,
                     metadata={"is_visually_hidden_from_conversation": True}, weight=0.0)),
        "ctx": _node("ctx", "sys", ["q-old", "q-new"], {
            **_msg("ctx", "user", [], None, metadata={"is_visually_hidden_from_conversation": True}),
            "content": {"content_type": "user_editable_context", "user_profile": "Name: Ana", "user_instructions": ""},
        }),
        "q-old": _node("q-old", "ctx", ["a-old"], _msg("q-old", "user", ["What's the weather in Lisbon?"], 1700000010)),
        "a-old": _node("a-old", "q-old", [], _msg("a-old", "assistant", ["I can't browse."], 1700000011, metadata=gpt)),
        "q-new": _node("q-new", "ctx", ["call"], _msg("q-new", "user", ["Weather in Lisbon tomorrow?"], 1700000020)),
        "call": _node("call", "q-new", ["tool"], _msg("call", "assistant", ['search("Lisbon weather")'], 1700000021,
                      content_type="code", recipient="web", metadata=gpt)),
        "tool": _node("tool", "call", ["a-new"], {
            **_msg("tool", "tool", [], 1700000022),
            "author": {"role": "tool", "name": "web", "metadata": {}},
            "content": {"content_type": "tether_browsing_display", "result": "Sunny, 24°C", "summary": None},
        }),
        "a-new": _node("a-new", "tool", ["img"], _msg("a-new", "assistant", ["Sunny, around 24°C."], 1700000023,
                       metadata=gpt)),
        "img": _node("img", "a-new", ["a-img"], _msg("img", "user", [
            "What is in this photo?",
            {"content_type": "image_asset_pointer", "asset_pointer": "file-service://file-abc", "width": 64,
             "height": 64, "size_bytes": 2048},
            "It is from my trip.",
        ], 1700000030, content_type="multimodal_text")),
        "a-img": _node("a-img", "img", [], _msg("a-img", "assistant", ["A tram on a hill.", ""], 1700000031,
                       metadata=gpt)),
    }  # fmt: skip
    second = {
        "root": _node("root", None, ["u"], None),
        "u": _node("u", "root", ["a"], _msg("u", "user", ["Say hi"], 1710000001)),
        "a": _node("a", "u", [], _msg("a", "assistant", ["Hi!"], None)),  # no time: it takes the one before
    }
    return [
        {
            "title": "Lisbon weather", "create_time": 1700000000.5, "update_time": 1700000031.0, "mapping": mapping,
            "moderation_results": [], "current_node": "a-img", "plugin_ids": None, "conversation_id": "c-1",
            "conversation_template_id": None, "gizmo_id": None, "is_archived": False, "safe_urls": [],
            "default_model_slug": "gpt-4o", "id": "c-1",
        },
        {"title": "Greeting", "create_time": 1710000000, "update_time": 1710000002, "mapping": second,
         "current_node": "a", "conversation_id": "c-2", "id": "c-2"},
    ]  # fmt: skip


def test_chatgpt_export_imports_the_shown_branch_of_each_conversation(store: ConversationStore, tmp_path: Path) -> None:
    file = tmp_path / "conversations.json"
    file.write_text(json.dumps(chatgpt_export()), encoding="utf-8")
    result = import_file(store, file)
    assert result.kind == "ChatGPT"
    lisbon, greeting = result.conversations
    assert (lisbon.title, lisbon.created, lisbon.updated) == ("Lisbon weather", 1700000000.5, 1700000031.0)
    shown = [(m.role, m.content, m.origin, m.created) for m in store.messages(lisbon.id)]
    assert shown == [
        ("user", "Weather in Lisbon tomorrow?", "", 1700000020),  # the edited question, not the first one
        ("assistant", "Sunny, around 24°C.", "imported: ChatGPT / gpt-4o", 1700000023),
        ("user", "What is in this photo?\n\nIt is from my trip.", "", 1700000030),
        ("assistant", "A tram on a hill.", "imported: ChatGPT / gpt-4o", 1700000031),
    ]
    assert [(m.role, m.content, m.created) for m in store.messages(greeting.id)] == [
        ("user", "Say hi", 1710000001),
        ("assistant", "Hi!", 1710000001),
    ]
    assert "## Assistant · ChatGPT / gpt-4o" in export_markdown(store, lisbon.id)


def test_chatgpt_export_zip_imports_its_conversations_json(store: ConversationStore, tmp_path: Path) -> None:
    file = tmp_path / "chatgpt-export.zip"
    with zipfile.ZipFile(file, "w") as archive:
        archive.writestr("user.json", "{}")
        archive.writestr("conversations.json", json.dumps(chatgpt_export()))
    assert [c.title for c in import_file(store, file).conversations] == ["Lisbon weather", "Greeting"]


def test_conversation_with_only_hidden_messages_is_skipped_not_imported(
    store: ConversationStore, tmp_path: Path
) -> None:
    only_system = chatgpt_export()[1]
    only_system["mapping"]["u"]["message"]["author"]["role"] = "system"
    only_system["mapping"]["a"]["message"]["metadata"] = {"is_visually_hidden_from_conversation": True}
    file = tmp_path / "conversations.json"
    file.write_text(json.dumps([only_system]), encoding="utf-8")
    result = import_file(store, file)
    assert result.conversations == [] and result.skipped == 1 and store.conversations() == []


# -- bad files change nothing ---------------------------------------------------------------------


def _ours(tmp_path: Path, store: ConversationStore) -> dict[str, Any]:
    a = store.create("Good one").id
    store.add_message(a, "user", "fine")
    return json.loads(export_json(store, [a]))


def _bad_files(tmp_path: Path, store: ConversationStore) -> dict[str, tuple[Any, str]]:
    """File name → (content, words the error must say). Each holds a good conversation before the fault."""
    ours = _ours(tmp_path, store)
    no_content = json.loads(json.dumps(ours))
    bad = json.loads(json.dumps(ours["conversations"][0]))
    del bad["messages"][0]["content"]
    no_content["conversations"].append(bad)
    bad_role = json.loads(json.dumps(ours))
    bad_role["conversations"][0]["messages"][0]["role"] = "wizard"
    newer = {**ours, "version": 99}
    gpt_no_content = chatgpt_export()
    del gpt_no_content[1]["mapping"]["u"]["message"]["content"]
    gpt_broken_parent = chatgpt_export()
    gpt_broken_parent[1]["mapping"]["a"]["parent"] = "nowhere"
    bad_source = json.loads(json.dumps(ours))
    bad_source["conversations"][0]["messages"][0]["sources"] = [{"page": 2}]
    return {
        "not-json.json": ('{"format": "private-assistant.conversations", "conversations": [', "not valid JSON"),
        "shape.json": ({"messages": []}, "neither a Private Assistant conversation export nor ChatGPT"),
        "numbers.json": ([1, 2, 3], "neither"),
        "no-content.json": (no_content, "conversation 2, message 1 has no 'content'"),
        "role.json": (bad_role, "has the role 'wizard'"),
        "newer.json": (newer, "newer Private Assistant"),
        "gpt-no-content.json": (gpt_no_content, "conversation 2 ('Greeting'), node 'u' has a message without"),
        "gpt-parent.json": (gpt_broken_parent, "broken 'parent' link"),
        "source.json": (bad_source, "sources entry 1 without 'path' and 'text'"),
    }


def test_bad_files_say_what_is_wrong_and_change_nothing(store: ConversationStore, tmp_path: Path) -> None:
    files = _bad_files(tmp_path, store)
    before = _count(store)
    for name, (content, words) in files.items():
        file = tmp_path / name
        file.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
        with pytest.raises(ConversationFileError) as caught:
            import_file(store, file)
        message = str(caught.value)
        assert name in message and words in message and "Nothing was imported" in message, message
        assert _count(store) == before, name


def test_a_huge_file_is_refused_before_it_is_read(store: ConversationStore, tmp_path: Path) -> None:
    file = tmp_path / "conversations.json"
    with file.open("wb") as handle:  # sparse: 200 MB and a byte, without writing them
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(ConversationFileError, match=r"conversations.json is 200.0 MB; the most .* is 200 MB"):
        import_file(store, file)
    assert store.conversations() == []


def test_a_zip_that_unpacks_too_big_is_refused(store: ConversationStore, tmp_path: Path) -> None:
    file = tmp_path / "export.zip"
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("conversations.json", b"[" + b" " * (MAX_BYTES + 1) + b"]")
    assert file.stat().st_size < 1_000_000
    with pytest.raises(ConversationFileError, match="export.zip is 200.0 MB"):
        import_file(store, file)


def test_missing_file_and_folder_say_so(store: ConversationStore, tmp_path: Path) -> None:
    with pytest.raises(ConversationFileError, match="does not exist"):
        import_file(store, tmp_path / "nope.json")
    with pytest.raises(ConversationFileError, match="is a folder"):
        import_file(store, tmp_path)


def test_storing_is_one_transaction(store: ConversationStore) -> None:
    good = ConversationDraft("Good", 1.0, 2.0, messages=(MessageDraft("user", "hi", created=1.0),))
    broken = ConversationDraft("Broken", 1.0, 2.0, messages=(MessageDraft("user", None, created=1.0),))  # type: ignore[arg-type]
    with pytest.raises(Exception, match="NOT NULL"):  # noqa: B017 - sqlite's own error: the point is what is left
        store_drafts(store, [good, broken])
    assert store.conversations() == []
