"""``conversations``, ``export`` and ``import`` as a person runs them: separate processes on one data folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant import paths
from assistant.conversations import ConversationStore
from tests.integration.test_cli_real import cli
from tests.unit.test_conversation_files import LEASE, chatgpt_export

pytestmark = pytest.mark.integration


def _seed() -> int:
    store = ConversationStore(paths.data_dir() / "conversations.sqlite3")
    cid = store.create("Lease questions").id
    store.add_message(cid, "user", "When is rent due?")
    store.add_message(
        cid, "assistant", "On the first of the month [1].", reasoning="The lease says so.", sources=[LEASE]
    )
    store.close()
    return cid


def _listed(home: Path) -> list[dict[str, object]]:
    done = cli("conversations", "--json", home=home)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_list_export_and_import_round_trip(data_home: Path, tmp_path: Path) -> None:
    cid = _seed()
    shown = cli("conversations", home=data_home)
    assert shown.returncode == 0 and f"{cid}  " in shown.stdout and "2 messages  Lease questions" in shown.stdout

    markdown = cli("export", str(cid), "--format", "md", home=data_home)
    assert markdown.returncode == 0, markdown.stderr
    assert markdown.stdout.startswith("# Lease questions\n")
    assert "## Assistant · SmolLM2 135M Instruct ·" in markdown.stdout  # the default model, by name
    assert "On the first of the month [^1]." in markdown.stdout
    assert "[^1]: lease.pdf, page 3 (`/docs/lease.pdf`)" in markdown.stdout

    file = tmp_path / "lease.json"
    written = cli("export", str(cid), "--format", "json", "--output", str(file), home=data_home)
    assert written.returncode == 0 and written.stdout == "", written.stderr
    imported = cli("import", str(file), home=data_home)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith("Imported 1 conversation from lease.json (Private Assistant):")
    new_id = int(imported.stdout.splitlines()[1].split()[0])
    assert new_id != cid
    again = cli("export", str(new_id), "--format", "json", home=data_home)
    original, copy = json.loads(file.read_text(encoding="utf-8")), json.loads(again.stdout)
    for document in (original, copy):
        del document["exported"], document["conversations"][0]["id"]
        for message in document["conversations"][0]["messages"]:
            del message["id"]
    assert copy == original
    assert [(c["id"], c["messages"]) for c in _listed(data_home)] == [(new_id, 2), (cid, 2)]


def test_import_a_chatgpt_export_then_a_bad_file_changes_nothing(data_home: Path, tmp_path: Path) -> None:
    file = tmp_path / "conversations.json"
    file.write_text(json.dumps(chatgpt_export()), encoding="utf-8")
    done = cli("import", str(file), "--json", home=data_home)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["kind"] == "ChatGPT" and [c["title"] for c in result["imported"]] == ["Lisbon weather", "Greeting"]
    before = _listed(data_home)
    assert {c["title"]: c["messages"] for c in before} == {"Lisbon weather": 4, "Greeting": 2}

    broken = tmp_path / "broken.json"
    broken.write_text(file.read_text(encoding="utf-8")[:-40], encoding="utf-8")
    refused = cli("import", str(broken), home=data_home)
    assert refused.returncode == 2 and refused.stdout == ""
    assert "broken.json is not valid JSON" in refused.stderr and "Nothing was imported" in refused.stderr
    assert _listed(data_home) == before

    missing = cli("export", "999", home=data_home)
    assert missing.returncode == 2 and "There is no conversation 999" in missing.stderr
