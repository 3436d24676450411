"""Download a catalog model into the models folder: the one network use the person starts.

Files go to ``<models>/.<id>.downloading/`` (each as ``name.part`` until complete and
verified, so an interrupted download resumes), the result is checked like an import, and
only then is the folder renamed to ``<models>/<id>/`` and listed. Cancelling deletes it all.
"""

from __future__ import annotations

import dataclasses
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

from assistant.errors import AssistantError, ModelImportError
from assistant.runtime import catalog
from assistant.runtime.download import DownloadCancelled, DownloadProgress, download
from assistant.runtime.registry import InstalledModel, ModelRegistry
from assistant.runtime.validate import check_model

# (bytes done, bytes in all, bytes per second)
Progress = Callable[[int, int | None, float], None]


def staging_dir(registry: ModelRegistry, model_id: str) -> Path:
    return registry.root / f".{model_id}.downloading"


def download_model(
    model_id: str,
    registry: ModelRegistry | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    base_url: str | None = None,
) -> InstalledModel:
    """Download, verify, check and list catalog model ``model_id``.

    ``base_url`` replaces ``https://huggingface.co`` (tests serve the files from 127.0.0.1).
    """
    registry = registry or ModelRegistry()
    entry = catalog.find(model_id)
    if any(m.id == entry.id for m in registry.models()):
        raise AssistantError(f"{entry.name} is already installed as '{entry.id}'.")
    staging = staging_dir(registry, entry.id)
    staging.mkdir(parents=True, exist_ok=True)
    offset = 0
    try:
        for file in entry.files:
            url = entry.url(file)
            if base_url:
                url = base_url.rstrip("/") + url.removeprefix("https://huggingface.co")

            def report(p: DownloadProgress, before: int = offset) -> None:
                if progress is not None:
                    progress(before + p.done, entry.size, p.bytes_per_s)

            target = download(
                url, staging / file.name, sha256=file.sha256, size=file.size, cancel=cancel, progress=report
            )
            offset += target.stat().st_size
    except DownloadCancelled:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    model_path = staging / entry.files[0].name if entry.runtime == "llama.cpp" else staging
    try:
        facts = check_model(model_path)
    except ModelImportError:
        shutil.rmtree(staging, ignore_errors=True)  # a verified download that is not a usable model: not kept
        raise
    final = registry.root / entry.id
    if final.exists():
        shutil.rmtree(final)
    staging.rename(final)
    path = final / entry.files[0].name if entry.runtime == "llama.cpp" else final
    facts = dataclasses.replace(facts, name=entry.name, license=facts.license or entry.license)
    return registry.add(InstalledModel.from_facts(entry.id, path, "downloaded", facts))
