"""The ``models`` command (list, import, download, remove, recommend) and the model choice of ``chat``/``ask``.

``write`` chooses its model the same way.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path
from typing import Any

from assistant.config import ModelSettings, load_settings, save_settings
from assistant.errors import AssistantError

MODEL_HELP = "an installed model's id (see `models list`) or a .gguf file or model folder (default: the default model)"


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    models = commands.add_parser("models", help="list, import, download or remove local models")
    actions = models.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the installed models")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    listing.add_argument("--catalog", action="store_true", help="also list the models that can be downloaded")
    imported = actions.add_parser("import", help="check a .gguf file or safetensors folder and add it")
    imported.add_argument("path")
    imported.add_argument("--default", action="store_true", help="make it the default model")
    download = actions.add_parser("download", help="download a model from the catalog (the only network use)")
    download.add_argument("id", help="a catalog id (see `models list --catalog`)")
    download.add_argument("--default", action="store_true", help="make it the default model")
    remove = actions.add_parser("remove", help="delete an imported or downloaded model")
    remove.add_argument("id")
    default = actions.add_parser("default", help="make an installed model the default")
    default.add_argument("id")
    recommend = actions.add_parser("recommend", help="the catalog model that suits this machine best")
    recommend.add_argument("--json", action="store_true", help="print a JSON object")


def load_for_command(ref: str | None, max_tokens: int | None = None) -> tuple[Any, ModelSettings]:
    """The runtime (not loaded yet) and settings for ``--model REF``, or the default model."""
    from assistant.runtime.loader import choose_model, open_runtime

    settings = load_settings()
    if ref:
        from assistant.runtime.registry import ModelRegistry

        model = ModelRegistry().resolve(ref)
        model_settings = model.settings(settings.model)
    else:
        choice = choose_model(settings)
        if choice.notice:
            print(f"private-assistant: {choice.notice}", file=sys.stderr)
        model_settings = choice.settings
    if max_tokens is not None:
        if max_tokens < 1:
            raise AssistantError("--max-tokens must be 1 or more.")
        model_settings.max_tokens = max_tokens
    assert model_settings.path is not None
    return open_runtime(Path(model_settings.path), model_settings), model_settings


def run(args: argparse.Namespace) -> int:
    if args.models_command == "recommend":
        return _recommend(args)
    from assistant.runtime.registry import ModelRegistry

    registry = ModelRegistry()
    if args.models_command == "list":
        return _list(registry, args)
    if args.models_command == "remove" and args.id.strip().lower() in _embedder_ids():
        return _remove_embedder(registry, args.id.strip().lower())
    if args.models_command == "remove":
        model = registry.remove(args.id)
        settings = load_settings()
        if settings.default_model == model.id:
            settings.default_model = ""
            save_settings(settings)
        print(f"Removed {model.name} ({model.id}).")
        return 0
    if args.models_command == "default":
        _set_default(registry.get(args.id).id)
        return 0
    if args.models_command == "import":
        from assistant.runtime.validate import check_model

        facts = check_model(Path(args.path))
        model = registry.import_model(Path(args.path), facts, progress=_Progress("Copying"))
    elif args.id.strip().lower() in _reranker_ids():
        from assistant.runtime.fetch import download_reranker

        folder = download_reranker(args.id.strip().lower(), registry, _Progress("Downloading"), threading.Event())
        sys.stderr.write("\n")
        print(f"Added the reranker '{folder.name}': document searches now reorder their best candidates with it.")
        return 0
    elif args.id.strip().lower() in _embedder_ids():
        from assistant.runtime.fetch import download_embedder

        folder = download_embedder(args.id.strip().lower(), registry, _Progress("Downloading"), threading.Event())
        sys.stderr.write("\n")
        print(
            f"Added the embedding model '{folder.name}'. To search your documents with it, run "
            f"`private-assistant index --embedder {folder.name}` (the library is re-embedded once)."
        )
        return 0
    else:
        from assistant.runtime.fetch import download_model

        model = download_model(args.id, registry, progress=_Progress("Downloading"), cancel=threading.Event())
    sys.stderr.write("\n")
    print(f"Added {model.name} as '{model.id}' ({model.size / 1e9:.2f} GB, {model.runtime}).")
    if args.default:
        _set_default(model.id)
    return 0


def _reranker_ids() -> set[str]:
    from assistant.runtime import catalog

    return {r.id for r in catalog.RERANKERS}


def _embedder_ids() -> set[str]:
    from assistant.runtime import catalog

    return {e.id for e in catalog.EMBEDDERS}


def _remove_embedder(registry: Any, embedder_id: str) -> int:
    import shutil

    from assistant.runtime.fetch import embedders_dir

    folder = embedders_dir(registry) / embedder_id
    if not folder.is_dir():
        raise AssistantError(f"The embedding model '{embedder_id}' is not downloaded, so there is nothing to remove.")
    shutil.rmtree(folder)
    print(
        f"Removed the embedding model '{embedder_id}'. A library that used it searches with the built-in "
        "model until it is re-embedded (`private-assistant index --embedder bundled`)."
    )
    return 0


def _set_default(model_id: str) -> None:
    settings = load_settings()
    settings.default_model = model_id
    save_settings(settings)
    print(f"'{model_id}' is now the default model.")


def _list(registry: Any, args: argparse.Namespace) -> int:
    from assistant.runtime import catalog, hardware

    default = load_settings().default_model or "smollm2-135m-instruct"
    models = registry.models()
    machine = hardware.machine()
    if args.json:
        rows: list[dict[str, Any]] = [{**m.to_dict(), "default": m.id == default} for m in models]
        if args.catalog:
            rows += [_catalog_row(c, machine.memory) for c in catalog.CATALOG]
        print(json.dumps(rows, indent=2))
        return 0
    print(f"This machine: {machine.describe()}")
    for m in models:
        mark = "*" if m.id == default else " "
        params = f"{m.parameters / 1e9:.2f}B" if m.parameters else "?"
        print(
            f"{mark} {m.id:<32} {m.runtime:<12} {m.architecture:<18} {params:>7} {m.quantization:<8} "
            f"{m.size / 1e9:6.2f} GB  ctx {m.context_length or '?'}  {m.license or 'license ?'}"
        )
    if args.catalog:
        print("\nCan be downloaded (`private-assistant models download ID`):")
        for c in catalog.CATALOG:
            row = _catalog_row(c, machine.memory)
            print(f"  {c.id:<32} {c.runtime:<12} {c.params:>6} {c.size / 1e9:6.2f} GB  {row['fit']}")
        print("\nRerankers: reorder the best search candidates of every documents question (optional):")
        for r in catalog.RERANKERS:
            print(f"  {r.id:<32} {r.runtime:<12} {r.params:>6} {r.size / 1e9:6.2f} GB  {r.name}")
        print("\nEmbedding models: what the library searches by meaning with (`index --embedder ID`):")
        for e in catalog.EMBEDDERS:
            print(f"  {e.id:<32} {e.runtime:<12} {e.params:>6} {e.size / 1e9:6.2f} GB  {e.name}")
    return 0


def _catalog_row(model: Any, memory: int) -> dict[str, Any]:
    from assistant.runtime import catalog

    fits, why = catalog.fits(model, memory) if memory else (True, "memory unknown")
    return {
        "id": model.id,
        "name": model.name,
        "catalog": True,
        "size": model.size,
        "fits": fits,
        "fit": why,
        "license": model.license,
        "repo": model.repo,
        "revision": model.revision,
        "files": [{"name": f.name, "size": f.size, "sha256": f.sha256} for f in model.files],
    }


def _recommend(args: argparse.Namespace) -> int:
    """This machine and the catalog model :func:`recommend.recommend` picks for it."""
    from assistant.runtime import hardware
    from assistant.runtime.recommend import recommend

    machine = hardware.machine()
    choice = recommend(machine)
    if args.json:
        picked = None
        if choice is not None:
            picked = {
                "id": choice.model.id,
                "name": choice.model.name,
                "size": choice.model.size,
                "ram_needed": choice.model.ram_needed,
                "on_gpu": choice.on_gpu,
                "reason": choice.reason,
                "license": choice.model.license,
            }
        out = {
            "machine": {
                "cpus": machine.cpus,
                "memory": machine.memory,
                "gpus": [{"name": g.name, "memory": g.memory, "backend": g.backend} for g in machine.gpus],
                "backends": list(machine.backends),
            },
            "recommended": picked,
            "alternatives": [m.id for m in choice.alternatives] if choice else [],
        }
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    print(f"This machine: {machine.describe()}")
    if choice is None:
        print("No catalog model runs comfortably here; the built-in model stays in use.")
        return 0
    where = "on the GPU" if choice.on_gpu else "on the CPU"
    print(f"Recommended: {choice.model.name} ({choice.model.id}), {choice.model.size / 1e9:.2f} GB, {where}.")
    print(f"  {choice.reason}")
    print(f"  Download it with: private-assistant models download {choice.model.id} --default")
    if choice.alternatives:
        print("Also fits: " + ", ".join(m.id for m in choice.alternatives))
    return 0


class _Progress:
    """Prints one updating line to stderr: done, total, speed."""

    def __init__(self, verb: str) -> None:
        self.verb, self.started, self.shown = verb, time.monotonic(), 0.0

    def __call__(self, done: int, total: int | None, bytes_per_s: float | None = None) -> None:
        now = time.monotonic()
        if now - self.shown < 0.25 and done != total:
            return
        self.shown = now
        speed = bytes_per_s if bytes_per_s is not None else done / max(now - self.started, 1e-6)
        of = f" of {total / 1e6:,.0f} MB" if total else ""
        sys.stderr.write(f"\r{self.verb} {done / 1e6:,.0f} MB{of} ({speed / 1e6:.1f} MB/s)   ")
        sys.stderr.flush()
