"""Where a passage belongs, on a real library: nested folders, symlinks, and the collection of every source.

Issue 12, findings 1 and 11: a "never leaves this device" collection must own the files of its
folder whatever else is registered, every retrieved passage must say which collection the index
holds it in, and a link must not pull a file from outside the chosen folder into the index.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.library.embedder import Embedder
from assistant.library.indexer import Indexer, Progress
from assistant.library.library import Library
from assistant.library.retriever import search

pytestmark = pytest.mark.integration

SHAREABLE = "The garden shed needs a new coat of green paint before the autumn rain."
MEDICAL = "The cardiologist prescribed forty milligrams of atorvastatin for the cholesterol."
SECRET = "The vault combination is kestrel nine nine four and the spare key hangs in the boiler room."


@pytest.fixture
def library(tmp_path: Path, embedder: Embedder) -> Iterator[Library]:
    with Library(tmp_path / "library", embedder) as opened:
        yield opened


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """~/Docs with a shareable note and a Medical folder inside it."""
    root = tmp_path / "Docs"
    (root / "Medical").mkdir(parents=True)
    (root / "garden.txt").write_text(SHAREABLE + "\n")
    (root / "Medical" / "heart.txt").write_text(MEDICAL + "\n")
    return root.resolve()


def sync(indexer: Indexer, collection: str | None = None) -> dict[str, list[Progress]]:
    by_status: dict[str, list[Progress]] = {}
    for progress in indexer.sync(collection):
        by_status.setdefault(progress.status, []).append(progress)
    return by_status


def owners(library: Library) -> dict[str, str]:
    """file name -> collection, from the files table and from every chunk of the file (they must agree)."""
    files = {Path(r.path).name: r.collection for r in library.manifest.files()}
    rows = library.manifest._db.execute("SELECT DISTINCT path, collection FROM chunks").fetchall()
    chunks: dict[str, set[str]] = {}
    for path, collection in rows:
        chunks.setdefault(Path(path).name, set()).add(collection)
    for name, collections in chunks.items():
        assert collections == {files[name]}, (name, collections, files[name])
    return files


def chroma_collection(library: Library, path: Path) -> set[str]:
    got = library.store.collection.get(where={"path": str(path)}, include=["metadatas"])
    return {str(m["collection"]) for m in got["metadatas"] or []}


@pytest.mark.parametrize("parent_first", [True, False], ids=["parent-added-first", "child-added-first"])
def test_the_most_specific_folder_owns_a_file_whatever_the_order(
    library: Library, docs: Path, parent_first: bool
) -> None:
    indexer = Indexer(library)
    order = [(docs, "Shared"), (docs / "Medical", "Private")]
    for folder, collection in order if parent_first else reversed(order):
        indexer.add(folder, collection)
    result = sync(indexer)
    assert len(result["indexed"]) == 2
    assert owners(library) == {"garden.txt": "Shared", "heart.txt": "Private"}
    assert chroma_collection(library, docs / "Medical" / "heart.txt") == {"Private"}


def test_syncing_the_parent_collection_leaves_the_nested_collection_alone(library: Library, docs: Path) -> None:
    indexer = Indexer(library)
    indexer.add(docs, "Shared")
    indexer.add(docs / "Medical", "Private")
    first = sync(indexer, "Shared")  # before Private was ever synced: its file is not Shared's to index
    assert [Path(p.path).name for p in first["indexed"]] == ["garden.txt"]
    assert owners(library) == {"garden.txt": "Shared"}

    sync(indexer, "Private")
    again = sync(indexer, "Shared")  # nothing of Private's is indexed, re-owned or removed
    assert [Path(p.path).name for p in again["skipped"]] == ["garden.txt"] and set(again) == {"skipped"}
    assert owners(library) == {"garden.txt": "Shared", "heart.txt": "Private"}
    assert [s.collection for s in search(library, "atorvastatin cholesterol", top_k=1)] == ["Private"]


@pytest.mark.parametrize("which", [None, "Shared", "Private"], ids=["sync-all", "sync-parent", "sync-child"])
def test_a_file_indexed_under_the_parent_moves_to_a_newly_registered_child(
    library: Library, docs: Path, which: str | None
) -> None:
    indexer = Indexer(library)
    indexer.add(docs, "Shared")
    sync(indexer)
    assert owners(library) == {"garden.txt": "Shared", "heart.txt": "Shared"}

    indexer.add(docs / "Medical", "Private")  # the person marks the Medical folder as its own collection
    moved = sync(indexer, which)
    assert [Path(p.path).name for p in moved["indexed"]] == ["heart.txt"] and "removed" not in moved
    assert owners(library)["heart.txt"] == "Private"
    assert chroma_collection(library, docs / "Medical" / "heart.txt") == {"Private"}
    shared = search(library, "atorvastatin cholesterol", top_k=3, collections=["Shared"])
    assert all(s.collection == "Shared" and not s.path.endswith("heart.txt") for s in shared)
    assert set(sync(indexer)) == {"skipped"}  # and it stays there


def test_removing_the_parent_folder_keeps_the_nested_collections_files(library: Library, docs: Path) -> None:
    indexer = Indexer(library)
    indexer.add(docs, "Shared")
    indexer.add(docs / "Medical", "Private")
    sync(indexer)
    assert indexer.remove(docs) == 1
    assert owners(library) == {"heart.txt": "Private"}
    assert chroma_collection(library, docs / "Medical" / "heart.txt") == {"Private"}


def test_every_source_carries_its_collection_from_the_index(library: Library, docs: Path) -> None:
    indexer = Indexer(library)
    indexer.add(docs, "Shared")
    indexer.add(docs / "Medical", "Private")
    sync(indexer)
    sources = search(library, "paint the shed, atorvastatin for cholesterol", top_k=5)
    assert {(Path(s.path).name, s.collection) for s in sources} == {("garden.txt", "Shared"), ("heart.txt", "Private")}
    only_shared = search(library, "atorvastatin cholesterol", top_k=5, collections=["Shared"])
    assert only_shared and {s.collection for s in only_shared} == {"Shared"}


# -- symlinks (finding 11) ------------------------------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder the person never added, with a secret in it."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "vault.txt").write_text(SECRET + "\n")
    return folder.resolve()


def test_links_that_leave_the_folder_are_skipped_and_reported(library: Library, docs: Path, outside: Path) -> None:
    os.symlink(outside / "vault.txt", docs / "vault-link.txt")
    os.symlink(outside, docs / "elsewhere-dir")
    os.symlink(docs / "garden.txt", docs / "garden-link.txt")  # stays inside: fine
    indexer = Indexer(library)
    indexer.add(docs)
    result = sync(indexer)

    failed = {Path(p.path).name: p.error for p in result["failed"]}
    assert set(failed) == {"vault-link.txt", "elsewhere-dir"}
    assert "vault-link.txt is a link to the file" in failed["vault-link.txt"]
    assert (
        str(outside / "vault.txt") in failed["vault-link.txt"]
        and "outside the library folder" in failed["vault-link.txt"]
    )
    assert "elsewhere-dir is a link to the folder" in failed["elsewhere-dir"]
    assert sorted(Path(p.path).name for p in result["indexed"]) == ["garden-link.txt", "garden.txt", "heart.txt"]
    texts = " ".join(s.text for s in search(library, "vault combination kestrel spare key boiler", top_k=5))
    assert "kestrel" not in texts
    hits = library.manifest._db.execute("SELECT COUNT(*) FROM chunks WHERE text LIKE '%kestrel%'").fetchone()
    assert hits[0] == 0
    again = sync(indexer)  # still said on every sync, still not indexed
    assert {Path(p.path).name for p in again["failed"]} == {"vault-link.txt", "elsewhere-dir"}


def test_a_link_retargeted_outside_is_dropped_from_the_index(library: Library, docs: Path, outside: Path) -> None:
    link = docs / "note.txt"
    os.symlink(docs / "garden.txt", link)
    indexer = Indexer(library)
    indexer.add(docs)
    sync(indexer)
    link.unlink()
    os.symlink(outside / "vault.txt", link)
    (outside / "vault.txt").touch()
    result = sync(indexer)
    assert [Path(p.path).name for p in result["failed"]] == ["note.txt"]
    assert chroma_collection(library, link) == set()
    assert library.manifest.file(str(link)).status == "failed"  # type: ignore[union-attr]
    assert not [s for s in search(library, "vault combination kestrel", top_k=5) if "kestrel" in s.text]


def test_a_link_into_a_nested_private_folder_does_not_share_its_file(library: Library, docs: Path) -> None:
    os.symlink(docs / "Medical" / "heart.txt", docs / "heart-link.txt")
    indexer = Indexer(library)
    indexer.add(docs, "Shared")
    indexer.add(docs / "Medical", "Private")
    result = sync(indexer)
    failed = {Path(p.path).name: p.error for p in result["failed"]}
    assert set(failed) == {"heart-link.txt"} and "belongs to another library folder" in failed["heart-link.txt"]
    holding = {
        (Path(s.path).name, s.collection) for s in search(library, "atorvastatin", top_k=5) if "atorva" in s.text
    }
    assert holding == {("heart.txt", "Private")}


def test_index_command_names_the_skipped_link(tmp_path: Path, docs: Path, outside: Path) -> None:
    os.symlink(outside / "vault.txt", docs / "vault-link.txt")
    env = {**os.environ, "PRIVATE_ASSISTANT_HOME": str(tmp_path / "home"), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "index", str(docs)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "2 indexed" in done.stdout and "1 failed" in done.stdout
    assert f"failed: {docs / 'vault-link.txt'}: not indexed: vault-link.txt is a link to the file" in done.stdout
