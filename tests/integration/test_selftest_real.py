"""`private-assistant --self-test` from source, with the real bundled models, as a person runs it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration


def test_self_test_passes_and_reports_each_check(tmp_path: Path, data_home: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "--self-test"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = result.stdout
    for check in ("bundled files", "chat model", "chat", "embedding", "retrieval", "offline"):
        assert re.search(rf"PASS\s+{check}\s", report), report
    assert re.search(r'chat\s+replied ".+", \d+ tokens at \d+ tokens/s', report)
    assert '"Where is the spare key kept?" found page 2 of house-notes.pdf' in report
    assert "All 6 checks passed" in report
    assert not data_home.exists()  # the person's data folder was never created
    assert "Loading weights" not in result.stderr  # no progress bars in the report
