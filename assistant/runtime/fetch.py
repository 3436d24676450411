"""Download a catalog model into the models folder: the one network use the person starts.

Files go to ``<models>/.<id>.downloading/`` (each as ``name.part`` until complete and
verified, so an interrupted download resumes), the result is checked like an import, and
only then is the folder renamed to ``<models>/<id>/`` and listed. Cancelling deletes it all.

Rerankers (``catalog.RERANKERS``) download the same way into ``<models>/rerankers/<id>/``; they are
not chat models, so they are not listed in ``models.json``: the folder itself is the record.
Embedding models (``catalog.EMBEDDERS``) likewise, into ``<models>/embedders/<id>/``.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

from assistant.errors import AssistantError, DownloadError, ModelImportError
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
    return _download_folder(entry, rerankers_dir(registry), _check_safetensors_folder, progress, cancel, base_url)


def embedders_dir(registry: ModelRegistry | None = None) -> Path:
    """Where downloaded embedding models live: ``<models>/embedders/``, one folder per catalog id."""
    return (registry or ModelRegistry()).root / catalog.EMBEDDERS_FOLDER


def download_embedder(
    embedder_id: str,
    registry: ModelRegistry | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    base_url: str | None = None,
) -> Path:
    """Download and verify every pinned file of embedding model ``embedder_id``; return its folder.

    As :func:`download_reranker`, into ``<models>/embedders/<id>/``, plus the pooling files that
    make the folder a sentence-transformers model (:func:`write_pooling`).
    """
    registry = registry or ModelRegistry()
    entry = catalog.find_embedder(embedder_id)

    def check(folder: Path, name: str) -> None:
        _check_safetensors_folder(folder, name)
        write_pooling(folder, entry)

    return _download_folder(entry, embedders_dir(registry), check, progress, cancel, base_url)


def write_pooling(folder: Path, entry: catalog.CatalogModel) -> None:
    """The sentence-transformers description of ``entry``: its transformer, then mean or CLS pooling.

    These three small files are the same for every model of a kind, so they are written here from
    the catalog entry instead of being downloaded (and pinned) one by one.
    """
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
    ]
    pooling = {
        "word_embedding_dimension": entry.dimension,
        "pooling_mode_cls_token": entry.pooling == "cls",
        "pooling_mode_mean_tokens": entry.pooling == "mean",
        "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
    }
    (folder / "1_Pooling").mkdir(exist_ok=True)
    (folder / "modules.json").write_text(json.dumps(modules, indent=2))
    (folder / "1_Pooling" / "config.json").write_text(json.dumps(pooling, indent=2))
    config = {"max_seq_length": min(entry.context_length, 512), "do_lower_case": False}
    (folder / "sentence_bert_config.json").write_text(json.dumps(config, indent=2))


def _download_folder(
    entry: catalog.CatalogModel,
    root: Path,
    check: Callable[[Path, str], None],
    progress: Progress | None,
    cancel: threading.Event | None,
    base_url: str | None,
) -> Path:
    """Every file of ``entry`` into ``root/.<id>.downloading/``, verified and checked, then renamed ``root/<id>``."""
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
        check(staging, entry.name)
    except (DownloadCancelled, ModelImportError):
        shutil.rmtree(staging, ignore_errors=True)
        raise
    except DownloadError:
        # A file that failed its size or SHA-256 check is deleted already, and the verified files
        # beside it are downloaded again anyway: keep the folder only if a partial file can resume.
        if not any(staging.glob("**/*.part")):
            shutil.rmtree(staging, ignore_errors=True)
        raise
    if final.exists():
        shutil.rmtree(final)
    staging.rename(final)
    return final


def _check_safetensors_folder(folder: Path, name: str) -> None:
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
