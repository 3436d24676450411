"""A real HTTP server on 127.0.0.1 that serves model files as Hugging Face does (``/REPO/resolve/REV/FILE``).

Supports ``Range`` (206), can slow each chunk so a test can cancel mid-way, and records requests.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from assistant.paths import bundled_model_path
from assistant.runtime import catalog


@dataclass
class ModelServer:
    url: str
    files: dict[str, Path]  # file name -> where it is on disk
    delay: float = 0.0  # seconds to wait after each 256 KB
    requests: list[str] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        state: ModelServer = self.server.state  # type: ignore[attr-defined]
        state.requests.append(self.path)
        path = state.files.get(self.path.rsplit("/", 1)[-1]) if "/resolve/" in self.path else None
        if path is None:
            self.send_error(404, "Not Found")
            return
        data = path.read_bytes()
        start = int(self.headers["Range"].removeprefix("bytes=").rstrip("-")) if self.headers["Range"] else 0
        self.send_response(206 if start else 200)
        if start:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.send_header("Content-Length", str(len(data) - start))
        self.end_headers()
        try:
            for at in range(start, len(data), 256 * 1024):
                self.wfile.write(data[at : at + 256 * 1024])
                if state.delay:
                    time.sleep(state.delay)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client cancelled


@contextmanager
def model_server(files: list[Path], delay: float = 0.0) -> Iterator[ModelServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    state = ModelServer(f"http://127.0.0.1:{httpd.server_address[1]}", {p.name: p for p in files}, delay)
    httpd.state = state  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def served_model(size: int) -> catalog.CatalogModel:
    """A catalog entry for the bundled GGUF, to be served by :func:`model_server`."""
    return catalog.CatalogModel(
        id="test-smollm2",
        name="Test SmolLM2",
        repo="test/SmolLM2-GGUF",
        files=(catalog.CatalogFile(bundled_model_path().name, size),),
        runtime="llama.cpp",
        params="135M",
        quantization="Q4_1",
        license="Apache-2.0",
        context_length=8192,
        reasoning=False,
    )
