"""Keep the library in step with the files on disk, in crash-safe batches.

A sync walks the registered folders and files, skips what has not changed (size and
mtime, then content hash), removes what was deleted, and (re)indexes the rest. Files are
parsed in a child process (``ParserSandbox``) and chunked on a reader thread a few files
ahead, then embedded in batches across files, written to the vector store, and only then
marked ``indexed`` in one SQLite transaction.
Chunk ids are deterministic and a file's old vectors are deleted before its new ones are
written, so a kill -9 at any moment leaves no duplicates; the next sync redoes exactly the
files that were not marked.

A file belongs to the most specific registered folder that holds it (``~/Docs/Medical`` in
one collection inside ``~/Docs`` in another), so a collection's privacy setting follows the
folder the person chose for it. Links are followed only when their target stays inside the
link's own folder; any other link is reported as ``failed`` with the reason and not indexed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISREG

from assistant.errors import AssistantError
from assistant.library.chunking import Piece, chunk_sections
from assistant.library.documents import Chunk
from assistant.library.library import DEFAULT_COLLECTION, Library
from assistant.library.loaders import SUPPORTED_SUFFIXES
from assistant.library.manifest import FileRecord
from assistant.library.sandbox import ParserSandbox
from assistant.library.titles import chunk_header, document_title

log = logging.getLogger(__name__)

BATCH_CHUNKS = 256
READ_AHEAD = 4  # files parsed and chunked ahead of the embedder
CHUNK_TOKENS = 200
CHUNK_OVERLAP = 32
EMBEDDING_FORM = "#title-header"  # chunks are embedded under "title — headings" (``_embedding_text``)


@dataclass(frozen=True)
class Progress:
    """One step of a sync, for a progress bar and the library view."""

    done: int
    total: int
    path: str
    status: str  # "indexed" | "skipped" | "failed" | "removed"
    error: str = ""
    chunks: int = 0


@dataclass
class SyncControl:
    """Pause, resume and cancel a running sync from another thread."""

    paused: threading.Event = field(default_factory=threading.Event)
    cancelled: threading.Event = field(default_factory=threading.Event)

    def stop(self) -> None:
        """Cancel, and release a pause so the sync can see it."""
        self.cancelled.set()
        self.paused.clear()

    def wait_if_paused(self, leaving: threading.Event | None = None) -> bool:
        """Block while paused; return False once cancelled (or once ``leaving`` is set: its caller went away)."""

        def over() -> bool:
            return self.cancelled.is_set() or (leaving is not None and leaving.is_set())

        while self.paused.is_set() and not over():
            self.cancelled.wait(0.1)
        return not over()


@dataclass
class Scan:
    """What a walk of the registered folders found.

    Attributes:
        files: path -> (owning collection, stat) for every supported file.
        refused: path -> (owning collection, message) for every link that leaves its folder.
    """

    files: dict[str, tuple[str, os.stat_result]] = field(default_factory=dict)
    refused: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass
class _Parsed:
    record: FileRecord
    chunks: list[Chunk]


def chunk_id(path: str, ordinal: int) -> str:
    return f"{hashlib.sha1(path.encode()).hexdigest()[:20]}-{ordinal}"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Indexer:
    """Adds, removes and syncs documents of a :class:`Library`.

    Args:
        library: the open library.
        sandbox_factory: makes the child-process parser (tests pass a short timeout).
    """

    def __init__(self, library: Library, sandbox_factory: Callable[[], ParserSandbox] = ParserSandbox) -> None:
        self.library = library
        self.manifest = library.manifest
        self._sandbox_factory = sandbox_factory

    # -- what to index ----------------------------------------------------------------

    def add(self, path: Path, collection: str = DEFAULT_COLLECTION) -> None:
        """Register a folder (watched recursively) or a single file."""
        path = path.expanduser().resolve()
        if not path.exists():
            raise AssistantError(f"{path} does not exist. Check the path and try again.")
        self.manifest.add_folder(str(path), collection)

    def remove(self, path: Path) -> int:
        """Forget a folder or file and delete its chunks; return how many files were removed.

        Files that a more specific registered folder owns (``~/Docs/Medical`` inside a removed
        ``~/Docs``) stay: they belong to that folder, not to the one removed.
        """
        key = str(path.expanduser().resolve())
        folders = self.manifest.folders()
        gone = [r.path for r in self.manifest.files(under=key) if not _nested_owner(r.path, key, folders)]
        self.manifest.remove_folder(key)
        self._remove(gone)
        return len(gone)

    def scan(self, collection: str | None = None) -> dict[str, tuple[str, os.stat_result]]:
        """Supported files under the registered paths: path -> (owning collection, stat)."""
        return self.scan_all(collection).files

    def scan_all(self, collection: str | None = None) -> Scan:
        """The files under the registered paths (of one collection, or all), and the links refused.

        A file belongs to the most specific registered folder that holds it, whatever the order
        the folders were added in, so this walks ``collection``'s folders but asks every folder
        who owns what it finds: a nested folder of another collection keeps its files.
        A link is followed only when its target stays inside the same folder.
        """
        folders = self.manifest.folders()
        found = Scan()
        for root, _ in self.manifest.folders(collection):
            for candidate, target in _walk(Path(root)):
                path = str(candidate)
                if path in found.files or path in found.refused:
                    continue
                owner = _owner(path, folders)
                if owner is None:
                    continue
                target_root = _owning_root(str(target), folders) if target is not None else owner[0]
                if target is not None and target_root != owner[0]:
                    found.refused[path] = (owner[1], _link_message(candidate, target, owner[0], target_root))
                    continue
                try:
                    stat = candidate.stat()
                except OSError:
                    continue
                if S_ISREG(stat.st_mode):
                    found.files[path] = (owner[1], stat)
        return found

    # -- sync -------------------------------------------------------------------------

    def sync(self, collection: str | None = None, control: SyncControl | None = None) -> Iterator[Progress]:
        """Bring the index in line with the disk, yielding one Progress per file."""
        control = control or SyncControl()
        scan = self.scan_all(collection)
        known = {r.path: r for r in self.manifest.files(collection)}
        if collection is not None:  # another collection's files under our folders are its own business
            scan.files = {p: f for p, f in scan.files.items() if f[0] == collection or p in known}
            scan.refused = {p: r for p, r in scan.refused.items() if r[0] == collection or p in known}
        on_disk = scan.files
        registered = [root for root, _ in self.manifest.folders(collection)]
        deleted = [
            p for p in known if p not in on_disk and p not in scan.refused and not _under_missing_root(p, registered)
        ]
        todo: list[tuple[str, str, os.stat_result]] = []
        skipped: list[str] = []
        reembed: list[str] = []  # unchanged, but embedded by another model or form: from the stored chunks
        embedder_id = embedding_key(self.library.target_embedder.model_id)
        for path, (owner, stat) in on_disk.items():
            record = known.get(path)
            if record is not None and record.collection == owner and self._unchanged(record, stat):
                (skipped if record.status == "failed" or record.embedder == embedder_id else reembed).append(path)
            else:  # new, changed, or now owned by another (more specific) folder: (re)index under its owner
                todo.append((path, owner, stat))
        total = len(deleted) + len(scan.refused) + len(skipped) + len(reembed) + len(todo)
        done = 0
        if deleted:
            self._remove(deleted)
            for path in deleted:
                done += 1
                yield Progress(done, total, path, "removed")
        for path, (owner, message) in scan.refused.items():
            self._refuse(path, owner, message)
            done += 1
            yield Progress(done, total, path, "failed", message)
        for path in skipped:
            done += 1
            yield Progress(done, total, path, "skipped")
        if todo:
            for progress in self._index(todo, control):
                done += 1
                yield Progress(done, total, progress.path, progress.status, progress.error, progress.chunks)
        for path in reembed:
            if not control.wait_if_paused():
                break
            chunks = self._reembed(path, embedder_id)
            done += 1
            yield Progress(done, total, path, "indexed", chunks=chunks)
        if not control.cancelled.is_set():
            self.library.settle()

    def _refuse(self, path: str, owner: str, message: str) -> None:
        """A link that leaves its folder: drop anything indexed from it and record why."""
        try:
            link = os.lstat(path)
            size, mtime = link.st_size, link.st_mtime
        except OSError:
            size, mtime = 0, 0.0
        record = self.manifest.file(path)
        if record is None or record.status != "failed":  # it may have been indexed when links were followed
            self.library.delete_paths([path])
        self.manifest.record_failure(path, owner, size, mtime, message)

    def _unchanged(self, record: FileRecord, stat: os.stat_result) -> bool:
        if record.status == "failed":
            return record.size == stat.st_size and record.mtime == stat.st_mtime  # don't retry a broken file
        if record.status != "indexed":
            return False
        if record.size == stat.st_size and record.mtime == stat.st_mtime:
            return True
        if record.size == stat.st_size and file_sha256(Path(record.path)) == record.sha256:
            self.manifest.touch(record.path, stat.st_size, stat.st_mtime)  # touched, not changed
            return True
        return False

    def _index(self, todo: list[tuple[str, str, os.stat_result]], control: SyncControl) -> Iterator[Progress]:
        """Embed and write while the next files are parsed and chunked (:func:`_read_ahead`)."""
        batch: list[_Parsed] = []
        for path, owner, stat, prepared in _read_ahead(todo, control, self._prepare, self._sandbox_factory):
            if isinstance(prepared, str):
                self.manifest.record_failure(path, owner, stat.st_size, stat.st_mtime, prepared)
                self.library.delete_paths([path])
                yield Progress(0, 0, path, "failed", prepared)
                continue
            batch.append(prepared)
            if sum(len(p.chunks) for p in batch) >= BATCH_CHUNKS:
                yield from self._commit(batch)
                batch = []
        if batch and not control.cancelled.is_set():
            yield from self._commit(batch)

    def _prepare(self, sandbox: ParserSandbox, path: str, owner: str, stat: os.stat_result) -> _Parsed | str:
        """A file parsed (in the sandbox's child), chunked and hashed; or why it could not be read."""
        result = sandbox.parse(Path(path))
        if result.sections is None:
            return result.error or "could not be read"
        embedder = self.library.target_embedder
        pieces = chunk_sections(result.sections, embedder.count_tokens_many, CHUNK_TOKENS, CHUNK_OVERLAP)
        title = _title(pieces, path)
        chunks = [
            Chunk(chunk_id(path, i), path, owner, i, p.text, p.page, p.heading_path, p.start, p.end, p.hidden, title)
            for i, p in enumerate(pieces)
        ]
        try:
            digest = file_sha256(Path(path))
        except OSError as exc:  # gone or unreadable since the parse
            return f"could not be read: {exc.strerror or exc}"
        key = embedding_key(embedder.model_id)
        return _Parsed(FileRecord(path, owner, stat.st_size, stat.st_mtime, digest, "indexed", "", 0, key), chunks)

    def _commit(self, batch: list[_Parsed]) -> Iterator[Progress]:
        """Embed, write vectors, then mark the files indexed in one transaction."""
        visible = [c for parsed in batch for c in parsed.chunks if not c.hidden]
        vectors = self.library.target_embedder.embed([_embedding_text(c) for c in visible])
        self.library.delete_paths([p.record.path for p in batch])
        if visible:
            self.library.target_store.upsert(visible, vectors)
        with self.manifest.transaction() as db:
            for parsed in batch:
                self.manifest.record_indexed(db, parsed.record, parsed.chunks)
        for parsed in batch:
            yield Progress(0, 0, parsed.record.path, "indexed", chunks=len(parsed.chunks))

    def stale(self) -> list[str]:
        """Indexed files whose vectors an older form of ``_embedding_text`` (or another model) made."""
        key = embedding_key(self.library.target_embedder.model_id)
        return [r.path for r in self.manifest.files() if r.status == "indexed" and r.embedder != key]

    def refresh_embeddings(self, max_chunks: int = BATCH_CHUNKS) -> int:
        """Re-embed stale files from their stored chunks, about ``max_chunks`` at a time; return how many remain.

        Nothing is parsed again and chunk ids stay, so each file's new vectors replace its old ones
        in place: until a file's turn comes, its old vectors keep answering. Call it again (between
        searches) until it returns 0; a crash midway redoes at most the files not yet marked.
        """
        stale = self.stale()
        key = embedding_key(self.library.target_embedder.model_id)
        done, used = 0, 0
        for path in stale:
            if used >= max_chunks:
                break
            used += max(self._reembed(path, key), 1)
            done += 1
        if done == len(stale):
            self.library.settle()
        return len(stale) - done

    def _reembed(self, path: str, key: str) -> int:
        """New vectors for one file from its stored chunks, in place (chunk ids stay); its visible chunk count."""
        visible = [c for c in self.manifest.chunks_of(path) if not c.hidden]
        if visible:
            vectors = self.library.target_embedder.embed([_embedding_text(c) for c in visible])
            self.library.target_store.upsert(visible, vectors)
        self.manifest.mark_embedded(path, key)
        return len(visible)

    def _remove(self, paths: list[str]) -> None:
        if paths:
            self.library.delete_paths(paths)
            self.manifest.remove_files(paths)


_Item = tuple[str, str, os.stat_result, _Parsed | str]


def _read_ahead(
    todo: Sequence[tuple[str, str, os.stat_result]],
    control: SyncControl,
    prepare: Callable[[ParserSandbox, str, str, os.stat_result], _Parsed | str],
    sandbox_factory: Callable[[], ParserSandbox],
) -> Iterator[_Item]:
    """``prepare`` each file on a thread of its own, up to :data:`READ_AHEAD` files ahead of the caller.

    The embedder (the slow stage) then never waits for a parse or a chunking, which run meanwhile
    in the sandbox's child and in the tokenizer, both outside the GIL. Only the caller's thread
    writes to the store and the manifest, so a kill at any moment still leaves whole files or
    nothing. A pause holds the reading too; a cancel, or the caller leaving early, stops it
    after the file it is on.
    """
    ahead: queue.Queue[_Item | BaseException | None] = queue.Queue(maxsize=READ_AHEAD)
    leaving = threading.Event()

    def put(item: _Item | BaseException | None) -> None:
        while not leaving.is_set():
            try:
                ahead.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def read() -> None:
        try:
            with sandbox_factory() as sandbox:
                for path, owner, stat in todo:
                    if not control.wait_if_paused(leaving):  # the caller leaving ends a pause as a cancel does
                        break
                    put((path, owner, stat, prepare(sandbox, path, owner, stat)))
        except BaseException as exc:  # noqa: BLE001 - raised again on the caller's thread
            put(exc)
        finally:
            put(None)

    reader = threading.Thread(target=read, name="index-read-ahead", daemon=True)
    reader.start()
    try:
        while control.wait_if_paused():
            item = ahead.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        leaving.set()
        reader.join()


def embedding_key(model_id: str) -> str:
    """What a file's record says it was embedded with: the model and the form of ``_embedding_text``.

    A file embedded by another model or form is re-indexed on the next sync; until then its old
    vectors keep answering.
    """
    return f"{model_id}{EMBEDDING_FORM}"


def _title(pieces: Sequence[Piece], path: str) -> str:
    """The document's title, read the way ``manifest`` reads it back from stored chunks."""
    first_headings = next((p.heading_path for p in pieces if p.heading_path), ())
    return document_title(pieces[0].text if pieces else "", first_headings, path)


def _embedding_text(chunk: Chunk) -> str:
    """What the embedder sees: the title and headings give a short chunk its context."""
    header = chunk_header(chunk.title, chunk.heading_path)
    return f"{header}\n{chunk.text}" if header else chunk.text


def _walk(root: Path) -> Iterator[tuple[Path, Path | None]]:
    """Supported files under ``root`` (or ``root`` itself), sorted, without following links to folders.

    Yields (path, None) for a plain file and (path, resolved target) for a link, so the caller
    can refuse links that leave the folder; a link to a folder is yielded only when it leaves
    (a folder link inside the folder adds nothing: its files are found under their own path).
    """
    if root.is_file():
        if _supported(root):
            yield root, None
        return
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name, reverse=True)
        except OSError:
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_link:
                try:
                    target = path.resolve()
                except (OSError, RuntimeError):  # a loop of links: nothing to read
                    continue
                if target.is_dir():
                    if not _inside(str(target), str(root)):
                        yield path, target
                elif _supported(path):
                    yield path, target
            elif is_dir:
                stack.append(path)
            elif _supported(path):
                yield path, None


def _supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES and not path.name.startswith(".")


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/\\") + os.sep)


def _owning_root(path: str, folders: list[tuple[str, str]]) -> str | None:
    """The most specific registered folder (or file) that holds ``path``."""
    owner = _owner(path, folders)
    return owner[0] if owner else None


def _owner(path: str, folders: list[tuple[str, str]]) -> tuple[str, str] | None:
    """(root, collection) of the most specific registered folder that holds ``path``, if any."""
    holding = [(root, collection) for root, collection in folders if _inside(path, root)]
    return max(holding, key=lambda f: len(f[0])) if holding else None


def _nested_owner(path: str, root: str, folders: list[tuple[str, str]]) -> bool:
    """Whether a registered folder more specific than ``root`` owns ``path``."""
    owner = _owning_root(path, folders)
    return owner is not None and owner != root and _inside(owner, root)


def _link_message(link: Path, target: Path, root: str, target_root: str | None) -> str:
    kind = "folder" if target.is_dir() else "file"
    where = (
        f"which belongs to another library folder, {target_root}"
        if target_root is not None and _inside(target_root, root)
        else f"outside the library folder {root}"
    )
    return (
        f"not indexed: {link.name} is a link to the {kind} {target}, {where}. "
        "Links that leave their folder are never followed; add the target itself if you want it in the library."
    )


def _under_missing_root(path: str, roots: list[str]) -> bool:
    """A file whose registered folder is gone (an unplugged drive) is kept, not deleted."""
    for root in roots:
        if (path == root or path.startswith(root.rstrip("/\\") + os.sep)) and not Path(root).exists():
            return True
    return False
