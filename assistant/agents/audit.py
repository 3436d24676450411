"""What left this device: one row per approved cloud request, in ``audit.sqlite3``.

A row is written *before* the request is sent (status ``sending``) and updated with the outcome, so
a crash mid-request still leaves a record. The payload itself is not kept, only its SHA-256 and size,
the redaction placeholders used (never the values they hide), and the token counts.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant import paths

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sent (
    id INTEGER PRIMARY KEY,
    time REAL NOT NULL,
    provider TEXT NOT NULL,
    base_url TEXT NOT NULL,
    model TEXT NOT NULL,
    payload_sha256 TEXT NOT NULL,
    payload_bytes INTEGER NOT NULL,
    redactions TEXT NOT NULL,
    prompt_tokens INTEGER,
    completion_tokens INTEGER,
    status TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
"""


@dataclass(frozen=True)
class AuditEntry:
    id: int
    time: float
    provider: str
    base_url: str
    model: str
    payload_sha256: str
    payload_bytes: int
    redactions: tuple[str, ...]  # placeholders, e.g. "[EMAIL_1]"
    prompt_tokens: int | None
    completion_tokens: int | None
    status: str  # sending | completed | stopped | refused | failed | not sent
    detail: str


def audit_path() -> Path:
    return paths.data_dir() / "audit.sqlite3"


class AuditLog:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or audit_path()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def start(
        self, *, provider: str, base_url: str, model: str, sha256: str, size: int, redactions: Sequence[str]
    ) -> int:
        cur = self._db.execute(
            "INSERT INTO sent (time, provider, base_url, model, payload_sha256, payload_bytes, redactions, status)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 'sending')",
            (time.time(), provider, base_url, model, sha256, size, json.dumps(list(redactions))),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def finish(
        self,
        entry_id: int,
        status: str,
        *,
        prompt_tokens: int | None = None,
        completion_tokens: int | None = None,
        detail: str = "",
    ) -> None:
        self._db.execute(
            "UPDATE sent SET status = ?, prompt_tokens = ?, completion_tokens = ?, detail = ? WHERE id = ?",
            (status, prompt_tokens, completion_tokens, detail, entry_id),
        )

    def entries(self, limit: int = 500) -> list[AuditEntry]:
        rows = self._db.execute(
            "SELECT id, time, provider, base_url, model, payload_sha256, payload_bytes, redactions,"
            " prompt_tokens, completion_tokens, status, detail FROM sent ORDER BY id DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [
            AuditEntry(
                id=r[0],
                time=r[1],
                provider=r[2],
                base_url=r[3],
                model=r[4],
                payload_sha256=r[5],
                payload_bytes=r[6],
                redactions=tuple(json.loads(r[7])),
                prompt_tokens=r[8],
                completion_tokens=r[9],
                status=r[10],
                detail=r[11],
            )
            for r in rows
        ]
