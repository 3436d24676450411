"""The document library on real parts: the bundled embedder, chromadb on disk, real files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.library.embedder import Embedder
from assistant.library.indexer import Indexer, Progress, SyncControl
from assistant.library.library import Library
from assistant.library.retriever import search
from assistant.library.store import LibraryLockedError
from tests.library_files import TERN_FACT, make_corpus

pytestmark = pytest.mark.integration


@pytest.fixture
def library(tmp_path: Path, embedder: Embedder) -> Iterator[Library]:
    with Library(tmp_path / "library", embedder) as opened:
        yield opened


def sync(indexer: Indexer, control: SyncControl | None = None) -> dict[str, list[Progress]]:
    by_status: dict[str, list[Progress]] = {}
    for progress in indexer.sync(control=control):
        by_status.setdefault(progress.status, []).append(progress)
    return by_status


def assert_no_duplicates(library: Library) -> None:
    visible = library.manifest._db.execute("SELECT COUNT(*) FROM chunks WHERE hidden = 0").fetchone()[0]
    assert library.store.count() == visible
    ids = library.manifest._db.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM chunks").fetchone()
    assert ids[0] == ids[1]


def test_question_answered_on_page_3_returns_page_3_first(library: Library, tmp_path: Path) -> None:
    files = make_corpus(tmp_path / "docs")
    indexer = Indexer(library)
    indexer.add(tmp_path / "docs")
    result = sync(indexer)
    assert len(result["indexed"]) == 4 and "failed" not in result
    sources = search(library, "How far does the arctic tern fly each year?", top_k=3)
    assert sources[0].path == str(files["pdf"].resolve()) and sources[0].page == 3
    assert "seventy thousand" in sources[0].text
    assert sources[0].similarity > 0.3
    other = search(library, "What temperature should sourdough be baked at?", top_k=3)
    assert other[0].path.endswith("bread.md") and other[0].heading_path == ("Sourdough", "Baking")
    assert_no_duplicates(library)


def test_sync_skips_unchanged_and_follows_changes_deletes_and_renames(library: Library, tmp_path: Path) -> None:
    files = make_corpus(tmp_path / "docs")
    indexer = Indexer(library)
    indexer.add(tmp_path / "docs")
    sync(indexer)
    assert set(sync(indexer)) == {"skipped"}
    os.utime(files["txt"], (time.time() + 10, time.time() + 10))  # touched, same content
    assert set(sync(indexer)) == {"skipped"}
    files["txt"].write_text("Bicycle maintenance.\n\nCheck the brake pads for wear every month.\n")
    files["md"].rename(tmp_path / "docs" / "sourdough.md")
    files["docx"].unlink()
    result = sync(indexer)
    assert sorted(Path(p.path).name for p in result["indexed"]) == ["bikes.txt", "sourdough.md"]
    assert sorted(Path(p.path).name for p in result["removed"]) == ["bread.md", "garden.docx"]
    texts = " ".join(s.text for s in search(library, "brake pads chain tyres", top_k=5))
    assert "brake pads" in texts and "six bar" not in texts
    assert not [s for s in search(library, "tomatoes sun", top_k=10) if s.path.endswith("garden.docx")]
    assert_no_duplicates(library)


def test_bad_files_fail_alone_with_reasons(library: Library, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    make_corpus(docs)
    (docs / "empty.txt").write_bytes(b"")
    (docs / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (docs / "broken.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(4000))
    (docs / "notes.docx").write_text("not a zip at all")
    indexer = Indexer(library)
    indexer.add(docs)
    result = sync(indexer)
    failed = {Path(p.path).name: p.error for p in result["failed"]}
    assert set(failed) == {"empty.txt", "binary.txt", "broken.pdf", "notes.docx"}
    assert all(reason and "Traceback" not in reason for reason in failed.values())
    assert len(result["indexed"]) == 4
    assert set(sync(indexer)) == {"skipped"}  # broken files are not retried until they change
    assert {r.status for r in library.manifest.files() if r.path.endswith("empty.txt")} == {"failed"}


def test_pause_resume_and_cancel(library: Library, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(30):
        (docs / f"note{i:02}.md").write_text(f"# Note {i}\n\nThis note talks about topic number {i}.\n")
    indexer = Indexer(library)
    indexer.add(docs)
    control = SyncControl()
    control.cancelled.set()
    assert "indexed" not in sync(indexer, control)  # cancelled before the first batch committed
    control = SyncControl()
    control.paused.set()
    events = indexer.sync(control=control)
    import threading

    threading.Timer(0.5, control.paused.clear).start()
    started = time.perf_counter()
    statuses = [p.status for p in events]
    assert time.perf_counter() - started >= 0.4 and statuses.count("indexed") == 30
    assert_no_duplicates(library)


def test_a_second_process_is_refused_the_store(library: Library) -> None:
    code = (
        "import sys\nfrom assistant.library.library import Library\n"
        "from assistant.errors import AssistantError\n"
        f"try:\n    Library(__import__('pathlib').Path({str(library.folder)!r}))\n"
        "except AssistantError as e:\n    print(e); sys.exit(3)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 3 and "Another Private Assistant" in done.stdout
    with pytest.raises(LibraryLockedError):
        Library(library.folder)


def test_changing_the_embedder_re_embeds_instead_of_mixing(tmp_path: Path, embedder: Embedder) -> None:
    make_corpus(tmp_path / "docs")
    with Library(tmp_path / "library", embedder) as library:
        Indexer(library).add(tmp_path / "docs")
        sync(Indexer(library))
    renamed = Embedder(model_id="all-MiniLM-L6-v2-renamed")
    renamed._model = embedder._load()
    with Library(tmp_path / "library", renamed) as library:
        result = sync(Indexer(library))
        assert len(result["indexed"]) == 4 and library.store.other_embedders() == []
        assert search(library, TERN_FACT, top_k=1)[0].page == 3
        assert_no_duplicates(library)


KILL_SCRIPT = """
import sys
from pathlib import Path
from assistant.library.indexer import Indexer
from assistant.library.library import Library
import assistant.library.indexer as indexer_module
indexer_module.BATCH_CHUNKS = 8
with Library(Path(sys.argv[1])) as library:
    indexer = Indexer(library)
    indexer.add(Path(sys.argv[2]))
    print("ready", flush=True)
    for progress in indexer.sync():
        print(progress.status, progress.path, flush=True)
"""


@pytest.mark.parametrize("kill_after", [0, 7, 25])
def test_kill_9_during_indexing_then_restart_resumes_without_duplicates(
    tmp_path: Path, embedder: Embedder, kill_after: int
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(60):
        (docs / f"page{i:02}.md").write_text(f"# Page {i}\n\n" + f"Fact {i}: the value of item {i} is {i * 7}.\n" * 8)
    store = tmp_path / "library"
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(store), str(docs)], stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    finished: list[str] = []
    lines = 0
    for line in proc.stdout:
        if line.startswith("indexed"):
            finished.append(line.split(" ", 1)[1].strip())
        lines += 1
        if lines > kill_after:
            break
    proc.kill()
    proc.wait()
    proc.stdout.close()
    with Library(store, embedder) as library:
        result = sync(Indexer(library))
        skipped = {p.path for p in result.get("skipped", [])}
        assert set(finished) <= skipped  # every finished file was kept
        assert len(skipped) + len(result.get("indexed", [])) == 60
        assert {r.status for r in library.manifest.files()} == {"indexed"}
        assert_no_duplicates(library)


def test_real_pdf_samples_index_or_fail_cleanly(library: Library, tmp_path: Path) -> None:
    samples = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "pdf-samples"
    if not samples.is_dir():
        pytest.skip("../shared/corpora is not here (a user's clone has none)")
    docs = tmp_path / "pdfs"
    docs.mkdir()
    for pdf in sorted(samples.rglob("*.pdf"))[:12]:
        shutil.copy(pdf, docs / pdf.name)
    indexer = Indexer(library)
    indexer.add(docs)
    result = sync(indexer)
    assert len(result.get("indexed", [])) >= 6
    assert all(p.error for p in result.get("failed", []))
    assert_no_duplicates(library)
