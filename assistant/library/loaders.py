"""Read a document file into Sections: the text a reader sees, where it sits, and what is hidden.

``load_document`` picks a reader by the file's suffix. Every failure a person can act on
(an empty, damaged, encrypted, binary or booby-trapped file) raises ``DocumentError``
whose ``str()`` says what is wrong and what to do. pypdf and python-docx are imported
only when a PDF or DOCX is read.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from assistant.errors import AssistantError
from assistant.library import loaders_text
from assistant.library.documents import Section

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(
    {".pdf", ".docx", ".md", ".markdown", ".rst", ".txt", ".text", ".html", ".htm"}
)
MAX_DOCX_UNCOMPRESSED = 200 * 1024 * 1024
# A DOCX that unpacks to more than this many times its packed size, and to more than
# ZIP_BOMB_MIN_UNCOMPRESSED bytes, is refused unopened.
ZIP_BOMB_RATIO = 100
ZIP_BOMB_MIN_UNCOMPRESSED = 20 * 1024 * 1024
BINARY_SNIFF_BYTES = 64 * 1024
# Binary when over 5% of the sniffed bytes are control characters, or when over 30% of them are not
# UTF-8 and over 1% are control characters.
BINARY_MAX_CONTROL_RATIO = 0.05
BINARY_MAX_UNDECODABLE_RATIO = 0.3
BINARY_SOME_CONTROL_RATIO = 0.01
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 files and encrypted Office files
_ALLOWED_CONTROLS = frozenset(b"\t\n\r\f\v\x1b")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


class DocumentError(AssistantError):
    """A document cannot be read; ``str()`` says why and what the person can do."""

    @classmethod
    def unsupported(cls, path: Path) -> DocumentError:
        kind = f"a {path.suffix} file" if path.suffix else "a file without an extension"
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        return cls(
            f"{path} is {kind}, which Private Assistant cannot read. It reads {supported}; "
            "save or export the document in one of those formats and add that copy instead."
        )

    @classmethod
    def unreadable(cls, path: Path, reason: str) -> DocumentError:
        return cls(f"{path} cannot be read ({reason}). Check that the file exists and that you may open it.")

    @classmethod
    def empty(cls, path: Path) -> DocumentError:
        return cls(f"{path} is empty (0 bytes), so there is nothing to read. Check that it was saved completely.")

    @classmethod
    def password_protected(cls, path: Path) -> DocumentError:
        return cls(
            f"{path} is password-protected, so its text cannot be read. Open it with its password, "
            "save a copy without one, and add that copy instead."
        )

    @classmethod
    def unsupported_encryption(cls, path: Path, detail: str) -> DocumentError:
        return cls(
            f"{path} is encrypted in a way Private Assistant cannot open ({detail}). Open it in a PDF "
            "viewer, save or print it to a new PDF without encryption, and add that copy instead."
        )

    @classmethod
    def damaged(cls, path: Path, kind: str, detail: str) -> DocumentError:
        return cls(
            f"{path} is damaged or not really a {kind} ({detail}). Open it in an app that reads {kind} "
            f"files and save it again, or get a fresh copy, then add that instead."
        )

    @classmethod
    def old_word_format(cls, path: Path) -> DocumentError:
        return cls(
            f"{path} is password-protected or in the old Word 97-2003 format, not a real DOCX. "
            "Open it in Word or LibreOffice, save it as a .docx without a password, and add that copy instead."
        )

    @classmethod
    def binary(cls, path: Path) -> DocumentError:
        return cls(
            f"{path} looks like binary data, not text, although its name ends in {path.suffix}. "
            "Check that it is the file you meant; if it is a document in another format, give it the right "
            "extension or export it as text."
        )

    @classmethod
    def zip_bomb(cls, path: Path, unpacked: int, packed: int) -> DocumentError:
        return cls(
            f"{path} looks like a zip bomb: its {packed:,} bytes would unpack to {unpacked:,} bytes, so it "
            "was not opened. If you trust it, open it in Word or LibreOffice, save it again, and add that copy."
        )


def load_document(path: Path) -> list[Section]:
    """The sections of ``path``, in reading order, with offsets into the joined text.

    Raises:
        DocumentError: the suffix is not supported, or the file is empty, damaged,
            password-protected, binary data posing as text, or a zip bomb.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError.unsupported(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise DocumentError.unreadable(path, "it is a folder, not a file")
        if size == 0:
            raise DocumentError.empty(path)
        if suffix == ".pdf":
            from assistant.library.loaders_pdf import read_pdf

            return finish_sections(read_pdf(path))
        if suffix == ".docx":
            check_docx_container(path)
            from assistant.library.loaders_docx import read_docx

            return finish_sections(read_docx(path))
        data = path.read_bytes()
    except OSError as error:
        raise DocumentError.unreadable(path, error.strerror or type(error).__name__) from error
    if suffix in (".html", ".htm"):
        return finish_sections(loaders_text.read_html(decode_text(path, data, html=True)))
    text = decode_text(path, data)
    if suffix in (".md", ".markdown"):
        return finish_sections(loaders_text.read_markdown(text))
    if suffix == ".rst":
        return finish_sections(loaders_text.read_rst(text))
    return finish_sections(loaders_text.read_plain(text))


def finish_sections(sections: Iterable[Section]) -> list[Section]:
    """Strip each section, drop the blank ones, and set offsets into the "\\n\\n"-joined text."""
    finished: list[Section] = []
    position = 0
    for section in sections:
        text = section.text.strip()
        if not text:
            continue
        if finished:
            position += 2
        finished.append(replace(section, text=text, start=position, end=position + len(text)))
        position += len(text)
    return finished


def check_docx_container(path: Path) -> None:
    """Refuse a DOCX that is not a zip, is an OLE (old or encrypted) file, or would unpack absurdly large."""
    with path.open("rb") as handle:
        head = handle.read(len(_OLE_MAGIC))
    if head == _OLE_MAGIC:
        raise DocumentError.old_word_format(path)
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
        raise DocumentError.damaged(path, "DOCX", "it is not a valid zip archive") from error
    unpacked = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries)
    too_big = unpacked > MAX_DOCX_UNCOMPRESSED
    absurd = unpacked > ZIP_BOMB_MIN_UNCOMPRESSED and unpacked > ZIP_BOMB_RATIO * max(packed, 1)
    if too_big or absurd:
        raise DocumentError.zip_bomb(path, unpacked, path.stat().st_size)


def looks_binary(data: bytes) -> bool:
    """True when the first 64 KiB hold a NUL byte, many control characters, or bytes that are neither text nor UTF-8.

    Text in a legacy single-byte encoding (cp1252, cp1251, ...) is not valid UTF-8 either, but it has
    almost no control characters; random or compressed data has about one byte in ten.
    """
    sample = data[:BINARY_SNIFF_BYTES]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if (byte < 32 or byte == 127) and byte not in _ALLOWED_CONTROLS)
    if controls > BINARY_MAX_CONTROL_RATIO * len(sample):
        return True
    decoded = sample.decode("utf-8", errors="replace")
    undecodable = decoded.count("\ufffd") > BINARY_MAX_UNDECODABLE_RATIO * max(len(decoded), 1)
    return undecodable and controls > BINARY_SOME_CONTROL_RATIO * len(sample)


def decode_text(path: Path, data: bytes, *, html: bool = False) -> str:
    """Decode a text file: a BOM wins, then UTF-8, a declared HTML charset, cp1252, latin-1.

    Raises:
        DocumentError: the bytes look like binary data rather than text.
    """
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            text = data[len(bom) :].decode(encoding, errors="replace")
            return _newlines(text)
    if looks_binary(data):
        raise DocumentError.binary(path)
    candidates = ["utf-8"]
    if html and (match := _META_CHARSET.search(data[:4096])):
        candidates.append(match.group(1).decode("ascii"))
    candidates.append("cp1252")
    for encoding in candidates:
        try:
            return _newlines(data.decode(encoding))
        except (UnicodeDecodeError, LookupError):
            continue
    return _newlines(data.decode("latin-1"))


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
