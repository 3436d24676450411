"""Linux menu entry: `private-assistant --install-desktop` / `make install-desktop`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import desktop_entry

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="desktop entries are for Linux")


def entry_values(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if line)


def test_install_writes_a_valid_entry_and_every_icon_under_the_users_data_home(tmp_path: Path) -> None:
    program = tmp_path / "Private Assistant" / "private-assistant"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n")
    written = desktop_entry.install(program, tmp_path / "share")
    entry = tmp_path / "share" / "applications" / "private-assistant.desktop"
    assert written[0] == entry
    values = entry_values(entry)
    assert values["Name"] == "Private Assistant" and values["Type"] == "Application"
    assert values["Exec"] == f'"{program}"'  # the folder name has a space: quoted
    assert values["TryExec"] == str(program) and values["Icon"] == "private-assistant"
    assert values["Terminal"] == "false"
    for size in desktop_entry.ICON_SIZES:
        icon = tmp_path / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "private-assistant.png"
        assert icon.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "share" / "icons" / "hicolor" / "scalable" / "apps" / "private-assistant.svg").is_file()
    validator = shutil.which("desktop-file-validate")
    if validator:
        result = subprocess.run([validator, str(entry)], capture_output=True, text=True)
        assert result.returncode == 0 and not result.stdout.strip(), result.stdout


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/opt/pa/private-assistant", "/opt/pa/private-assistant"),
        ("/home/a b/Private Assistant/private-assistant", '"/home/a b/Private Assistant/private-assistant"'),
        ('/tmp/we"ird/$x/app', r'"/tmp/we\\"ird/\\$x/app"'),
        ("/tmp/100%/app", "/tmp/100%%/app"),
    ],
)
def test_exec_is_quoted_as_the_desktop_entry_spec_says(path: str, expected: str) -> None:
    assert desktop_entry.quote_exec(Path(path)) == expected


def test_uninstall_removes_exactly_what_install_wrote(tmp_path: Path) -> None:
    home = tmp_path / "share"
    (home / "applications").mkdir(parents=True)
    other = home / "applications" / "someone-else.desktop"
    other.write_text("[Desktop Entry]\n")
    written = desktop_entry.install(Path(sys.executable), home)
    assert sorted(desktop_entry.uninstall(home)) == sorted(written)
    assert other.exists() and not any(path.exists() for path in written)


@linux_only
def test_command_installs_into_xdg_data_home_and_reports_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "--install-desktop"],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "XDG_DATA_HOME": str(tmp_path / "xdg")},
    )
    assert result.returncode == 0, result.stderr
    entry = tmp_path / "xdg" / "applications" / "private-assistant.desktop"
    assert str(entry) in result.stdout
    assert entry_values(entry)["Exec"].endswith("private-assistant")


def test_a_missing_program_gets_a_clear_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("Linux only")
    assert desktop_entry.main(["--program", str(tmp_path / "nope")]) == 2
    assert "is not a file; pass the program with --program PATH" in capsys.readouterr().err


def test_inside_an_appimage_the_entry_starts_the_image_not_its_mount(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    image = tmp_path / "Private_Assistant-x86_64.AppImage"
    image.write_text("")
    mount = tmp_path / ".mount_Privat" / "usr" / "bin"
    mount.mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(mount / "private-assistant"))
    monkeypatch.setenv("APPIMAGE", str(image))
    monkeypatch.setenv("APPDIR", str(tmp_path / ".mount_Privat"))
    assert desktop_entry.default_program() == image
    # Started from another AppImage (the variables are inherited): this program, not that image.
    monkeypatch.setenv("APPDIR", str(tmp_path / ".mount_Other"))
    assert desktop_entry.default_program() == mount / "private-assistant"


def test_backslashes_in_tryexec_are_escaped_and_line_breaks_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = desktop_entry.entry_text(Path("/opt/a\\b/private-assistant"))
    assert "TryExec=/opt/a\\\\b/private-assistant" in text
    if sys.platform.startswith("linux"):
        assert desktop_entry.main(["--program", str(tmp_path / "a\nb")]) == 2
        assert "line break" in capsys.readouterr().out
