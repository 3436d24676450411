"""Resumable, verified, cancellable HTTP downloads (stdlib only): the one network use the person starts.

Bytes go to ``<dest>.part``; only a complete file whose size and SHA-256 check out is renamed to
``dest``. An interrupted download keeps its ``.part`` and the next call resumes it with a Range
request; a cancelled or damaged one leaves no file. The expected size and SHA-256 come from the caller
(the catalog pins them) or else from Hugging Face's ``X-Linked-Size`` / ``X-Linked-ETag``; when the
server lists another SHA-256 than the pinned one, nothing is downloaded. All traffic runs inside
``network.allow`` for the URL's host (and for each host a redirect leads to, such as Hugging Face's
file CDN), directly: proxy settings are ignored, so the guard sees (and allows) only those hosts.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import http.client
import logging
import os
import re
import shutil
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from assistant import __version__, network
from assistant.errors import DownloadError

log = logging.getLogger(__name__)

USER_AGENT = f"private-assistant/{__version__}"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CONTENT_RANGE = re.compile(r"^bytes\s+(?:(\d+)-(\d+)|\*)/(\d+|\*)$")


@dataclass(frozen=True)
class DownloadProgress:
    done: int  # bytes on disk so far (resumed bytes included)
    total: int | None  # expected total bytes, when known
    bytes_per_s: float  # this attempt's bytes / seconds since it started
    resumed_from: int  # bytes that were already there when this attempt started


class DownloadCancelled(DownloadError):
    """The person cancelled; the partial file was deleted."""


def partial_path(dest: Path) -> Path:
    return dest.with_name(dest.name + ".part")


def download(
    url: str,
    dest: Path,
    *,
    sha256: str | None = None,
    size: int | None = None,
    cancel: threading.Event | None = None,
    progress: Callable[[DownloadProgress], None] | None = None,
    timeout: float = 30.0,
    chunk_size: int = 1 << 20,
) -> Path:
    """Download url to dest; return dest."""
    dest = Path(dest)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DownloadError(f"Only http and https addresses can be downloaded, so {url} was not. Check the address.")
    host = parts.hostname
    if network.offline_only() and not network.is_loopback(host):
        raise DownloadError(
            f"Offline only is switched on, so {dest.name} was not downloaded from {host}. "
            "Switch it off in Settings to download models."
        )
    dest.parent.mkdir(parents=True, exist_ok=True)
    job = _Job(url, dest, sha256.lower() if sha256 else None, size, cancel, progress, timeout, chunk_size)
    try:
        with contextlib.ExitStack() as stack:
            stack.enter_context(network.allow(host))
            return job.run(stack)
    except network.NetworkBlocked as exc:  # allow() refused (offline only switched on meanwhile)
        raise DownloadError(f"{exc} Nothing was downloaded.") from exc


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects inside ``network.allow`` and keeps Hugging Face's ``X-Linked-*`` headers."""

    def __init__(self, stack: contextlib.ExitStack, linked: dict[str, str]) -> None:
        self.stack, self.linked = stack, linked

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        for name in ("X-Linked-ETag", "X-Linked-Size"):
            if headers.get(name):
                self.linked[name] = headers[name]
        target = urlsplit(newurl)
        downgrade = req.full_url.startswith("https:") and target.scheme == "http"
        if target.scheme not in ("http", "https") or downgrade:
            return None  # no redirect to another scheme, nor from https down to http: the 30x is the answer
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and target.hostname:
            self.stack.enter_context(network.allow(target.hostname))
        return new


@dataclass
class _Job:
    url: str
    dest: Path
    sha256: str | None
    size: int | None
    cancel: threading.Event | None
    progress: Callable[[DownloadProgress], None] | None
    timeout: float
    chunk_size: int

    @property
    def part(self) -> Path:
        return partial_path(self.dest)

    def run(self, stack: contextlib.ExitStack) -> Path:
        if self.size is not None:
            self.check_space(self.size - self._part_size())
        linked: dict[str, str] = {}
        # Never through a proxy (HTTPS_PROXY and the like, or the system's): the bytes go straight to
        # the host the person chose, and the guard lets this thread reach only that host's addresses.
        handlers: list[Any] = [_Redirects(stack, linked), urllib.request.ProxyHandler({})]
        opener = urllib.request.build_opener(*handlers)
        for _ in range(3):  # a resume the server refuses starts over, once or twice at most
            existing = self._part_size()
            request = urllib.request.Request(
                self.url, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
            )
            if existing:
                request.add_header("Range", f"bytes={existing}-")
            try:
                response = opener.open(request, timeout=self.timeout)
            except urllib.error.HTTPError as exc:
                exc.close()
                if exc.code == 416 and existing:
                    total = _content_range(exc.headers.get("Content-Range"))[1] or self._expected(linked, None)
                    if total == existing:
                        return self.finish(existing, total, self._expected_sha(linked), _hash_file(self.part))
                    self.part.unlink(missing_ok=True)
                    continue
                raise self.http_error(exc.code, exc.reason) from exc
            except (OSError, http.client.HTTPException) as exc:
                raise self.interrupted(existing, exc) from exc
            with response:
                for name in ("X-Linked-ETag", "X-Linked-Size"):  # sent here when the server did not redirect
                    if response.headers.get(name):
                        linked.setdefault(name, response.headers[name])
                listed = _linked_sha(linked)
                if self.sha256 is not None and listed is not None and listed != self.sha256:
                    self.part.unlink(missing_ok=True)  # what is there belongs to another file: not worth resuming
                    raise DownloadError(
                        f"The server lists {self.dest.name} with another SHA-256 than the pinned one (expected "
                        f"{self.sha256[:16]}…, got {listed[:16]}…), so it changed on the server. Nothing was "
                        "kept; update Private Assistant or try again later."
                    )
                if existing and response.status == 206:
                    start, total = _content_range(response.headers.get("Content-Range"))
                    if start != existing:
                        self.part.unlink(missing_ok=True)
                        continue
                else:  # 200: the whole file (no Range was sent, or the server ignored it): start over
                    if existing:
                        log.info("%s ignored the Range request; downloading %s from the start", self.url, self.dest)
                    existing = 0
                    length = response.headers.get("Content-Length")
                    total = int(length) if length and length.isdigit() else None
                if self.size is not None and total is not None and total != self.size:
                    self.part.unlink(missing_ok=True)
                    raise DownloadError(
                        f"The server offers {self.dest.name} with the wrong size (expected {self.size:,} bytes, got "
                        f"{total:,}), so it changed on the server. Nothing was kept; update Private Assistant or "
                        "try again later."
                    )
                total = self._expected(linked, total)
                return self.receive(response, existing, total, self._expected_sha(linked))
        raise DownloadError(f"The server kept refusing to resume {self.dest.name}. Try again later.")

    def receive(self, response: Any, existing: int, total: int | None, sha256: str | None) -> Path:
        if total is not None:
            self.check_space(total - existing)
        hasher = _hash_file(self.part) if existing else hashlib.sha256()
        done, started = existing, time.monotonic()
        log.info("downloading %s to %s (from byte %d of %s)", self.url, self.dest, existing, total or "?")
        self.report(done, total, 0.0, existing)
        try:
            with self.part.open("ab" if existing else "wb") as out:
                while not self.cancelled():
                    try:
                        chunk = response.read1(self.chunk_size)
                    except (OSError, http.client.HTTPException) as exc:
                        raise self.interrupted(done, exc) from exc
                    if not chunk:
                        break
                    out.write(chunk)
                    hasher.update(chunk)
                    done += len(chunk)
                    self.report(done, total, (done - existing) / max(time.monotonic() - started, 1e-6), existing)
                out.flush()
                os.fsync(out.fileno())
        except OSError as exc:  # writing failed; what is on disk stays for a resume
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise DownloadError(
                    f"The disk filled up while downloading {self.dest.name}. Free some space and download it "
                    "again: it resumes where it stopped."
                ) from exc
            raise DownloadError(f"Could not write {self.part} ({exc.strerror or exc}). Check the folder.") from exc
        if self.cancelled():  # the file is closed now, so it can be deleted on Windows too
            self.part.unlink(missing_ok=True)
            log.info("download of %s cancelled", self.url)
            raise DownloadCancelled(f"The download of {self.dest.name} was cancelled; the partial file was deleted.")
        if total is not None and done < total:
            raise self.interrupted(done, ConnectionError("the connection closed early"))
        return self.finish(done, total, sha256, hasher)

    def finish(self, done: int, total: int | None, sha256: str | None, hasher: Any) -> Path:
        """Keep the file only when its size and SHA-256 are the expected ones; else delete it and say why."""
        if total is not None and done != total:
            self.part.unlink(missing_ok=True)
            raise DownloadError(
                f"The downloaded file {self.dest.name} has the wrong size (expected {total:,} bytes, got {done:,}), "
                "so it was damaged on the way or changed on the server. The file was removed; try again."
            )
        got = hasher.hexdigest()
        if sha256 is not None and got != sha256:
            self.part.unlink(missing_ok=True)
            log.warning("SHA-256 mismatch for %s: expected %s, got %s", self.url, sha256, got)
            raise DownloadError(
                f"The downloaded file {self.dest.name} does not match its SHA-256 checksum (expected {sha256[:16]}…, "
                f"got {got[:16]}…), so it was damaged on the way or changed on the server. The file was removed; "
                "try again."
            )
        os.replace(self.part, self.dest)
        log.info("downloaded %s (%d bytes, %s)", self.dest, done, "verified" if sha256 else "no checksum known")
        return self.dest

    def report(self, done: int, total: int | None, speed: float, resumed_from: int) -> None:
        if self.progress is not None:
            self.progress(DownloadProgress(done, total, speed, resumed_from))

    def check_space(self, needed: int) -> None:
        free = shutil.disk_usage(self.dest.parent).free
        if needed > 0 and free < needed:
            raise DownloadError(
                f"There is not enough free disk space for {self.dest.name}: it needs {_size(needed)} more, but "
                f"{self.dest.parent} has {_size(free)} free. Free some space and try again."
            )

    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()

    def interrupted(self, done: int, exc: BaseException) -> DownloadError:
        reason = getattr(exc, "reason", None) or exc
        log.warning("download of %s interrupted after %d bytes: %s", self.url, done, reason)
        if not done:
            return DownloadError(f"Could not download {self.dest.name} ({reason}). Check the internet connection.")
        return DownloadError(
            f"The download of {self.dest.name} was interrupted ({reason}). The {done:,} bytes received so far "
            "are kept: check the internet connection, then download it again to resume."
        )

    def http_error(self, code: int, reason: str) -> DownloadError:
        if code == 404:
            return DownloadError(f"{self.url} was not found on the server (HTTP 404). Check the address.")
        if code in (401, 403):
            return DownloadError(
                f"The server refused {self.url} (HTTP {code}). This model may require accepting its licence on "
                "Hugging Face first: download it there in a browser, then import the files."
            )
        return DownloadError(f"The server answered HTTP {code} ({reason}) for {self.url}. Try again later.")

    def _expected(self, linked: dict[str, str], server_total: int | None) -> int | None:
        if self.size is not None:
            return self.size
        if server_total is not None:
            return server_total
        value = linked.get("X-Linked-Size", "")
        return int(value) if value.isdigit() else None

    def _expected_sha(self, linked: dict[str, str]) -> str | None:
        return self.sha256 if self.sha256 is not None else _linked_sha(linked)

    def _part_size(self) -> int:
        return self.part.stat().st_size if self.part.is_file() else 0


def _linked_sha(linked: dict[str, str]) -> str | None:
    """The SHA-256 Hugging Face sends for an LFS file (``X-Linked-ETag``), when it is one."""
    etag = linked.get("X-Linked-ETag", "").strip().removeprefix("W/").strip('"').lower()
    return etag if _SHA256.match(etag) else None


def _content_range(value: str | None) -> tuple[int | None, int | None]:
    """(first byte, total) from ``bytes 10-99/100`` or ``bytes */100``; None where absent."""
    match = _CONTENT_RANGE.match((value or "").strip())
    if not match:
        return None, None
    start, total = match.group(1), match.group(3)
    return (int(start) if start else None), (int(total) if total != "*" else None)


def _hash_file(path: Path) -> Any:
    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher


def _size(n: int) -> str:
    return f"{n / 1e9:.1f} GB" if n >= 1e8 else f"{n / 1e6:.1f} MB"
