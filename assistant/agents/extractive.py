"""The best sentences of the passages for a question, quoted with their source numbers.

A model under about a billion parameters reads five passages and still often answers with
something they never said. The sentence that answers the question is usually already in the
top passages, so the answer leads with it, word for word, before the model's own wording:
the person always sees something true from their documents.

A sentence is scored by its closeness in meaning to the question (the bundled embedder) and by
the share of the question's rarer words it contains (a word found in few passage sentences
tells them apart; "tar" matters more than "file"). A description line ending in ":" is quoted
together with the command under it, as tldr pages and READMEs write them; such a pair answers a
"how do I" question better than a page's summary line, and gets a small bonus, as does the
best-ranked passage. Nothing is quoted when the best sentence scores under :data:`LEAD_MIN`:
the passages probably do not answer the question. (The weights were set on tldr questions of
bench/answers_tldr.json; a tenth either way changes little.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from assistant.agents import sentences
from assistant.agents.claims import Claim, Evidence, similarities

LEAD_MIN = 0.5  # a weaker best sentence is not quoted: it probably does not answer the question
SECOND_WITHIN = 0.8  # a second sentence is quoted when it scores this close to the best
MAX_QUOTES = 2
MAX_CHARS = 600  # of the quoted text in all
TOP_PASSAGES = 3
MEANING_WEIGHT = 0.6  # the rest is the rare-word overlap
COMMAND_BONUS = 0.1  # a description with its command answers "how do I" better than a summary line
FIRST_PASSAGE_BONUS = 0.03  # the best-ranked passage is the likeliest to hold the answer


@dataclass(frozen=True)
class Quote:
    """A sentence (or a description and its command) quoted from source ``source`` (1-based)."""

    text: str
    source: int
    score: float


def best_quotes(question: str, evidence: Evidence, top_passages: int = TOP_PASSAGES) -> list[Quote]:
    """The sentence(s) of the first ``top_passages`` passages that best answer ``question``.

    Empty when even the best one scores under :data:`LEAD_MIN`.
    """
    candidates = [
        (index, unit)
        for index, unit in enumerate(evidence.units)
        if unit.passage < top_passages and (len(unit.words) >= 2 or "\n" in unit.text)
    ]
    if not candidates:
        return []
    asked = set(sentences.content_words(question))
    vectors = evidence.embed_with([index for index, _ in candidates], [question])
    meaning = similarities(vectors, [evidence.vectors[i] for i, _ in candidates])[0] if vectors else None
    rarity = _rarity(asked, [unit.words for _, unit in candidates])
    weight = sum(rarity.values())
    scored: list[Quote] = []
    for position, (_, unit) in enumerate(candidates):
        overlap = sum(rarity[w] for w in asked & unit.words) / weight if weight else 0.0
        similar = meaning[position] if meaning is not None else overlap
        score = MEANING_WEIGHT * similar + (1 - MEANING_WEIGHT) * overlap
        score += (COMMAND_BONUS if "\n" in unit.text else 0.0) + (FIRST_PASSAGE_BONUS if unit.passage == 0 else 0.0)
        text = "\n".join(sentences.strip_marker(line) for line in sentences.clean_markup(unit.text).split("\n"))
        scored.append(Quote(text, unit.passage + 1, round(score, 3)))
    scored.sort(key=lambda q: q.score, reverse=True)
    best = scored[0]
    if best.score < LEAD_MIN:
        return []
    chosen = [best]
    for quote in scored[1:]:
        if len(chosen) == MAX_QUOTES or quote.score < SECOND_WITHIN * best.score:
            break
        repeats = any(quote.text in q.text or q.text in quote.text for q in chosen)
        if not repeats and sum(len(q.text) for q in chosen) + len(quote.text) <= MAX_CHARS:
            chosen.append(quote)
    return chosen


def _rarity(asked: set[str], units: list[frozenset[str]]) -> dict[str, float]:
    """Inverse document frequency of each question word over the candidate sentences."""
    count = len(units)
    return {word: math.log(1 + count / (1 + sum(word in u for u in units))) for word in asked}


def lead_text(quotes: list[Quote]) -> str:
    """The quotes as Markdown block quotes, each followed by its citation ("[2]")."""
    blocks = []
    for quote in quotes:
        lines = quote.text.split("\n")
        lines[0] = f"{lines[0]} [{quote.source}]"
        blocks.append("\n>\n".join(f"> {line}" for line in lines))
    return "\n\n".join(blocks)


def lead_claims(quotes: list[Quote]) -> list[Claim]:
    """Quotations are supported by construction: the passage says them word for word.

    One claim per quoted line, written as in :func:`lead_text` (the citation on the first line).
    """
    claims = []
    for quote in quotes:
        first, *rest = quote.text.split("\n")
        claims.append(Claim(f"{first} [{quote.source}]", [quote.source], True, 1.0))
        claims.extend(Claim(line, [quote.source], True, 1.0) for line in rest)
    return claims
