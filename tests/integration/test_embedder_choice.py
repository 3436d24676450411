"""Choosing a multilingual embedder: downloaded (pinned, verified) from a real HTTP server on 127.0.0.1,
recorded by the library, and switched to in the background while the old vectors keep answering.

A tiny random BERT with a WordPiece vocabulary learnt from Korean, Japanese, Chinese, English and
German stands in for multilingual-e5-small (real weights cannot be downloaded here); the library's
first embedder is the real bundled MiniLM, with a real chromadb store on disk.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.errors import DownloadError
from assistant.library import embedders
from assistant.library.embedder import BUNDLED_EMBEDDER_ID, Embedder, EmbedderError
from assistant.library.indexer import Indexer
from assistant.library.library import Library
from assistant.library.retriever import search
from assistant.library.store import collection_name
from assistant.runtime import catalog
from assistant.runtime.fetch import download_embedder, embedders_dir
from tests.model_server import model_server
from tests.tiny_models import EMBEDDER_FILES, tiny_embedder_entry, tiny_multilingual_embedder

pytestmark = pytest.mark.integration

PINNED = "89abcdef0123456789abcdef0123456789abcdef"
TINY_DIMENSION = 48
BUNDLED_DIMENSION = 384
DOCUMENTS = {
    "archive.md": "# 아카이브\n\n아카이브를 만들려면 tar 명령을 사용합니다. 아카이브에서 파일을 꺼냅니다.\n",
    "meeting.md": "# 회의\n\n회의는 내일 오전 열 시에 시작합니다. 회의실은 삼 층에 있습니다.\n",
    "photos.md": "# 사진\n\n사진을 편집하려면 편집기를 엽니다. 밝기와 대비를 조절합니다.\n",
    "translate.md": "# 번역\n\n문서를 번역하려면 번역 메뉴를 고릅니다. 원문과 번역문을 나란히 봅니다.\n",
}


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_multilingual_embedder(tmp_path_factory.mktemp("upstream") / "tiny-multilingual", hidden_size=48)


@pytest.fixture
def entry(upstream: Path, monkeypatch: pytest.MonkeyPatch) -> catalog.CatalogModel:
    """A catalog embedder pinned as the catalog pins its own, with E5's prefixes."""
    tiny = tiny_embedder_entry(upstream, "Tiny multilingual (test)", PINNED)
    assert tiny.pinned
    monkeypatch.setattr(catalog, "EMBEDDERS", (tiny,))
    return tiny


@pytest.fixture
def installed(entry: catalog.CatalogModel, upstream: Path) -> Path:
    with model_server([upstream / name for name in EMBEDDER_FILES]) as server:
        return download_embedder(entry.id, base_url=server.url)


@pytest.fixture
def documents(tmp_path: Path) -> Path:
    folder = tmp_path / "문서"
    folder.mkdir()
    for name, text in DOCUMENTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _indexed(documents: Path) -> Library:
    library = Library()
    indexer = Indexer(library)
    indexer.add(documents)
    statuses = [p.status for p in indexer.sync()]
    assert statuses.count("indexed") == len(DOCUMENTS)
    return library


def _vectors(library: Library, model_id: str) -> dict[str, np.ndarray]:
    store = library._store_for(model_id)
    got = store.collection.get(include=["embeddings"])
    return {i: np.asarray(v) for i, v in zip(got["ids"], got["embeddings"], strict=True)}


def test_an_embedder_downloads_verified_and_loads_with_its_prefixes(
    entry: catalog.CatalogModel, upstream: Path
) -> None:
    with model_server([upstream / name for name in EMBEDDER_FILES]) as server:
        folder = download_embedder(entry.id, base_url=server.url)
    assert server.requests == [f"/test/tiny-multilingual/resolve/{PINNED}/{name}" for name in EMBEDDER_FILES]
    assert folder == embedders_dir() / entry.id
    assert [e.id for e in embedders.installed()] == [entry.id]
    assert json.loads((folder / "1_Pooling" / "config.json").read_text())["pooling_mode_mean_tokens"] is True

    embedder = embedders.make(entry.id)
    assert (embedder.model_id, embedder.dimension, embedder.reads_cjk) == (entry.repo, TINY_DIMENSION, True)
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    question, passage = "아카이브에서 파일을 꺼내려면", "아카이브를 만들려면 tar 명령을 사용합니다."
    expected_q = reference.encode("query: " + question, normalize_embeddings=True)
    expected_p = reference.encode("passage: " + passage, normalize_embeddings=True)
    assert np.allclose(embedder.embed_query(question), expected_q, atol=1e-5)
    assert np.allclose(embedder.embed([passage])[0], expected_p, atol=1e-5)
    assert not np.allclose(embedder.embed_query(passage), embedder.embed([passage])[0], atol=1e-3)


def test_a_damaged_embedder_download_keeps_nothing(entry: catalog.CatalogModel, upstream: Path, tmp_path: Path) -> None:
    files = [upstream / name for name in EMBEDDER_FILES]
    damaged = tmp_path / "model.safetensors"
    data = bytearray(files[-1].read_bytes())
    data[-1] ^= 0xFF
    damaged.write_bytes(bytes(data))
    with model_server([*files[:-1], damaged]) as server, pytest.raises(DownloadError, match="SHA-256"):
        download_embedder(entry.id, base_url=server.url)
    assert embedders.installed() == [] and not (embedders_dir() / entry.id).exists()
    assert not any(embedders_dir().iterdir())  # nothing could resume: the unfinished folder is gone too


def test_choosing_an_embedder_that_is_not_downloaded_says_how_to_get_it(
    entry: catalog.CatalogModel, documents: Path
) -> None:
    with _indexed(documents) as library:
        with pytest.raises(EmbedderError, match=f"models download {entry.id}"):
            library.choose_embedder(entry.id)
        assert library.target_embedder.model_id == BUNDLED_EMBEDDER_ID
        assert not library.switching


def test_switching_embedders_keeps_answering_then_leaves_only_new_vectors(
    installed: Path, entry: catalog.CatalogModel, documents: Path
) -> None:
    library = _indexed(documents)
    ids = set(_vectors(library, BUNDLED_EMBEDDER_ID))
    assert len(ids) == library.manifest.chunk_count()
    question = "아카이브에서 파일을 꺼내려면 어떻게 하나요?"
    assert Path(search(library, question, top_k=1)[0].path).name == "archive.md"

    assert library.choose_embedder(entry.id)
    assert library.switching and library.embedder.model_id == BUNDLED_EMBEDDER_ID
    indexer = Indexer(library)
    remaining = indexer.refresh_embeddings(max_chunks=1)  # one file re-embedded, the rest still to do
    assert 0 < remaining < len(DOCUMENTS)
    # Midway, searches use the complete old vectors, for every file.
    assert library.switching and len(_vectors(library, BUNDLED_EMBEDDER_ID)) == len(ids)
    assert 0 < len(_vectors(library, entry.repo)) < len(ids)
    vector = library.embedder.embed_query(question)
    by_vector = library.store.query(vector, 10)
    assert {library.manifest.chunks([i])[i].path for i, _ in by_vector} == {str(documents / n) for n in DOCUMENTS}
    assert Path(search(library, question, top_k=1)[0].path).name == "archive.md"
    library.close()

    library = Library()  # a restart midway: still switching, the old model still answers
    assert library.switching and library.embedder.model_id == BUNDLED_EMBEDDER_ID
    assert library.target_embedder.model_id == entry.repo
    while Indexer(library).refresh_embeddings(max_chunks=1):
        assert Path(search(library, question, top_k=1)[0].path).name == "archive.md"
    assert not library.switching and library.embedder.model_id == entry.repo
    new = _vectors(library, entry.repo)
    assert set(new) == ids and {v.shape for v in new.values()} == {(TINY_DIMENSION,)}
    names = {c.name for c in library.store.client.list_collections()}
    assert names == {collection_name(entry.repo)}  # the old vectors are gone
    assert search(library, question, top_k=1)  # still answering, now with the new model
    library.close()

    with Library() as reopened:  # the choice is the library's own: a new process uses it
        assert reopened.embedder.model_id == entry.repo and not reopened.switching
        assert reopened.store.count() == len(ids)


def test_a_sync_finishes_a_switch_from_stored_text_without_parsing_again(
    installed: Path, entry: catalog.CatalogModel, documents: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = _indexed(documents)
    library.choose_embedder(entry.id)
    parsed: list[Path] = []
    indexer = Indexer(library)
    original = indexer._sandbox_factory

    class Counting:
        def __enter__(self) -> Counting:
            self.inner = original().__enter__()
            return self

        def __exit__(self, *exc: object) -> None:
            self.inner.__exit__(*exc)

        def parse(self, path: Path) -> object:
            parsed.append(path)
            return self.inner.parse(path)

    indexer._sandbox_factory = Counting  # type: ignore[assignment]
    statuses = [p.status for p in indexer.sync()]
    assert statuses == ["indexed"] * len(DOCUMENTS) and parsed == []
    assert not library.switching and library.embedder.model_id == entry.repo
    assert {v.shape for v in _vectors(library, entry.repo).values()} == {(TINY_DIMENSION,)}
    assert [p.status for p in indexer.sync()] == ["skipped"] * len(DOCUMENTS)
    library.close()


def test_the_cli_switches_the_library_and_reports_the_embedder(
    installed: Path, entry: catalog.CatalogModel, documents: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _indexed(documents).close()
    patch = (
        "import sys; from assistant.runtime import catalog; import tests.integration.test_embedder_choice as t; "
        "catalog.EMBEDDERS = t._entry_from_disk(); from assistant.cli import main; sys.exit(main(sys.argv[1:]))"
    )

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", patch, *args], capture_output=True, text=True, timeout=300)

    switched = cli("index", "--embedder", entry.id)
    assert switched.returncode == 0, switched.stderr
    assert f"{len(DOCUMENTS)} indexed" in switched.stdout and entry.repo in switched.stderr
    asked = cli("ask", "아카이브에서 파일을 꺼내려면?", "--retrieve-only", "--json")
    assert asked.returncode == 0, asked.stderr
    assert json.loads(asked.stdout)["embedder"] == entry.repo
    back = cli("index", "--embedder", "bundled")
    assert back.returncode == 0, back.stderr
    reply = json.loads(cli("ask", "아카이브에서 파일을 꺼내려면?", "--retrieve-only", "--json").stdout)
    assert reply["embedder"] == BUNDLED_EMBEDDER_ID
    assert Path(reply["sources"][0]["path"]).name == "archive.md"


def _entry_from_disk() -> tuple[catalog.CatalogModel, ...]:
    """For the CLI's own process: the test entry, rebuilt from the downloaded folder."""
    return (tiny_embedder_entry(embedders_dir() / "tiny-multilingual", "Tiny multilingual (test)", pinned=False),)


def test_a_korean_library_read_by_the_english_model_gets_a_suggestion(
    entry: catalog.CatalogModel, documents: Path, tmp_path: Path
) -> None:
    with _indexed(documents) as library:
        assert library.embedder_suggestion() == entry
    english = tmp_path / "english"
    english.mkdir()
    for number in range(6):
        (english / f"note{number}.md").write_text(f"# Note {number}\n\nThe meeting starts at ten in room {number}.\n")
    with Library(tmp_path / "other-library") as library:
        Indexer(library).add(english)
        list(Indexer(library).sync())
        assert library.embedder_suggestion() is None


def test_unknown_embedders_are_refused_clearly() -> None:
    with pytest.raises(EmbedderError, match="models list --catalog"):
        embedders.make("no-such-embedder")
    assert Embedder().model_id == embedders.make("").model_id == BUNDLED_EMBEDDER_ID
