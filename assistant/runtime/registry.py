"""The installed models: the bundled one, imported ones and downloaded ones.

Models live under ``<data dir>/models/<id>/`` (a ``.gguf`` file, or a safetensors folder
for the transformers runtime); ``models.json`` lists them with their facts and per-model
options. The bundled model stays inside its package and is always listed first.

An import copies into a hidden ``.<id>.importing`` folder, checks the copy (the files that will be
loaded, not the source, which could change between a check and a copy) and renames it when complete,
so a cancelled or failed import never leaves a half model where one is expected. A link in a model
folder that leads out of it is refused: an import copies the model, never a file from elsewhere.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import re
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant import paths
from assistant.atomic import atomic_write_text
from assistant.config import ModelSettings
from assistant.errors import AssistantError, ModelImportError
from assistant.runtime.facts import ModelFacts
from assistant.runtime.sampling import ResolvedSampling, for_model

log = logging.getLogger(__name__)

BUNDLED_ID = "smollm2-135m-instruct"
_CHUNK = 8 * 1024 * 1024

CopyProgress = Callable[[int, int], None]  # (bytes copied, total)
ModelCheck = Callable[[Path], ModelFacts]  # validates a model file or folder; raises ModelImportError


@dataclass
class ModelOptions:
    """Per-model settings; ``None`` means the general setting (for sampling: the model's default)."""

    context_length: int | None = None
    temperature: float | None = None
    gpu_layers: int | None = None  # -1 all, 0 CPU only
    system_prompt: str | None = None
    thinking: bool = True  # for reasoning models whose template can turn it off
    top_p: float | None = None
    top_k: int | None = None
    min_p: float | None = None
    repeat_penalty: float | None = None
    presence_penalty: float | None = None


@dataclass
class InstalledModel:
    id: str
    name: str
    runtime: str  # "llama.cpp" or "transformers"
    path: str  # the .gguf file or the model folder
    source: str  # "bundled", "imported", "downloaded" or "file" (given by path, not installed)
    architecture: str = ""
    parameters: int = 0
    quantization: str = ""
    size: int = 0
    context_length: int | None = None
    license: str = ""
    has_chat_template: bool = False
    reasoning: bool = False
    thinking_switch: bool = False
    added: float = 0.0
    options: ModelOptions = field(default_factory=ModelOptions)

    @classmethod
    def from_facts(cls, model_id: str, path: Path, source: str, facts: ModelFacts) -> InstalledModel:
        return cls(
            id=model_id,
            name=facts.name,
            runtime=facts.runtime,
            path=str(path),
            source=source,
            architecture=facts.architecture,
            parameters=facts.parameters,
            quantization=facts.quantization,
            size=facts.size,
            context_length=facts.context_length,
            license=facts.license,
            has_chat_template=facts.has_chat_template,
            reasoning=facts.reasoning,
            thinking_switch=facts.thinking_switch,
            added=time.time(),
        )

    def settings(self, base: ModelSettings) -> ModelSettings:
        """The general settings with this model's path and its own options applied."""
        options = {k: v for k, v in dataclasses.asdict(self.options).items() if v is not None}
        return dataclasses.replace(base, path=self.path, **options)

    def sampling(self, general: ModelSettings) -> ResolvedSampling:
        """The sampling this model uses under the ``general`` settings, and where each value comes from."""
        return for_model(Path(self.path), general, self.options)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> InstalledModel:
        known = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in raw.items() if k in known}
        option_fields = {f.name for f in dataclasses.fields(ModelOptions)}
        values["options"] = ModelOptions(**{k: v for k, v in (raw.get("options") or {}).items() if k in option_fields})
        return cls(**values)


class ModelRegistry:
    """Reads and writes ``models.json``; one instance per thread is fine (every call re-reads the file)."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or paths.data_dir() / "models"

    @property
    def index_path(self) -> Path:
        return self.root / "models.json"

    # -- reading ----------------------------------------------------------------------

    def models(self) -> list[InstalledModel]:
        """The bundled model first (when installed), then the others by when they were added."""
        data = self._read()
        found = [InstalledModel.from_dict(m) for m in data.get("models", [])]
        bundled = self._bundled(data.get("bundled_options") or {})
        return ([bundled] if bundled else []) + sorted(found, key=lambda m: m.added)

    def get(self, model_id: str, models: list[InstalledModel] | None = None) -> InstalledModel:
        models = self.models() if models is None else models
        for model in models:
            if model.id == model_id:
                return model
        known = ", ".join(m.id for m in models)
        raise AssistantError(f"There is no installed model '{model_id}'. Installed: {known}.")

    def resolve(self, ref: str | Path | None) -> InstalledModel:
        """An installed model by id, or a ``.gguf`` file or model folder given by its path."""
        if ref is None or str(ref) == "":
            return self.get(BUNDLED_ID)
        text = str(ref)
        installed = self.models()
        if any(m.id == text for m in installed):
            return self.get(text, installed)
        path = Path(text).expanduser()
        if path.exists() or path.suffix.lower() == ".gguf" or "/" in text or "\\" in text:
            from assistant.runtime.facts import describe

            if not path.exists():
                raise AssistantError(f"The model file {path} does not exist. Check the path, or give an installed id.")
            try:
                return InstalledModel.from_facts(path.stem, path, "file", describe(path))
            except AssistantError:  # loading it will say what is wrong; it is what the person chose
                runtime = "transformers" if path.is_dir() else "llama.cpp"
                return InstalledModel(path.stem, path.name, runtime, str(path), "file")
        return self.get(text, installed)  # raises with the list of ids

    # -- changing ---------------------------------------------------------------------

    def import_model(
        self,
        source: Path,
        facts: ModelFacts,
        origin: str = "imported",
        progress: CopyProgress | None = None,
        cancel: threading.Event | None = None,
        check: ModelCheck | None = None,
    ) -> InstalledModel:
        """Copy a model in, check the copy, and list it with the copy's facts.

        ``facts`` are the caller's check of ``source`` (a quick refusal before a long copy); the copy
        is checked again with ``check`` (default: ``validate.check_model``) before it is kept, and
        what is listed is what that check found. A file ``source`` may be a link the person chose;
        inside a folder, a link that leads out of it is refused.

        Raises:
            ModelImportError: a link leaves the folder, the copy fails its check, or ``cancel`` was set.
        """
        source = Path(source)
        files = _model_files(source) if source.is_dir() else [(source, Path(source.name))]
        if check is None:
            from assistant.runtime.validate import check_model

            check = check_model
        model_id = self._new_id(facts.name if source.is_dir() else source.stem)
        staging = self.root / f".{model_id}.importing"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        try:
            total, done = sum(p.stat().st_size for p, _ in files), 0
            for file, relative in files:
                target = staging / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                done = _copy(file, target, done, total, progress, cancel)
            copied = _check_copy(check, staging if source.is_dir() else staging / source.name, source)
            final = self.root / model_id
            staging.rename(final)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        path = final if source.is_dir() else final / source.name
        name = facts.name if source.is_dir() else copied.name  # a folder's copy is named after the staging folder
        return self.add(InstalledModel.from_facts(model_id, path, origin, dataclasses.replace(copied, name=name)))

    def add(self, model: InstalledModel) -> InstalledModel:
        data = self._read()
        data["models"] = [m for m in data.get("models", []) if m.get("id") != model.id] + [model.to_dict()]
        self._write(data)
        return model

    def remove(self, model_id: str) -> InstalledModel:
        """Delete an imported or downloaded model's files and forget it. The bundled model stays."""
        model = self.get(model_id)
        if model.source == "bundled":
            raise AssistantError(
                "The bundled model cannot be removed: it is part of Private Assistant and is what it falls back on."
            )
        data = self._read()
        data["models"] = [m for m in data.get("models", []) if m.get("id") != model_id]
        self._write(data)
        folder = self.root / model_id
        if folder.is_dir() and folder.resolve().is_relative_to(self.root.resolve()):
            shutil.rmtree(folder, ignore_errors=True)
        return model

    def set_options(self, model_id: str, options: ModelOptions) -> InstalledModel:
        model = self.get(model_id)
        data = self._read()
        if model.source == "bundled":
            data["bundled_options"] = dataclasses.asdict(options)
        else:
            for raw in data.get("models", []):
                if raw.get("id") == model_id:
                    raw["options"] = dataclasses.asdict(options)
        self._write(data)
        return self.get(model_id)

    # -- storage ----------------------------------------------------------------------

    def _read(self) -> dict[str, Any]:
        try:
            raw = json.loads(self.index_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"version": 1, "models": []}
        except (OSError, ValueError) as exc:
            aside = self.index_path.with_name("models.json.bad")
            log.warning("models.json unusable (%s); kept as %s", exc, aside)
            self.index_path.replace(aside)
            return {"version": 1, "models": []}
        return raw if isinstance(raw, dict) else {"version": 1, "models": []}

    def _write(self, data: dict[str, Any]) -> None:
        paths.ensure_writable_dir(self.root)
        atomic_write_text(self.index_path, json.dumps(data, indent=2, sort_keys=True) + "\n")

    def _new_id(self, name: str) -> str:
        base = re.sub(r"[^a-z0-9.]+", "-", name.lower()).strip("-.") or "model"
        taken = {m.id for m in self.models()}
        candidate, n = base[:60], 2
        while candidate in taken or (self.root / candidate).exists():
            candidate, n = f"{base[:56]}-{n}", n + 1
        return candidate

    def _bundled(self, options: dict[str, Any]) -> InstalledModel | None:
        try:
            path = paths.bundled_model_path()
        except AssistantError:
            return None
        model = _bundled_facts(path)
        fields = {f.name for f in dataclasses.fields(ModelOptions)}
        return dataclasses.replace(model, options=ModelOptions(**{k: v for k, v in options.items() if k in fields}))


@functools.cache
def _bundled_facts(path: Path) -> InstalledModel:
    """Read once per process: the bundled file never changes."""
    from assistant.runtime.facts import describe_gguf

    facts = dataclasses.replace(describe_gguf(path), name="SmolLM2 135M Instruct")
    return InstalledModel.from_facts(BUNDLED_ID, path, "bundled", facts)


def _check_copy(check: ModelCheck, copy: Path, source: Path) -> ModelFacts:
    try:
        return check(copy)
    except ModelImportError as exc:
        raise ModelImportError(
            f"The copy of {source.name} did not pass the model check, so nothing was added: "
            f"{str(exc).replace(str(copy), str(source))}"
            " If the model changed while it was copied, import it again."
        ) from exc


def _model_files(source: Path) -> list[tuple[Path, Path]]:
    """(file to read, path inside the model) for every file in the folder ``source``, links resolved.

    A link may point anywhere inside ``source``; one that leads out of it is refused, except, in a
    Hugging Face cache snapshot (``.../snapshots/<revision>``), into that model's own ``blobs`` folder.
    """
    root = source.resolve()
    allowed = [root]
    if source.parent.name == "snapshots":
        allowed.append((source.parent.parent / "blobs").resolve())
    found: list[tuple[Path, Path]] = []

    def walk(folder: Path, inside: Path, seen: frozenset[Path]) -> None:
        for entry in sorted(folder.iterdir()):
            real = entry
            if entry.is_symlink():
                real = entry.resolve()
                if not any(real.is_relative_to(place) for place in allowed):
                    raise ModelImportError(
                        f"{source.name}/{(inside / entry.name).as_posix()} is a link to {real}, outside the "
                        "model folder, so the model was not imported. Replace the link with the file itself "
                        "(for example, copy the folder with `cp -rL`), or choose a folder without such links."
                    )
            if real.is_dir():
                if real.resolve() not in seen:  # a link back up would loop
                    walk(real, inside / entry.name, seen | {real.resolve()})
            elif real.is_file():
                found.append((real, inside / entry.name))

    walk(source, Path(), frozenset({root}))
    return found


def _copy(
    source: Path, target: Path, done: int, total: int, progress: CopyProgress | None, cancel: threading.Event | None
) -> int:
    with source.open("rb") as src, target.open("wb") as dst:
        while chunk := src.read(_CHUNK):
            if cancel is not None and cancel.is_set():
                raise ModelImportError("The import was cancelled; nothing was added.")
            dst.write(chunk)
            done += len(chunk)
            if progress is not None:
                progress(done, total)
    return done
