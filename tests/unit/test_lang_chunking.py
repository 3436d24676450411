"""Chunking of Korean, Japanese and Chinese text: sentences without spaces, and a size that stays bounded."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.library.chunking import chunk_sections
from assistant.library.documents import Section

JA_SENTENCES = [
    "アーカイブを作成するにはtarコマンドを使います。",
    "-cオプションは新しいアーカイブを作ります。",
    "-fオプションの後にはアーカイブのファイル名を書きます。",
    "gzipで圧縮したいときは-zオプションを加えます。",
    "アーカイブからファイルを取り出すには-xオプションを指定します。",
    "別のフォルダに展開したい場合は-Cオプションで展開先を指定します。",
    "中身の一覧だけを確認したいときは-tオプションが便利です。",
    "大きなアーカイブは時間がかかるので、進行状況を表示する-vオプションも役に立ちます。",
]
KO_SENTENCES = [
    "tar 명령은 여러 파일을 하나의 아카이브로 묶습니다.",
    "새 아카이브는 -c 옵션으로 만듭니다.",
    "-f 옵션 뒤에는 아카이브 파일의 이름을 적습니다.",
    "압축이 필요하면 -z 옵션을 더합니다.",
    "아카이브를 풀 때는 -x 옵션을 씁니다.",
    "다른 폴더에 풀려면 -C 옵션으로 대상 폴더를 지정합니다.",
    "목록만 보려면 -t 옵션을 씁니다.",
    "진행 상황을 보고 싶다면 -v 옵션을 함께 씁니다.",
]
ZH_SENTENCES = [
    "如何解压压缩文件？",
    "使用tar命令可以创建压缩文件。",
    "解压时请使用-x选项！",
    "要查看压缩文件的内容，请使用-t选项。",
    "如果想解压到其他目录，可以用-C选项指定目标目录。",
    "压缩大文件需要一些时间，请耐心等待！",
]


def by_characters(texts: Sequence[str]) -> list[int]:
    return [len(t) for t in texts]


def by_spaces(texts: Sequence[str]) -> list[int]:
    """A counter that, like a WordPiece tokenizer on a long run, sees one unit per space-separated word."""
    return [len(t.split()) for t in texts]


def chunk_texts(text: str, count: object, max_tokens: int, overlap: int = 0) -> list[str]:
    section = Section(text, start=0, end=len(text))
    return [p.text for p in chunk_sections([section], count, max_tokens, overlap)]  # type: ignore[arg-type]


def test_japanese_without_spaces_is_cut_at_sentence_ends() -> None:
    text = "".join(JA_SENTENCES * 3)
    assert " " not in text
    chunks = chunk_texts(text, by_characters, max_tokens=100, overlap=0)
    assert len(chunks) >= 5
    assert all(len(c) <= 100 and c.endswith("。") for c in chunks)
    assert "".join(chunks) == text


def test_cjk_size_is_never_below_one_token_per_character() -> None:
    """A counter that sees a spaceless Japanese paragraph as one word must not make it one chunk."""
    text = "".join(JA_SENTENCES * 3)
    chunks = chunk_texts(text, by_spaces, max_tokens=100)
    assert len(chunks) >= 5
    assert all(sum(not ch.isascii() for ch in c) <= 100 and c.endswith("。") for c in chunks)


def test_korean_splits_where_a_sentence_ends_without_a_space() -> None:
    text = "".join(KO_SENTENCES * 2)  # "...묶습니다.새 아카이브는..."
    assert "다.새" in text
    chunks = chunk_texts(text, by_characters, max_tokens=80)
    assert len(chunks) >= 4
    assert all(len(c) <= 80 and c.endswith("다.") for c in chunks)
    assert "".join(chunks) == text


def test_chinese_splits_at_full_width_stops_and_questions() -> None:
    text = "".join(ZH_SENTENCES * 3)
    chunks = chunk_texts(text, by_characters, max_tokens=40)
    assert len(chunks) >= 5
    assert all(len(c) <= 40 and c[-1] in "。！？" for c in chunks)
    assert "".join(chunks) == text


def test_a_long_chinese_sentence_is_cut_at_commas_then_at_characters() -> None:
    clauses = "，".join(["使用tar命令可以创建和解压压缩文件"] * 8) + "。"
    chunks = chunk_texts(clauses, by_characters, max_tokens=40)
    assert all(len(c) <= 40 for c in chunks) and "".join(chunks) == clauses
    assert all(c[-1] in "，。" for c in chunks)
    run = "压缩文件" * 60  # no punctuation at all
    pieces = chunk_texts(run, by_characters, max_tokens=50)
    assert len(pieces) >= 5 and all(len(c) <= 50 for c in pieces) and "".join(pieces) == run


def test_latin_sentences_are_cut_as_before() -> None:
    text = "Version 2.0 of tar is old. Use e.g. GNU tar today. It reads archives.\nIt also writes them."
    chunks = chunk_texts(text, by_spaces, max_tokens=6)
    assert chunks == [
        "Version 2.0 of tar is old.",
        "Use e.g. GNU tar today.",
        "It reads archives.",
        "It also writes them.",
    ]
