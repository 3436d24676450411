"""The best sentences of the passages for a question, quoted with their source numbers.

A model under about a billion parameters reads five passages and still often answers with
something they never said. The sentence that answers the question is usually already in the
top passages, so the answer leads with it, word for word, before the model's own wording:
the person always sees something true from their documents.

A sentence is scored by its closeness in meaning to the question (the bundled embedder), by
the share of the question's rarer words it contains (a word found in few passage sentences
tells them apart; "tar" matters more than "file") and by how close its whole passage came to
the question in the search. A sentence is embedded under its passage's headings ("tar:
Extract an archive"): the same line means different things on different pages, and the
heading says which page it is on. A sentence right above code ("Extract an archive:", "Remove
a column as follows.") is quoted together with that code (``claims.passage_units``), as tldr
pages, READMEs and Sphinx examples write them; such a pair answers a "how do I" question better
than a page's summary line, and gets a small bonus. Up to :data:`MAX_QUOTES` quotes are shown:
the runner-up lines often hold the answer when the best one only introduces it. Nothing is quoted when the
best sentence scores under :data:`LEAD_MIN`: the passages probably do not answer the question.
(The weights were set on the dev questions of bench/answers_tldr.json with bench/bench_lead.py;
a tenth either way changes little.)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.agents import sentences
from assistant.agents.claims import Claim, Evidence, Unit, similarities

LEAD_MIN = 0.7  # a weaker best sentence is not quoted: it probably does not answer the question
SECOND_WITHIN = 0.8  # a second sentence is quoted when it scores this close to the best
MAX_QUOTES = 3
MAX_CHARS = 600  # of the quoted text in all
TOP_PASSAGES = 3
MEANING_WEIGHT = 0.6  # the rest is the rare-word overlap
COMMAND_BONUS = 0.1  # a description with its command answers "how do I" better than a summary line
PASSAGE_WEIGHT = 0.5  # times the passage's own similarity to the question (from the search)
UNKNOWN_RELEVANCE = 0.5  # a passage's similarity when the caller does not say (a typical top passage's)


@dataclass(frozen=True)
class Quote:
    """A sentence (or a description and its command) quoted from source ``source`` (1-based)."""

    text: str
    source: int
    score: float
    code: int = 0  # how many of the last lines of ``text`` are code


def best_quotes(
    question: str,
    evidence: Evidence,
    top_passages: int = TOP_PASSAGES,
    headings: Sequence[str] | None = None,
    relevance: Sequence[float] | None = None,
) -> list[Quote]:
    """The sentence(s) of the first ``top_passages`` passages that best answer ``question``.

    ``headings``: each passage's title and headings ("tar", "Tables > Modifying a table"), which
    a sentence is embedded under; ``relevance``: each passage's similarity to the question in the
    search (0 for a passage found by keywords only; :data:`UNKNOWN_RELEVANCE` when not given).
    Empty when even the best sentence scores under :data:`LEAD_MIN`.
    """
    candidates = [
        (index, unit)
        for index, unit in enumerate(evidence.units)
        if unit.passage < top_passages and (len(unit.words) >= 2 or "\n" in unit.text)
    ]
    if not candidates:
        return []
    asked = set(sentences.content_words(question))
    meaning = _meaning(question, [unit for _, unit in candidates], evidence, headings)
    rarity = _rarity(asked, [unit.words for _, unit in candidates])
    weight = sum(rarity.values())
    scored: list[Quote] = []
    for position, (_, unit) in enumerate(candidates):
        overlap = sum(rarity[w] for w in asked & unit.words) / weight if weight else 0.0
        similar = meaning[position] if meaning is not None else overlap
        score = MEANING_WEIGHT * similar + (1 - MEANING_WEIGHT) * overlap
        lines = unit.text.split("\n")
        pair = 0 < unit.code < len(lines)  # a description and the code under it (passage_units)
        head, code = "\n".join(lines[: len(lines) - unit.code]), "\n".join(lines[len(lines) - unit.code :])
        score += COMMAND_BONUS if pair else 0.0
        passage = relevance[unit.passage] if relevance is not None and unit.passage < len(relevance) else None
        score += PASSAGE_WEIGHT * (UNKNOWN_RELEVANCE if passage is None else passage)
        text = code if not head else _shown(head, code)  # code alone is quoted as written
        scored.append(Quote(text, unit.passage + 1, round(score, 3), unit.code))
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


def _shown(prose: str, code: str) -> str:
    """A unit as quoted: its prose on one line (hard-wrapped lines joined, "::" as ":"), its code under it."""
    lines = [sentences.strip_marker(line) for line in sentences.clean_markup(prose).split("\n")]
    text = " ".join(line for line in lines if line)
    text = text[:-1] if text.endswith("::") else text
    return f"{text}\n{code}" if code else text


def _meaning(
    question: str, units: list[Unit], evidence: Evidence, headings: Sequence[str] | None
) -> list[float] | None:
    """Cosine of the question with each unit's meaning under its passage's headings (None: no embedder)."""
    if evidence.embed is None:
        return None

    def under(unit: Unit) -> str:
        heading = headings[unit.passage].strip() if headings and unit.passage < len(headings) else ""
        return f"{heading}: {unit.meaning}" if heading else unit.meaning

    vectors = evidence.embed([question, *(under(unit) for unit in units)])
    return similarities(vectors[:1], vectors[1:])[0]


def _rarity(asked: set[str], units: list[frozenset[str]]) -> dict[str, float]:
    """Inverse document frequency of each question word over the candidate sentences."""
    count = len(units)
    return {word: math.log(1 + count / (1 + sum(word in u for u in units))) for word in asked}


def lead_text(quotes: list[Quote]) -> str:
    """The quotes as Markdown block quotes, each with its citation ("[2]") after its sentence; code of
    more than one line (or not already in backticks) as a code block inside the quote, and code quoted
    alone with its citation under it."""
    blocks = []
    for quote in quotes:
        lines = quote.text.split("\n")
        prose, code = lines[: len(lines) - quote.code], lines[len(lines) - quote.code :]
        cite = f"[{quote.source}]"
        if prose:
            prose[0] = f"{prose[0]} {cite}"
        if code and (len(code) > 1 or not code[0].startswith("`")):
            fence = "~~~" if any("```" in line for line in code) else "```"
            code = [fence, *code, fence]
            parts = ["\n>\n".join(f"> {line}" for line in prose)] if prose else []
            parts.append("\n".join(f"> {line}" for line in code))
            if not prose:
                parts.append(f">\n> {cite}")
            blocks.append("\n".join(parts))
        else:
            shown = [*prose, *code]
            shown[0] = shown[0] if prose else f"{shown[0]} {cite}"
            blocks.append("\n>\n".join(f"> {line}" for line in shown))
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
