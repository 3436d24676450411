"""The bundled embedder as a dynamically quantized int8 ONNX model, for the CPU.

``export()`` makes it once from the bundled weights (torch, transformers, onnx and
onnxruntime's graph optimizer and quantizer: about 15 s) into ``<data>/cache/embedder-onnx/<key>/``,
writing a temp folder and renaming it, so a crash never leaves half an export. ``OnnxModel`` runs it with
onnxruntime, the tokenizers library and numpy alone: neither torch nor sentence-transformers is
imported, so a command that embeds one question starts in a fraction of the time.
The graph ends in the bundled model's own mean pooling and normalization.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant import paths

log = logging.getLogger(__name__)

ONNX_FILE = "model_qint8.onnx"
ABANDONED_S = 3600  # an unfinished export folder this old was cut off (the app quit meanwhile)
FORMAT = 2  # bump when the export changes: old exports are then ignored (2: fused attention)
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
_export_lock = threading.Lock()


def export_key(model_path: Path) -> str:
    """Names the export after the weights it was made from (path, size, time) and the format."""
    weights = model_path / "model.safetensors"
    info = weights.stat()
    source = f"{weights.resolve()}|{info.st_size}|{info.st_mtime_ns}|{FORMAT}"
    return hashlib.sha1(source.encode()).hexdigest()[:16]


def export_dir(model_path: Path) -> Path:
    return paths.data_dir(create=False) / "cache" / "embedder-onnx" / export_key(model_path)


def is_exported(model_path: Path) -> bool:
    folder = export_dir(model_path)
    return (folder / ONNX_FILE).is_file() and (folder / "tokenizer.json").is_file()


def export(model_path: Path) -> Path:
    """Make the int8 export of ``model_path`` if it is missing or broken; return its folder.

    Exports of other weights (an earlier install's) are removed once this one is in place.
    """
    with _export_lock:
        target = export_dir(model_path)
        if is_exported(model_path):
            try:
                OnnxModel(target)
                return target
            except Exception:  # noqa: BLE001 - made again below
                log.warning("the embedder's ONNX export in %s is broken; making it again", target, exc_info=True)
        parent = paths.ensure_writable_dir(target.parent)
        work = Path(tempfile.mkdtemp(prefix=".export-", dir=parent))
        try:
            _export_into(model_path, work)
            if target.exists():  # a broken earlier export
                shutil.rmtree(target)
            try:
                os.replace(work, target)
            except OSError:
                if not is_exported(model_path):
                    raise
                # another process finished the same export first: keep its copy
        finally:
            if work.exists():
                shutil.rmtree(work, ignore_errors=True)
        log.info("embedder exported to ONNX int8 in %s", target)
        for old in parent.iterdir():
            # Dot folders are other processes' work, unless an hour old: an export cut off by the app's exit.
            if old != target and (not old.name.startswith(".") or _older_than(old, ABANDONED_S)):
                shutil.rmtree(old, ignore_errors=True)
        return target


def export_in_child(model_path: Path, timeout_s: float = 900) -> bool:
    """:func:`export` in a child process of its own (spawned: no copy of this one's threads); True when it
    made the export. The child dies with this process; what it leaves unfinished :func:`export` removes."""
    import multiprocessing

    child = multiprocessing.get_context("spawn").Process(
        target=export, args=(model_path,), name="embedder-export", daemon=True
    )
    child.start()
    child.join(timeout_s)
    if child.is_alive():
        child.kill()
        child.join()
    if child.exitcode != 0:
        log.warning("the embedder's ONNX export in a child process failed (exit code %s)", child.exitcode)
    return child.exitcode == 0 and is_exported(model_path)


def _older_than(path: Path, seconds: float) -> bool:
    try:
        return time.time() - path.stat().st_mtime > seconds
    except OSError:
        return False


def _export_into(model_path: Path, work: Path, keep_fp32: bool = False) -> None:
    """Write the int8 model, its tokenizer and settings into ``work`` (and the fp32 model, for benchmarks)."""
    import onnxruntime  # type: ignore[import-untyped]
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # no bars
    onnxruntime.disable_telemetry_events()  # Windows' ETW events (see OnnxModel)

    class Pooled(torch.nn.Module):  # the transformer, mean pooling and normalization, as in modules.json
        def __init__(self, model: Any) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    sample = torch.ones(2, 16, dtype=torch.long)
    axes = {name: {0: "batch", 1: "tokens"} for name in _INPUTS}
    with torch.no_grad(), warnings_quiet():  # the tracer's warnings are about other models' code paths
        # Eager attention traces to the plain matrix products the optimizer recognizes (sdpa's masking does not).
        model = AutoModel.from_pretrained(str(model_path), local_files_only=True, attn_implementation="eager").eval()
        torch.onnx.export(
            Pooled(model),
            (sample, sample, torch.zeros_like(sample)),
            str(work / "model.onnx"),
            input_names=list(_INPUTS),
            output_names=["sentence_embedding"],
            dynamic_axes={**axes, "sentence_embedding": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )
        fused = _fuse(work / "model.onnx", work / "model_fused.onnx", model.config)
        try:
            _quantize(fused, work / ONNX_FILE)
        except Exception:  # noqa: BLE001 - e.g. onnxruntime < 1.18, whose quantizer cannot type contrib ops
            if fused == work / "model.onnx":
                raise
            log.warning("could not quantize the fused ONNX graph; quantizing it unfused", exc_info=True)
            _quantize(work / "model.onnx", work / ONNX_FILE)
    (work / "model_fused.onnx").unlink(missing_ok=True)
    if not keep_fp32:
        (work / "model.onnx").unlink()
    shutil.copyfile(model_path / "tokenizer.json", work / "tokenizer.json")  # 0600 under the app umask
    config = json.loads((model_path / "sentence_bert_config.json").read_text())
    (work / "embedder.json").write_text(json.dumps({"max_seq_length": int(config["max_seq_length"])}))


def _quantize(source: Path, target: Path) -> None:
    """Per-channel int8 weights of the constant matrix products and of fused attention's input projection.

    Attention's own products stay fp32: on 2,000 astropy passages the vectors keep cosine mean 0.994,
    min 0.98 to torch fp32 (per-tensor weights, or quantizing attention's own products, fall to 0.86).
    """
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic  # type: ignore[import-untyped]

    quantize_dynamic(
        str(source),
        str(target),
        weight_type=QuantType.QInt8,
        per_channel=True,
        op_types_to_quantize=["MatMul", "Attention"],
        # shape inference cannot type the fused graph's contrib ops' outputs: they are fp32
        extra_options={"MatMulConstBOnly": True, "DefaultTensorType": onnx.TensorProto.FLOAT},
    )


def _fuse(source: Path, target: Path, config: Any) -> Path:
    """Fuse attention, layer norms and GELU with onnxruntime's BERT optimizer: about 13% less CPU per passage.

    Returns ``target``, or ``source`` if the optimizer fails (the unfused graph quantizes and runs the same).
    """
    import importlib.util

    # The package appends its own folder to sys.path for its flat imports; take it off again afterwards.
    spec = importlib.util.find_spec("onnxruntime.transformers")
    folder = os.path.dirname(spec.origin) if spec and spec.origin else ""
    added = bool(folder) and folder not in sys.path
    try:
        from onnxruntime.transformers.optimizer import optimize_model  # type: ignore[import-untyped]

        heads, hidden = int(config.num_attention_heads), int(config.hidden_size)
        optimized = optimize_model(str(source), model_type="bert", num_heads=heads, hidden_size=hidden, opt_level=0)
        optimized.save_model_to_file(str(target))
        log.info("embedder ONNX graph fused: %s", optimized.get_fused_operator_statistics())
        return target
    except Exception:  # noqa: BLE001 - an optimizer this code does not know: quantize the plain graph
        log.warning("could not fuse the embedder's ONNX graph; quantizing it unfused", exc_info=True)
        return source
    finally:
        if added and folder in sys.path:
            sys.path.remove(folder)


@contextlib.contextmanager
def warnings_quiet() -> Any:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


class OnnxModel:
    """Unit vectors from the int8 export, in the order of the texts given."""

    def __init__(self, folder: Path, file_name: str = ONNX_FILE) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        # Windows builds log telemetry events through the system (ETW); elsewhere network.install()
        # has already set ORT_DISABLE_TELEMETRY, which turns the uploader off before it starts.
        onnxruntime.disable_telemetry_events()

        self.max_seq_length = int(json.loads((folder / "embedder.json").read_text())["max_seq_length"])
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()  # counting tokens must see them all; encode() truncates itself
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        # Busy-waiting threads cost more than they save when other programs share the cores.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._sessions: dict[int, Any] = {}
        self._options = options
        self._file = folder / file_name
        self._session(1)  # fails here, not at the first embedding, if the file is broken

    def _session(self, threads: int) -> Any:
        import onnxruntime

        if threads not in self._sessions:
            self._options.intra_op_num_threads = threads
            self._sessions[threads] = onnxruntime.InferenceSession(
                str(self._file), self._options, providers=["CPUExecutionProvider"]
            )
        return self._sessions[threads]

    def get_embedding_dimension(self) -> int:
        return int(self._session(1).get_outputs()[0].shape[1] or len(self.encode(["x"], 1, 1)[0]))

    def count_tokens_many(self, texts: Sequence[str]) -> list[int]:
        return [len(e.ids) for e in self.tokenizer.encode_batch(list(texts), add_special_tokens=False)]

    def encode(self, texts: Sequence[str], batch_size: int, threads: int) -> Any:
        """Unit vectors of ``texts`` (a numpy array); ``threads`` 0 is onnxruntime's choice (the physical cores)."""
        import numpy as np

        session = self._session(threads)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))  # like sentence-transformers
        vectors = np.zeros((len(texts), 0), dtype=np.float32)
        parts: list[Any] = []
        for start in range(0, len(order), batch_size):
            batch = [texts[i] for i in order[start : start + batch_size]]
            encoded = self.tokenizer.encode_batch(batch)
            length = min(max(len(e.ids) for e in encoded), self.max_seq_length)
            feed = {name: np.zeros((len(batch), length), dtype=np.int64) for name in _INPUTS}
            for row, item in enumerate(encoded):
                ids = item.ids[:length]
                if len(item.ids) > length:  # truncated: keep [SEP] last, as the tokenizer's truncation does
                    ids = ids[:-1] + item.ids[-1:]
                feed["input_ids"][row, : len(ids)] = ids
                feed["attention_mask"][row, : len(ids)] = 1
            parts.append(session.run(None, feed)[0])
        vectors = np.concatenate(parts) if parts else vectors
        result = np.empty_like(vectors)
        result[order] = vectors
        return result
