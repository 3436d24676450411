"""Downloads from a real HTTP server on 127.0.0.1: resume, pinned verification, cancel, errors, the network guard."""

from __future__ import annotations

import hashlib
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant import network
from assistant.errors import AssistantError, DownloadError
from assistant.runtime import download as download_module
from assistant.runtime.download import DownloadCancelled, DownloadProgress, download, partial_path
from assistant.runtime.gguf import read_gguf
from tests.gguf_builder import build_gguf

CHUNK = 4096


@dataclass
class Served:
    """What the server sends, how it misbehaves, and what it saw."""

    data: bytes = b""
    drop_after: int | None = None  # close the connection after this many body bytes (once)
    ignore_range: bool = False
    linked_etag: str | None = None
    ranges: list[str | None] = field(default_factory=list)
    sent: list[int] = field(default_factory=list)
    agents: list[str | None] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    served: Served

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        served = self.server.served  # type: ignore[attr-defined]
        served.ranges.append(self.headers.get("Range"))
        served.agents.append(self.headers.get("User-Agent"))
        if self.path == "/hf/model.gguf":  # Hugging Face answers /resolve/ with a redirect to its CDN
            self.send_response(302)
            self.send_header("Location", f"http://localhost:{self.headers['Host'].rsplit(':', 1)[1]}/model.gguf")
            self.send_header("X-Linked-ETag", f'"{served.linked_etag}"')
            self.send_header("X-Linked-Size", str(len(served.data)))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path != "/model.gguf":
            self.send_error(404, "Not Found")
            return
        data, start = served.data, 0
        wanted = self.headers.get("Range")
        if wanted and not served.ignore_range:
            start = int(wanted.removeprefix("bytes=").rstrip("-"))
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        if served.linked_etag and not self.path.startswith("/hf/"):
            self.send_header("X-Linked-ETag", f'"{served.linked_etag}"')
        body = data[start:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if served.drop_after is not None:
            body, served.drop_after = body[: served.drop_after], None
            self.close_connection = True
        self.wfile.write(body)
        self.wfile.flush()
        served.sent.append(len(body))


@pytest.fixture
def model_bytes(tmp_path: Path) -> bytes:
    return build_gguf(tmp_path / "source.gguf", elements=64 * 1024).read_bytes()


@pytest.fixture
def server(model_bytes: bytes) -> Iterator[tuple[str, Served]]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.served = Served(data=model_bytes)  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", httpd.served  # type: ignore[attr-defined]
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_a_full_download_is_the_served_file_and_reports_progress(server: tuple[str, Served], tmp_path: Path) -> None:
    base, served = server
    seen: list[DownloadProgress] = []
    dest = download(f"{base}/model.gguf", tmp_path / "out" / "model.gguf", progress=seen.append, chunk_size=CHUNK)
    assert dest.read_bytes() == served.data
    assert read_gguf(dest).file_size == len(served.data)
    assert not partial_path(dest).exists()
    dones = [p.done for p in seen]
    assert dones == sorted(dones) and dones[-1] == len(served.data) and len(dones) > 10
    assert all(p.total == len(served.data) and p.resumed_from == 0 for p in seen)
    assert served.ranges == [None] and served.agents[0] == download_module.USER_AGENT
    assert download_module.USER_AGENT.startswith("private-assistant/")


def test_an_interrupted_download_keeps_its_part_and_resumes(server: tuple[str, Served], tmp_path: Path) -> None:
    base, served = server
    dest, cut = tmp_path / "model.gguf", 100_000
    served.drop_after = cut
    with pytest.raises(DownloadError, match="resume") as error:
        download(f"{base}/model.gguf", dest, chunk_size=CHUNK)
    assert str(error.value).endswith(".") and not dest.exists()
    assert partial_path(dest).read_bytes() == served.data[:cut]

    seen: list[DownloadProgress] = []
    download(f"{base}/model.gguf", dest, progress=seen.append, chunk_size=CHUNK)
    assert served.ranges[-1] == f"bytes={cut}-"
    assert served.sent[-1] == len(served.data) - cut  # only the rest came the second time
    assert dest.read_bytes() == served.data and not partial_path(dest).exists()
    assert seen[0].resumed_from == cut and seen[0].done == cut


def test_a_wrong_checksum_deletes_everything(server: tuple[str, Served], tmp_path: Path) -> None:
    base, _ = server
    dest = tmp_path / "model.gguf"
    with pytest.raises(DownloadError, match="damaged on the way or changed on the server. The file was removed"):
        download(f"{base}/model.gguf", dest, sha256="0" * 64)
    assert not dest.exists() and not partial_path(dest).exists()


def test_a_wrong_x_linked_etag_deletes_everything_and_a_right_one_passes(
    server: tuple[str, Served], tmp_path: Path
) -> None:
    base, served = server
    dest = tmp_path / "model.gguf"
    served.linked_etag = "ab" * 32
    with pytest.raises(DownloadError, match="checksum"):
        download(f"{base}/model.gguf", dest)
    assert not dest.exists() and not partial_path(dest).exists()
    served.linked_etag = hashlib.sha256(served.data).hexdigest()
    assert download(f"{base}/model.gguf", dest).read_bytes() == served.data


def test_the_etag_of_a_redirect_is_checked_and_the_new_host_allowed(
    server: tuple[str, Served], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, served = server
    hosts: list[str] = []
    real_allow = network.allow

    def recording_allow(host: str) -> object:
        hosts.append(host)
        return real_allow(host)

    monkeypatch.setattr(network, "allow", recording_allow)
    served.linked_etag = "cd" * 32  # only on the redirect, as Hugging Face does
    with pytest.raises(DownloadError, match="checksum"):
        download(f"{base}/hf/model.gguf", tmp_path / "model.gguf")
    assert hosts == ["127.0.0.1", "localhost"]
    served.linked_etag, served.drop_after = hashlib.sha256(served.data).hexdigest(), 5000
    with pytest.raises(DownloadError, match="resume"):
        download(f"{base}/hf/model.gguf", tmp_path / "model.gguf")
    assert download(f"{base}/hf/model.gguf", tmp_path / "model.gguf").read_bytes() == served.data
    assert served.ranges[-2:] == ["bytes=5000-", "bytes=5000-"]  # the Range survives the redirect


def test_cancelling_leaves_no_file(server: tuple[str, Served], tmp_path: Path) -> None:
    base, served = server
    dest, cancel = tmp_path / "model.gguf", threading.Event()

    def stop_midway(p: DownloadProgress) -> None:
        if p.done >= len(served.data) // 2:
            cancel.set()

    with pytest.raises(DownloadCancelled, match="cancelled"):
        download(f"{base}/model.gguf", dest, cancel=cancel, progress=stop_midway, chunk_size=CHUNK)
    assert not dest.exists() and not partial_path(dest).exists()
    assert issubclass(DownloadCancelled, DownloadError)


def test_a_server_ignoring_range_starts_over(server: tuple[str, Served], tmp_path: Path) -> None:
    base, served = server
    dest = tmp_path / "model.gguf"
    partial_path(dest).write_bytes(b"garbage that is not the start of the file")
    served.ignore_range = True
    assert download(f"{base}/model.gguf", dest, chunk_size=CHUNK).read_bytes() == served.data
    assert served.ranges[-1] is not None and served.sent[-1] == len(served.data)


def test_a_complete_part_answered_416_is_finished(server: tuple[str, Served], tmp_path: Path) -> None:
    base, served = server
    dest = tmp_path / "model.gguf"
    partial_path(dest).write_bytes(served.data)
    sha = hashlib.sha256(served.data).hexdigest()
    assert download(f"{base}/model.gguf", dest, sha256=sha).read_bytes() == served.data
    assert served.sent == []  # nothing was sent again


def test_a_size_mismatch_deletes_the_part(server: tuple[str, Served], tmp_path: Path) -> None:
    base, served = server
    dest = tmp_path / "model.gguf"
    with pytest.raises(DownloadError, match="changed on the server"):
        download(f"{base}/model.gguf", dest, size=len(served.data) + 1)
    assert not dest.exists() and not partial_path(dest).exists()


def test_only_http_and_https_are_downloaded(tmp_path: Path) -> None:
    for url in ("ftp://example.com/model.gguf", "file:///etc/passwd", "model.gguf"):
        with pytest.raises(DownloadError, match="Only http and https"):
            download(url, tmp_path / "model.gguf")


def test_404_names_the_url_and_the_status(server: tuple[str, Served], tmp_path: Path) -> None:
    base, _ = server
    with pytest.raises(DownloadError, match=r"missing\.gguf was not found on the server \(HTTP 404\)"):
        download(f"{base}/missing.gguf", tmp_path / "model.gguf")
    assert not (tmp_path / "model.gguf").exists()


def test_not_enough_disk_space_is_refused_before_writing(
    server: tuple[str, Served], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, _ = server
    monkeypatch.setattr(shutil, "disk_usage", lambda _path: SimpleNamespace(total=10**6, used=10**6 - 10, free=10))
    dest = tmp_path / "model.gguf"
    with pytest.raises(DownloadError, match=r"not enough free disk space.*needs 0\.3 MB more"):
        download(f"{base}/model.gguf", dest)
    with pytest.raises(DownloadError, match="needs 5.0 GB more"):
        download(f"{base}/model.gguf", dest, size=5 * 10**9)
    assert not dest.exists() and not partial_path(dest).exists()


def test_offline_only_refuses_before_any_connection(server: tuple[str, Served], tmp_path: Path) -> None:
    base, served = server
    network.install()
    before = len(network.blocked_attempts())
    network.set_offline_only(True)
    try:
        with pytest.raises(DownloadError, match="Offline only is switched on") as error:
            download("http://203.0.113.7/x.gguf", tmp_path / "x.gguf", timeout=0.5)
        with pytest.raises(network.NetworkBlocked), network.allow("203.0.113.7"):
            pass
        # loopback stays reachable with the guard on and offline only switched on
        assert download(f"{base}/model.gguf", tmp_path / "local.gguf").read_bytes() == served.data
    finally:
        network.set_offline_only(False)
    assert isinstance(error.value, AssistantError)
    assert len(network.blocked_attempts()) == before  # nothing was even attempted
    assert not (tmp_path / "x.gguf").exists() and not partial_path(tmp_path / "x.gguf").exists()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_pinned_file_that_matches_is_kept(server: tuple[str, Served], tmp_path: Path) -> None:
    base, served = server
    dest = download(
        f"{base}/model.gguf", tmp_path / "model.gguf", chunk_size=CHUNK, sha256=_sha(served.data), size=len(served.data)
    )
    assert dest.read_bytes() == served.data and not partial_path(dest).exists()


def test_a_corrupted_byte_is_refused_removed_and_explained(server: tuple[str, Served], tmp_path: Path) -> None:
    base, served = server
    sha, size = _sha(served.data), len(served.data)
    damaged = bytearray(served.data)
    damaged[len(damaged) // 2] ^= 0x01  # one bit, in the middle of the weights
    served.data = bytes(damaged)
    dest = tmp_path / "model.gguf"
    with pytest.raises(DownloadError) as error:
        download(f"{base}/model.gguf", dest, chunk_size=CHUNK, sha256=sha, size=size)
    message = str(error.value)
    assert f"expected {sha[:16]}" in message
    assert f"got {_sha(served.data)[:16]}" in message
    assert message.endswith("The file was removed; try again.")
    assert not dest.exists() and not partial_path(dest).exists()


def test_an_interrupted_pinned_download_resumes_and_verifies(server: tuple[str, Served], tmp_path: Path) -> None:
    base, served = server
    dest, cut = tmp_path / "model.gguf", 150_000
    served.drop_after = cut
    with pytest.raises(DownloadError, match="resume"):
        download(f"{base}/model.gguf", dest, chunk_size=CHUNK, sha256=_sha(served.data), size=len(served.data))
    assert partial_path(dest).stat().st_size == cut
    download(f"{base}/model.gguf", dest, chunk_size=CHUNK, sha256=_sha(served.data), size=len(served.data))
    assert served.ranges[-1] == f"bytes={cut}-" and served.sent[-1] == len(served.data) - cut
    assert dest.read_bytes() == served.data and not partial_path(dest).exists()


def test_a_damaged_partial_file_is_caught_after_resuming(server: tuple[str, Served], tmp_path: Path) -> None:
    base, served = server
    dest = tmp_path / "model.gguf"
    partial_path(dest).write_bytes(b"\0" * 70_000)  # the start of some other file, or a disk error
    with pytest.raises(DownloadError, match="does not match its SHA-256") as error:
        download(f"{base}/model.gguf", dest, chunk_size=CHUNK, sha256=_sha(served.data), size=len(served.data))
    assert served.ranges[-1] == "bytes=70000-"  # it did resume, and the whole was checked
    assert "The file was removed; try again." in str(error.value)
    assert not dest.exists() and not partial_path(dest).exists()


def test_a_server_listing_another_sha256_than_the_pin_is_refused_before_saving(
    server: tuple[str, Served], tmp_path: Path
) -> None:
    base, served = server
    dest = tmp_path / "model.gguf"
    partial_path(dest).write_bytes(served.data[:5000])
    served.linked_etag = "ef" * 32  # Hugging Face's X-Linked-ETag on the redirect: the file changed
    with pytest.raises(
        DownloadError, match=r"another SHA-256 than the pinned one \(expected .*, got efefefef"
    ) as error:
        download(f"{base}/hf/model.gguf", dest, chunk_size=CHUNK, sha256=_sha(served.data), size=len(served.data))
    assert "changed on the server" in str(error.value)
    assert not dest.exists() and not partial_path(dest).exists()


def test_a_wrong_size_says_what_was_expected_and_what_came(server: tuple[str, Served], tmp_path: Path) -> None:
    base, served = server
    with pytest.raises(DownloadError, match=rf"expected {len(served.data) - 1:,} bytes, got {len(served.data):,}"):
        download(f"{base}/model.gguf", tmp_path / "model.gguf", size=len(served.data) - 1)
