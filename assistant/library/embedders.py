"""Which embedding model a library uses: the bundled English MiniLM, or one the person downloaded.

A library records the model it embeds with (``Manifest`` setting ``embedder``, a model id such as
``intfloat/multilingual-e5-small``). Catalog embedders live in ``<data>/models/embedders/<id>/``
(``fetch.download_embedder``) and are loaded by sentence-transformers with the query and passage
prefixes their catalog entry names. :func:`suggestion` says when a library's text is mostly not
English while the English model reads it, so that the window can offer a multilingual one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from assistant import paths
from assistant.library.embedder import BUNDLED_EMBEDDER_ID, Embedder, EmbedderError

if TYPE_CHECKING:
    from assistant.runtime.catalog import CatalogModel

SUGGEST_SHARE = 0.5  # suggest a multilingual model when more than this share of a sample is not English
SAMPLE_CHUNKS = 200
MIN_SAMPLE = 3  # too few chunks say nothing about a library's language


def models_dir() -> Path:
    return paths.data_dir(create=False) / "models"


def folder_of(entry: CatalogModel, root: Path | None = None) -> Path:
    from assistant.runtime.catalog import EMBEDDERS_FOLDER

    return (root or models_dir()) / EMBEDDERS_FOLDER / entry.id


def is_complete(folder: Path) -> bool:
    """Whether ``folder`` holds a finished embedder download (weights, and the pooling files written last)."""
    return (folder / "model.safetensors").is_file() and (folder / "modules.json").is_file()


def is_installed(entry: CatalogModel, root: Path | None = None) -> bool:
    return is_complete(folder_of(entry, root))


def installed(root: Path | None = None) -> list[CatalogModel]:
    """The catalog embedders downloaded here, in catalog order."""
    from assistant.runtime.catalog import EMBEDDERS

    return [entry for entry in EMBEDDERS if is_installed(entry, root)]


def entry_for(model_id: str) -> CatalogModel | None:
    """The catalog entry whose id or repository is ``model_id``; None for the bundled model or an unknown id."""
    from assistant.runtime.catalog import EMBEDDERS

    key = model_id.strip().lower()
    return next((e for e in EMBEDDERS if key in (e.id, e.repo.lower())), None)


def make(model_id: str, root: Path | None = None) -> Embedder:
    """An embedder for ``model_id`` (the bundled id, or a catalog embedder's id or repository).

    Raises :class:`EmbedderError`, saying how to get it, when a catalog model is not downloaded.
    """
    if not model_id or model_id == BUNDLED_EMBEDDER_ID:
        return Embedder()
    entry = entry_for(model_id)
    if entry is None:
        raise EmbedderError(
            f"There is no embedding model '{model_id}' in the catalog. List them with "
            "'private-assistant models list --catalog'."
        )
    if not is_installed(entry, root):
        raise EmbedderError(
            f"The embedding model {entry.name} is not downloaded. Download it first "
            f"('private-assistant models download {entry.id}', or Models in the window)."
        )
    return Embedder(
        folder_of(entry, root),
        model_id=entry.repo,
        query_prefix=entry.query_prefix,
        passage_prefix=entry.passage_prefix,
    )


def non_english_share(texts: Iterable[str]) -> float:
    """The share of ``texts`` (with letters) written in a language other than English."""
    from assistant.agents.language import detect

    found = Counter(language.code for language in map(detect, texts) if language is not None)
    total = sum(found.values())
    return (total - found["en"]) / total if total >= MIN_SAMPLE else 0.0


def suggestion(model_id: str, sample: Iterable[str]) -> CatalogModel | None:
    """The multilingual embedder to offer when ``model_id`` reads only English and most of ``sample`` is not.

    ``sample``: chunk texts spread over the library (``Manifest.sample_texts``).
    """
    from assistant.runtime.catalog import EMBEDDERS

    if model_id != BUNDLED_EMBEDDER_ID or not EMBEDDERS:
        return None
    if non_english_share(sample) <= SUGGEST_SHARE:
        return None
    present = installed()
    return present[0] if present else EMBEDDERS[0]
