"""Settings: a typed, versioned JSON file written atomically, with migrations.

A file from an older version is migrated step by step (``MIGRATIONS[n]`` turns version n
into n + 1). A file that cannot be parsed is kept aside as ``settings.json.bad`` and the
defaults are used, so a damaged file never stops the app from starting and nothing is lost.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant import paths
from assistant.atomic import atomic_write_text
from assistant.errors import SettingsError

log = logging.getLogger(__name__)

SETTINGS_VERSION = 6
DEFAULT_SYSTEM_PROMPT = (
    "You are Private Assistant, a helpful assistant that runs entirely on this computer. Answer clearly and concisely."
)


@dataclass
class ModelSettings:
    path: str | None = None  # None: the bundled model
    context_length: int = 4096
    max_tokens: int = 512
    # Sampling (see assistant.runtime.sampling): None takes each model's own default.
    temperature: float | None = None
    gpu_layers: int = -1  # -1: as many as fit (all); 0: CPU only
    threads: int | None = None  # None: chosen for this machine
    system_prompt: str = DEFAULT_SYSTEM_PROMPT
    thinking: bool = True  # let reasoning models think aloud (where the template can turn it off)
    top_p: float | None = None
    top_k: int | None = None
    min_p: float | None = None
    repeat_penalty: float | None = None
    presence_penalty: float | None = None


@dataclass
class CloudSettings:
    """An OpenAI-compatible provider. Off by default; the key is never here (see ``assistant.secrets``)."""

    enabled: bool = False
    name: str = ""
    base_url: str = ""
    model: str = ""
    max_tokens: int = 1024
    offline_only: bool = False  # forces offline even when a provider is configured
    local_only_collections: list[str] = field(default_factory=list)  # "never leaves this device"

    @property
    def configured(self) -> bool:
        return bool(self.base_url.strip() and self.model.strip())

    @property
    def available(self) -> bool:
        """May the app offer escalation at all (the person still approves each request)?"""
        return self.enabled and self.configured and not self.offline_only


@dataclass
class ServerSettings:
    """The local OpenAI-compatible server (Settings → Local server). Off by default; its key is in the keychain."""

    enabled: bool = False
    host: str = "127.0.0.1"  # loopback: this computer only
    port: int = 8765


@dataclass
class Settings:
    version: int = SETTINGS_VERSION
    model: ModelSettings = field(default_factory=ModelSettings)
    window: dict[str, Any] = field(default_factory=dict)
    cloud: CloudSettings = field(default_factory=CloudSettings)
    default_model: str = ""  # an installed model's id; "" for the bundled one
    model_chosen: bool = False  # the person answered the first-launch welcome (a download or the built-in)
    language: str = ""  # the window's language: "" follows the system, else "en" or "ko"
    server: ServerSettings = field(default_factory=ServerSettings)

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Settings:
        model_fields = {f.name for f in dataclasses.fields(ModelSettings)}
        model_raw = raw.get("model") or {}
        if not isinstance(model_raw, dict):
            raise SettingsError("'model' must be an object")
        model = ModelSettings(**{k: v for k, v in model_raw.items() if k in model_fields})
        window = raw.get("window") or {}
        cloud_raw = raw.get("cloud") or {}
        if not isinstance(cloud_raw, dict):
            raise SettingsError("'cloud' must be an object")
        cloud_fields = {f.name for f in dataclasses.fields(CloudSettings)}
        cloud = CloudSettings(**{k: v for k, v in cloud_raw.items() if k in cloud_fields})
        cloud.local_only_collections = [str(c) for c in cloud.local_only_collections or []]
        server_raw = raw.get("server") or {}
        if not isinstance(server_raw, dict):
            raise SettingsError("'server' must be an object")
        server = ServerSettings(
            **{k: v for k, v in server_raw.items() if k in {f.name for f in dataclasses.fields(ServerSettings)}}
        )
        default_model = str(raw.get("default_model") or "")
        chosen = bool(raw.get("model_chosen")) or bool(default_model)  # a default set before: chosen already
        return cls(
            version=SETTINGS_VERSION,
            model=model,
            window=dict(window),
            cloud=cloud,
            default_model=default_model,
            model_chosen=chosen,
            language=str(raw.get("language") or ""),
            server=server,
        )


def _v1_to_v2(raw: dict[str, Any]) -> dict[str, Any]:
    """Version 1 kept model options flat at the top level (``model_path``, ``n_ctx``)."""
    model = {
        "path": raw.pop("model_path", None),
        "context_length": raw.pop("n_ctx", 4096),
        "temperature": raw.pop("temperature", 0.7),
    }
    return {"version": 2, "model": model, "window": raw.pop("window", {})}


def _v2_to_v3(raw: dict[str, Any]) -> dict[str, Any]:
    """Version 3 added the cloud provider section, off by default."""
    return {**raw, "version": 3, "cloud": {}}


def _v3_to_v4(raw: dict[str, Any]) -> dict[str, Any]:
    """Version 4 added the default model's id (the bundled one, or a model file set in version 3)."""
    return {**raw, "version": 4, "default_model": ""}


def _v4_to_v5(raw: dict[str, Any]) -> dict[str, Any]:
    """Version 5 takes sampling from each model unless the person set it.

    Older versions wrote the old default temperature, 0.7, whether or not the person chose it; kept,
    it would override every model's own temperature. Any other value was chosen and is kept.
    """
    model = raw.get("model")
    if isinstance(model, dict) and model.get("temperature") == 0.7:
        raw = {**raw, "model": {k: v for k, v in model.items() if k != "temperature"}}
    return {**raw, "version": 5}


def _v5_to_v6(raw: dict[str, Any]) -> dict[str, Any]:
    """Version 6 added the window's language; "" follows the system's, as before."""
    return {**raw, "version": 6, "language": ""}


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _v4_to_v5,
    5: _v5_to_v6,
}


def migrate(raw: dict[str, Any]) -> dict[str, Any]:
    version = raw.get("version", 1)
    if not isinstance(version, int) or version < 1:
        raise SettingsError(f"unknown settings version {version!r}")
    if version > SETTINGS_VERSION:
        raise SettingsError(f"settings were written by a newer Private Assistant (version {version})")
    while version < SETTINGS_VERSION:
        raw = MIGRATIONS[version](raw)
        version = raw["version"]
    return raw


def settings_path() -> Path:
    return paths.data_dir() / "settings.json"


def load_settings(path: Path | None = None) -> Settings:
    """Read settings; a missing file gives defaults, a broken one is set aside."""
    path = path or settings_path()
    if not path.exists():
        return Settings()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise SettingsError("the file does not hold a JSON object")
        return Settings.from_dict(migrate(raw))
    except (ValueError, TypeError, SettingsError) as exc:
        aside = path.with_name(path.name + ".bad")
        log.warning("settings file %s unusable (%s); kept as %s, using defaults", path, exc, aside)
        os.replace(path, aside)
        return Settings()


def save_settings(settings: Settings, path: Path | None = None) -> None:
    atomic_write_text(path or settings_path(), settings.to_json())
