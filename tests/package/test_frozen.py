"""The packaged app (PyInstaller one-folder build), run as a person would: `make package-test`.

The build goes to build/package-test/ (PA_PACKAGE_DIR reuses an existing app folder). The frozen
program runs with a bare environment: no virtual environment, no HF_HUB_OFFLINE, a fresh HOME,
the working directory elsewhere, and, where the sandbox allows, no network at all.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# The Linux build: its program name, _internal/ layout, unshare and HOME-based data folder.
pytestmark = [
    pytest.mark.package,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="checks the Linux build (packaging/README.md)"),
]

ROOT = Path(__file__).resolve().parents[2]
BINARY = "private-assistant"


@pytest.fixture(scope="session")
def app() -> Path:
    reuse = os.environ.get("PA_PACKAGE_DIR")
    if reuse:
        return Path(reuse)
    dist = ROOT / "build" / "package-test" / "a folder with spaces"
    shutil.rmtree(dist, ignore_errors=True)
    subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "build.py"), "--no-tarball", "--dist", str(dist)],
        check=True,
        cwd=ROOT,
    )
    return dist / "Private Assistant"


@pytest.fixture
def bare_env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_RUNTIME_DIR": str(tmp_path),
    }


def without_network(command: list[str]) -> list[str]:
    """Run in a new network namespace (loopback only) where the sandbox allows it."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-rn", "true"], capture_output=True).returncode == 0:
        return [unshare, "-rn", *command]
    return command


def test_app_folder_carries_its_models_and_no_source(app: Path) -> None:
    internal = app / "_internal"
    assert (app / BINARY).is_file() and os.access(app / BINARY, os.X_OK)
    assert (internal / "models" / "SmolLM2-135M-Instruct.Q4_1.gguf").stat().st_size > 90_000_000
    assert (internal / "models" / "all-MiniLM-L6-v2" / "model.safetensors").is_file()
    assert (internal / "resources" / "icons" / "private-assistant-256.png").is_file()
    assert not (internal / "tests").exists() and not (internal / "_pytest").exists()  # no test code of ours
    assert not (internal / "torch" / "test").exists()  # the spec drops PyTorch's tests and test programs
    assert [p.name for p in (internal / "torch" / "bin").iterdir()] == ["torch_shm_manager"]
    assert not (internal / "libcudart.so").exists()  # found by a ctypes lookup on the build machine only
    assert (internal / "resources" / "licenses" / "Apache-2.0.txt").is_file()


def test_frozen_self_test_passes_offline(app: Path, bare_env: dict[str, str], tmp_path: Path) -> None:
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    result = subprocess.run(
        without_network([str(app / BINARY), "--self-test"]),
        capture_output=True,
        text=True,
        env=bare_env,
        cwd=elsewhere,
        timeout=300,
    )
    report = result.stdout
    assert result.returncode == 0, report + result.stderr
    assert "packaged app" in report.splitlines()[0]
    for check in ("bundled files", "chat model", "chat", "embedding", "retrieval", "window toolkit", "offline"):
        assert re.search(rf"PASS\s+{check}\s", report), f"{check} did not pass:\n{report}"
    assert f"resources in {app / '_internal'}" in report  # the bundle's own files, not the checkout's
    assert "found page 2 of house-notes.pdf" in report
    assert re.search(r"All \d+ checks passed", report)
    # The person's data folder is untouched: the self-test worked in a temporary one.
    assert not (Path(bare_env["HOME"]) / ".local" / "share" / "private-assistant").exists()


def test_frozen_self_test_fails_with_reason_when_a_model_is_missing(
    app: Path, bare_env: dict[str, str], tmp_path: Path
) -> None:
    broken = app.parent.parent / "broken copy"  # same file system: hard links, no 1 GB copy
    shutil.rmtree(broken, ignore_errors=True)
    shutil.copytree(app, broken, symlinks=True, ignore=shutil.ignore_patterns("*.gguf"), copy_function=os.link)
    result = subprocess.run(
        [str(broken / BINARY), "--self-test"], capture_output=True, text=True, env=bare_env, timeout=300
    )
    assert result.returncode == 1
    assert re.search(r"FAIL\s+bundled files\s.*SmolLM2-135M-Instruct\.Q4_1\.gguf.*Download and unpack", result.stdout)
    assert re.search(r"FAIL\s+chat\s+not run: the chat model did not load", result.stdout)
    assert re.search(r"PASS\s+retrieval", result.stdout)  # the rest still ran
    assert "checks failed (bundled files, chat model, chat)" in result.stdout


def test_frozen_window_opens_loads_the_bundled_model_and_closes(app: Path, bare_env: dict[str, str]) -> None:
    env = {**bare_env, "PRIVATE_ASSISTANT_STARTUP_PROBE": "ready"}
    result = subprocess.run(without_network([str(app / BINARY)]), capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "first-paint Private Assistant" in lines[0]
    assert any(line.startswith("ready Model: SmolLM2-135M-Instruct") for line in lines), result.stdout
    data = Path(bare_env["HOME"]) / ".local" / "share" / "private-assistant"
    assert (data / "settings.json").is_file() or (data / "conversations.sqlite3").is_file()


def test_frozen_cli_answers_version_and_chat(app: Path, bare_env: dict[str, str]) -> None:
    version = subprocess.run([str(app / BINARY), "--version"], capture_output=True, text=True, env=bare_env)
    from assistant import __version__

    assert version.stdout.strip() == f"private-assistant {__version__}"
    chat = subprocess.run(
        without_network([str(app / BINARY), "chat", "--max-tokens", "8", "--temperature", "0", "Hello"]),
        capture_output=True,
        text=True,
        env=bare_env,
        timeout=120,
    )
    assert chat.returncode == 0, chat.stderr
    assert chat.stdout.strip()


@pytest.mark.skipif(not shutil.which("xvfb-run"), reason="needs xvfb-run (apt install xvfb) for a real X server")
def test_frozen_window_on_a_real_x_server(app: Path, bare_env: dict[str, str]) -> None:
    """The xcb platform plugin and the X libraries it needs came along (the usual packaging slip)."""
    env = {k: v for k, v in bare_env.items() if k != "QT_QPA_PLATFORM"}
    env["PRIVATE_ASSISTANT_STARTUP_PROBE"] = "ready"
    result = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", str(app / BINARY)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert any(line.startswith("ready Model: SmolLM2") for line in result.stdout.splitlines()), result.stdout
