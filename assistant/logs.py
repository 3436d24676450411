"""The log file: tracebacks go here, never into the person's face."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from assistant import paths
from assistant.errors import AssistantError

LOG_NAME = "private-assistant.log"
_FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Send log records to ``<data dir>/logs/private-assistant.log``; return its path.

    Returns None (and logs nowhere) if the data directory is unusable: the caller reports
    that error itself.
    """
    try:
        path = paths.logs_dir() / LOG_NAME
    except AssistantError:
        return None
    root = logging.getLogger()
    for handler in root.handlers:
        if getattr(handler, "baseFilename", None) == str(path):
            return path
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=2_000_000, backupCount=3, encoding="utf-8", delay=True
    )
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("pypdf", "httpx", "chromadb", "sentence_transformers"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    return path


def log_path() -> Path:
    return paths.data_dir(create=False) / "logs" / LOG_NAME
