"""Asking for more passages adds passages after the same first ones (issue 14, precision).

The fusion of the keyword and vector lists once took four candidates per passage asked for,
so ``ask --top-k 10`` fused 40 of each where the window's five passages fused 20, and a chunk
ranked 21st by both lists could take first place from one that a list ranked first. The lists
here are made up to show exactly that; the fusion itself is the real one. Now only each list's
best ``FUSION_DEPTH`` are fused into the first places, and deeper candidates, fetched when more
passages are asked for than that, come after them.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.library import retriever
from assistant.library.documents import Chunk
from assistant.library.retriever import search

LIST_LENGTH = 60
BOTH_AT = 20  # 0-based: the 21st of each list, past the fusion depth


class Lists:
    """A library whose keyword and vector searches return fixed rankings of one chunk per file."""

    def __init__(self) -> None:
        self.keyword = [f"k{n}" for n in range(LIST_LENGTH)]
        self.vector = [f"v{n}" for n in range(LIST_LENGTH)]
        self.keyword[BOTH_AT] = self.vector[BOTH_AT] = "both"  # middling in each list, first in neither
        self.embedder = self
        self.manifest = self
        self.store = self
        self.asked: list[int] = []

    def embed_query(self, query: str) -> list[float]:
        return [1.0]

    def keyword_search(self, query: str, limit: int, collections: Sequence[str] | None = None) -> list[str]:
        self.asked.append(limit)
        return self.keyword[:limit]

    def query(self, vector: Sequence[float], limit: int, collections: Sequence[str] | None = None) -> list:
        return [(chunk_id, 0.9 - n / 100) for n, chunk_id in enumerate(self.vector[:limit])]

    def chunks(self, ids: Sequence[str]) -> dict[str, Chunk]:
        return {i: Chunk(i, f"/docs/{i}.md", "default", 0, f"text of {i}", None, (), 0, 9) for i in ids}


def first_passages(top_k: int) -> list[str]:
    return [s.chunk_id for s in search(Lists(), "a question", top_k=top_k)]  # type: ignore[arg-type]


def test_more_passages_keep_the_same_first_ones() -> None:
    few = first_passages(3)
    assert few == ["v0", "k0", "v1"]  # each list's best first, then alternating (ties: the vector list first)
    for top_k in (5, 10, 20, 30):
        assert first_passages(top_k)[:3] == few, f"top_k={top_k} changed the first passages"
    assert "both" not in first_passages(10)  # ranked 21st by each list: behind twenty of either list's best


def test_deeper_candidates_follow_the_fused_ones_in_their_own_fused_order() -> None:
    many = first_passages(45)  # 40 from the two lists' best 20, then the deeper ones
    assert set(many[:40]) == {f"k{n}" for n in range(BOTH_AT)} | {f"v{n}" for n in range(BOTH_AT)}
    assert many[40] == "both"  # found by both lists: the best of the deeper candidates


def test_the_depth_grows_only_when_more_passages_are_asked_for_than_it_holds() -> None:
    library = Lists()
    for top_k in (1, 5, 10, retriever.FUSION_DEPTH):
        search(library, "a question", top_k=top_k)  # type: ignore[arg-type]
    search(library, "a question", top_k=retriever.FUSION_DEPTH + 5)  # type: ignore[arg-type]
    assert library.asked == [retriever.FUSION_DEPTH] * 4 + [retriever.FUSION_DEPTH + 5]
