"""Keyword search in Korean, Japanese and Chinese: words with particles or endings match their stem.

Real Markdown pages are read by the real loader, chunked, and written through the real
manifest (SQLite FTS5); only the token counter of the chunker is a stand-in (characters).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.library.chunking import chunk_sections
from assistant.library.documents import Chunk
from assistant.library.loaders import load_document
from assistant.library.manifest import FileRecord, Manifest, query_words

KO_ARCHIVE = """# tar로 아카이브 다루기

## 아카이브 만들기

tar 명령은 여러 파일과 폴더를 하나의 아카이브로 묶습니다. 새 아카이브는 -c 옵션으로 시작하고, -f 옵션
뒤에 아카이브 파일의 이름을 적습니다. gzip으로 압축한 아카이브가 필요하면 -z 옵션을 더합니다.

## 아카이브 풀기

-x 옵션은 아카이브의 파일을 현재 폴더에 풉니다. 다른 폴더에 풀고 싶다면 -C 옵션으로 대상 폴더를
지정합니다. 아카이브 안의 목록만 보려면 -t 옵션을 씁니다.
"""
KO_OTHERS = {
    "permissions.md": "# 파일 권한\n\nchmod 명령으로 파일의 읽기, 쓰기, 실행 권한을 바꿉니다. "
    "소유자는 chown으로 바꿉니다.\n",
    "network.md": "# 네트워크 설정\n\nip 명령으로 네트워크 인터페이스의 주소를 확인하고 설정합니다. "
    "연결이 안 되면 ping으로 확인합니다.\n",
    "disk.md": "# 디스크 사용량\n\ndf 명령은 디스크의 남은 공간을 보여 주고, "
    "du 명령은 폴더마다 쓰는 용량을 보여 줍니다.\n",
}
JA_ARCHIVE = """# アーカイブの使い方

tarコマンドでアーカイブを作成するには、-cオプションと-fオプションを使います。アーカイブからファイルを
取り出すには-xオプションを指定します。圧縮にはgzipを使うこともできます。
"""
JA_OTHERS = {
    "network.md": "# ネットワーク\n\nipコマンドでネットワークの設定を確認します。接続できないときはpingを使います。\n",
    "disk.md": "# ディスク\n\ndfコマンドはディスクの空き容量を表示します。フォルダごとの使用量はduで調べます。\n",
}
ZH_ARCHIVE = """# 压缩文件

使用tar命令可以创建压缩文件。要解压压缩文件，请使用-x选项；要查看压缩文件的内容，请使用-t选项。
"""
ZH_OTHERS = {
    "network.md": "# 网络设置\n\n使用ip命令查看网络接口的地址。无法连接时，可以用ping检查。\n",
    "disk.md": "# 磁盘空间\n\ndf命令显示磁盘的剩余空间，du命令显示每个目录占用的空间。\n",
}


def index_pages(manifest: Manifest, folder: Path, pages: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in pages.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        pieces = chunk_sections(load_document(path), lambda texts: [len(t) for t in texts], 200, 32)
        chunks = [
            Chunk(f"{path}#{i}", str(path), "Documents", i, p.text, p.page, p.heading_path, p.start, p.end)
            for i, p in enumerate(pieces)
        ]
        record = FileRecord(str(path), "Documents", len(text), 0.0, "", "indexed", "", len(chunks), "test")
        with manifest.transaction() as db:
            manifest.record_indexed(db, record, chunks)


def ranked_pages(manifest: Manifest, query: str) -> list[str]:
    ids = manifest.keyword_search(query, 10)
    chunks = manifest.chunks(ids)
    return list(dict.fromkeys(Path(chunks[i].path).name for i in ids))


@pytest.fixture
def manifest(tmp_path: Path) -> Iterator[Manifest]:
    opened = Manifest(tmp_path / "manifest.sqlite3")
    yield opened
    opened.close()


def test_korean_word_with_a_particle_finds_the_page(manifest: Manifest, tmp_path: Path) -> None:
    index_pages(manifest, tmp_path / "docs", {"archive.md": KO_ARCHIVE, **KO_OTHERS})
    assert "아카이브를" not in KO_ARCHIVE and "아카이브에서" not in KO_ARCHIVE  # only other forms of the word
    for query in ("아카이브를 만들려면", "아카이브에서", "아카이브는 어떻게 풀어요?"):
        assert ranked_pages(manifest, query)[:1] == ["archive.md"], query


def test_japanese_word_with_a_particle_finds_the_page(manifest: Manifest, tmp_path: Path) -> None:
    index_pages(manifest, tmp_path / "ja", {"archive.md": JA_ARCHIVE, **JA_OTHERS})
    for query in ("アーカイブを作成する", "アーカイブから"):
        assert ranked_pages(manifest, query)[:1] == ["archive.md"], query


def test_chinese_words_match_inside_running_text(manifest: Manifest, tmp_path: Path) -> None:
    index_pages(manifest, tmp_path / "zh", {"archive.md": ZH_ARCHIVE, **ZH_OTHERS})
    for query in ("压缩文件", "如何解压压缩文件"):
        assert ranked_pages(manifest, query)[:1] == ["archive.md"], query


def test_query_words_split_cjk_runs_into_bigrams_and_keep_latin_words() -> None:
    assert query_words("tar로 아카이브를") == ["tar", "로", "아카", "카이", "이브", "브를"]
    assert query_words("How do I extract a tar archive?") == ["extract", "tar", "archive"]
    assert query_words("書") == ["書"]


def test_common_words_are_pruned_by_their_stem(manifest: Manifest, tmp_path: Path) -> None:
    """ "files" is looked up as the index's own term "file", so a word in most chunks is left out."""
    chunks = [Chunk(f"f#{i}", "f.txt", "Documents", i, f"The file number {i}.", None, (), 0, 0) for i in range(400)]
    chunks.append(Chunk("f#tern", "f.txt", "Documents", 400, "The arctic tern flies far.", None, (), 0, 0))
    with manifest.transaction() as db:
        manifest.record_indexed(db, FileRecord("f.txt", "Documents", 1, 0.0, "", "indexed", "", 401, "t"), chunks)
    assert manifest.keyword_search("files tern", 10) == ["f#tern"]


# The schema of libraries made before the bigram index (the keyword index over the raw text).
OLD_SCHEMA = """
CREATE TABLE collections (name TEXT PRIMARY KEY, created REAL NOT NULL);
CREATE TABLE folders (path TEXT PRIMARY KEY, collection TEXT NOT NULL);
CREATE TABLE files (
    path TEXT PRIMARY KEY, collection TEXT NOT NULL, size INTEGER NOT NULL, mtime REAL NOT NULL,
    sha256 TEXT NOT NULL DEFAULT '', status TEXT NOT NULL, error TEXT NOT NULL DEFAULT '',
    chunks INTEGER NOT NULL DEFAULT 0, embedder TEXT NOT NULL DEFAULT '', updated REAL NOT NULL);
CREATE TABLE chunks (
    id TEXT PRIMARY KEY, path TEXT NOT NULL, collection TEXT NOT NULL, ordinal INTEGER NOT NULL,
    page INTEGER, heading TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    hidden INTEGER NOT NULL, text TEXT NOT NULL);
CREATE INDEX chunks_by_path ON chunks(path);
CREATE VIRTUAL TABLE chunks_fts USING fts5(
    text, content='chunks', content_rowid='rowid', tokenize='porter unicode61');
CREATE VIRTUAL TABLE chunks_vocab USING fts5vocab(chunks_fts, 'row');
CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN
    INSERT INTO chunks_fts(rowid, text) VALUES (new.rowid, new.text); END;
CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN
    INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', old.rowid, old.text); END;
"""


def test_an_old_library_gets_the_new_keyword_index_on_open(tmp_path: Path) -> None:
    path = tmp_path / "manifest.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(OLD_SCHEMA)
    rows = [
        ("ko#0", "ko.md", "아카이브에서 파일을 꺼내려면 tar -x 를 씁니다."),
        ("ko#1", "ko.md", "chmod 명령으로 파일 권한을 바꿉니다."),
        ("en#0", "en.md", "Extract an archive with tar."),
    ]
    old.executemany("INSERT INTO chunks VALUES (?, ?, 'Documents', 0, NULL, '', 0, 0, 0, ?)", rows)
    old.execute("INSERT INTO files VALUES ('ko.md', 'Documents', 1, 0, '', 'indexed', '', 2, 'm', 0)")
    old.commit()
    assert old.execute("SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH '아카이브'").fetchall() == []
    old.close()

    manifest = Manifest(path)
    try:
        assert manifest.keyword_search("아카이브를 만들려면", 5) == ["ko#0"]
        assert manifest.keyword_search("archives", 5) == ["en#0"]
        names = {r[0] for r in manifest._db.execute("SELECT name FROM sqlite_master")}
        assert not names & {"chunks_fts", "chunks_vocab", "chunks_ai", "chunks_ad"}
        manifest.remove_files(["ko.md"])  # the new triggers keep the index in step after the move
        assert manifest.keyword_search("아카이브에서", 5) == []
    finally:
        manifest.close()
    reopened = Manifest(path)  # a second open finds nothing to migrate and keeps the index
    try:
        assert reopened.keyword_search("archive", 5) == ["en#0"]
    finally:
        reopened.close()


def test_the_english_embedder_votes_by_the_share_of_the_query_it_can_read() -> None:
    from assistant.library.retriever import cjk_share

    assert cjk_share("배열에서 중복된 값을 없애려면 어떻게 하나요?") == 1.0
    assert cjk_share("how do I remove duplicates from an array?") == 0.0
    assert 0.5 < cjk_share("sort() 함수로 정렬하려면") < 0.8
    assert cjk_share("123 456") == 0.0
