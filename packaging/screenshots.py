"""The README's screenshots, light and dark, from the real window (``make screenshots``).

Runs the window offscreen on a throwaway data folder holding one conversation (a documents answer
with its citation, and a reply with a code block), a small indexed library, and the bundled model;
saves ``resources/screenshots/window-light.png`` and ``window-dark.png``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "screenshots"

NOTE = """# Field notes: seabirds

## Arctic tern

The arctic tern migrates about seventy thousand kilometres every year, from the Arctic to the Antarctic
and back: the longest migration of any animal.

## Puffins

Puffins nest in burrows on grassy cliff tops and carry several fish crosswise in their beaks.
"""

CODE_REPLY = """Here is a small function that does it:

```python
def km_to_miles(km: float) -> float:
    return km * 0.621371

print(f"{km_to_miles(70_000):,.0f} miles")
```

It prints **43,496 miles**."""


def conversation(home: Path, notes: Path) -> None:
    from assistant.conversations import ConversationStore

    store = ConversationStore(home / "conversations.sqlite3")
    try:
        older = store.create("Plan a weekend in Busan")
        store.add_message(older.id, "user", "Plan a weekend in Busan")
        store.add_message(older.id, "assistant", "Saturday: Haeundae beach and the Dongbaek island walk…")
        chat = store.create("How far does the arctic tern migrate?")
        source = {
            "path": str(notes),
            "page": None,
            "text": "The arctic tern migrates about seventy thousand kilometres every year, from the Arctic "
            "to the Antarctic and back: the longest migration of any animal.",
            "score": 0.9,
            "start": NOTE.index("The arctic"),
            "end": NOTE.index("## Puffins"),
            "heading_path": ["Field notes: seabirds", "Arctic tern"],
        }
        store.add_message(chat.id, "user", "How far does the arctic tern migrate?")
        store.add_message(
            chat.id,
            "assistant",
            "The arctic tern migrates about seventy thousand kilometres every year, from the Arctic to the "
            "Antarctic and back [1].",
            sources=[source],
        )
        store.add_message(chat.id, "user", "Write a Python function that turns that into miles.")
        store.add_message(chat.id, "assistant", CODE_REPLY)
    finally:
        store.close()


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["HF_HUB_OFFLINE"] = "1"
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch) / "data"
        os.environ["PRIVATE_ASSISTANT_HOME"] = str(home)
        notes = Path(scratch) / "Documents" / "seabirds.md"
        notes.parent.mkdir(parents=True)
        notes.write_text(NOTE, encoding="utf-8")
        from assistant import network
        from assistant.config import load_settings, save_settings
        from assistant.library.indexer import Indexer
        from assistant.library.library import Library

        network.install()
        settings = load_settings()
        settings.model_chosen = True
        save_settings(settings)
        with Library() as library:
            indexer = Indexer(library)
            indexer.add(notes.parent, "Field notes")
            list(indexer.sync("Field notes"))
        conversation(home, notes)

        from PySide6.QtCore import QThread
        from PySide6.QtWidgets import QApplication

        from ui.app import create_window

        app = QApplication.instance() or QApplication(sys.argv[:1])
        window = create_window()
        window.resize(1180, 760)
        window.show()
        window.start()
        window.conversations.list.setCurrentRow(0)
        window.answer_from.set_ticked("Field notes", True)
        OUT.mkdir(parents=True, exist_ok=True)
        for choice in ("light", "dark"):
            window.theme.choose(choice)
            for _ in range(300):  # let the model load and the library open, as a person would see it
                app.processEvents()
                if window.status.backend_label.text() and "loading" not in window.status.model_label.text():
                    break
                QThread.msleep(100)
            app.processEvents()
            path = OUT / f"window-{choice}.png"
            window.grab().save(str(path))
            print(path.relative_to(ROOT), flush=True)
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
