"""The self-test's runner: every check runs, failures say why, the person's data is never touched."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from assistant import selftest
from assistant.paths import HOME_ENV


def run_with(monkeypatch: pytest.MonkeyPatch, checks: list[tuple[str, selftest.CheckFunction]]) -> list[str]:
    monkeypatch.setattr(selftest, "CHECKS", checks)
    lines: list[str] = []
    selftest.run(out=lines.append)
    return lines


def test_a_failing_check_is_reported_with_its_reason_and_the_rest_still_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(state: dict[str, Any]) -> str:
        raise RuntimeError("the model file is damaged")

    def needs_broken(state: dict[str, Any]) -> str:
        raise selftest.Skipped("the chat model did not load")

    lines = run_with(monkeypatch, [("first", broken), ("second", needs_broken), ("third", lambda state: "fine")])
    assert lines[0].startswith("Private Assistant ") and "from source" in lines[0]
    assert "FAIL  first" in lines[1] and "RuntimeError: the model file is damaged" in lines[1]
    assert "FAIL  second" in lines[2] and "not run: the chat model did not load" in lines[2]
    assert "PASS  third" in lines[3] and "fine" in lines[3]
    assert lines[-1].startswith("2 of 3 checks failed (first, second)")


def test_exit_code_is_zero_only_when_every_check_passed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selftest, "CHECKS", [("fine", lambda state: "ok")])
    monkeypatch.setattr(selftest.network, "blocked_attempts", list)  # earlier tests' attempts are not ours
    assert selftest.main() == 0
    assert selftest.main(extra=[("bad", lambda state: 1 / 0)]) == 1  # type: ignore[arg-type,return-value]


def test_checks_work_in_a_temporary_data_folder_that_is_removed_after(
    monkeypatch: pytest.MonkeyPatch, data_home: Path
) -> None:
    seen: list[Path] = []

    def look(state: dict[str, Any]) -> str:
        from assistant.paths import data_dir

        seen.append(data_dir())
        (data_dir() / "settings.json").write_text("{}")
        return "looked"

    run_with(monkeypatch, [("look", look)])
    assert seen[0] != data_home and seen[0].name.startswith("private-assistant-self-test-")
    assert not seen[0].exists()
    assert os.environ[HOME_ENV] == str(data_home)  # the person's folder is back
    assert not (data_home / "settings.json").exists()


def test_the_offline_check_fails_naming_a_blocked_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selftest.network, "blocked_attempts", lambda: ["connect 203.0.113.7:443"])
    with pytest.raises(RuntimeError, match=r"1 connection\(s\) outside this computer.*203\.0\.113\.7"):
        selftest.check_offline({})
