"""Download a catalog model into the models folder: the one network use the person starts.

Files go to ``<models>/.<id>.downloading/`` (each as ``name.part`` until complete and
verified, so an interrupted download resumes), the result is checked like an import, and
only then is the folder renamed to ``<models>/<id>/`` and listed. Cancelling deletes it all.

Rerankers (``catalog.RERANKERS``) download the same way into ``<models>/rerankers/<id>/``; they are
not chat models, so they are not listed in ``models.json``: the folder itself is the record.
"""

from __future__ import annotations

import dataclasses
import json
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


def rerankers_dir(registry: ModelRegistry) -> Path:
    """Where downloaded rerankers live: ``<models>/rerankers/``, one folder per catalog id."""
    return registry.root / catalog.RERANKERS_FOLDER


def download_reranker(
    reranker_id: str,
    registry: ModelRegistry | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    base_url: str | None = None,
) -> Path:
    """Download and verify every pinned file of reranker ``reranker_id``; return its folder.

    Files go to ``<models>/rerankers/.<id>.downloading/`` and the folder is renamed to
    ``<models>/rerankers/<id>/`` only when all of them match their size and SHA-256 and the result
    looks like a safetensors model. ``base_url`` replaces ``https://huggingface.co`` (for tests).
    """
    registry = registry or ModelRegistry()
    entry = catalog.find_reranker(reranker_id)
    root = rerankers_dir(registry)
    final = root / entry.id
    if (final / "model.safetensors").is_file():
        raise AssistantError(f"{entry.name} is already installed in {final}.")
    staging = root / f".{entry.id}.downloading"
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
        _check_cross_encoder(staging, entry.name)
    except (DownloadCancelled, ModelImportError):
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if final.exists():
        shutil.rmtree(final)
    staging.rename(final)
    return final


def _check_cross_encoder(folder: Path, name: str) -> None:
    """A config.json that is a JSON object and a model.safetensors whose header reads; no torch needed."""
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        with (folder / "model.safetensors").open("rb") as weights:
            length = int.from_bytes(weights.read(8), "little")
            header = json.loads(weights.read(length)) if 0 < length < 100_000_000 else None
    except (OSError, UnicodeDecodeError, ValueError):
        config = header = None
    if not isinstance(config, dict) or not isinstance(header, dict):
        raise ModelImportError(
            f"The files downloaded for {name} are not a usable model (config.json or model.safetensors "
            "does not read), so nothing was kept. Try the download again later."
        )
