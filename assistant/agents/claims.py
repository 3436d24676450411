"""Each sentence of a documents answer, checked against the passages it cites.

A small model writes fluent sentences its sources never said: a changed number, another
person's name, a "not" that flips the meaning, a citation of a source that does not exist.
Meaning alone (embedding similarity) misses exactly these, because such a sentence *is*
close in meaning to the passage. So a sentence is supported only when it is close in meaning
to the passages it cites (the bundled embedder, against each passage sentence) and shares
their words, and every number and name it states appears in them, and it says "not" where the
passage does (and only there). A sentence that cites no source is checked against them all.

What is a claim: a sentence, list item or line of code that states something, i.e. has at least
two content words (or one, with a number). Lead-ins ending in ":" ("Here is the answer:"),
questions, greetings, code comments and the refusal are not claims and are never marked. A command
or option a sentence shows as code must appear in the passage as written ("-C", "tar"): a tool or
flag the passage does not show is invented, however close the rest of the sentence is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from assistant.agents import sentences
from assistant.agents.sentences import Segment

EmbedFn = Callable[[Sequence[str]], list[list[float]]]

SUPPORTED = 0.6  # combined score (meaning and words) a sentence needs
SUPPORTED_WORDS_ONLY = 0.6  # share of content words when there is no embedder
SUPPORTED_CODE = 0.8  # share of a code line's words the passage must have
MEANING_WEIGHT = 0.6  # of the combined score; the rest is the share of shared content words
CODE_LINES = 6  # of the code a description introduces, quoted with it
CODE_CHARS = 360
_UNIT_CHARS = 200  # a passage sentence is embedded up to this length (the longest pads the batch)
NEAREST_UNITS = 2  # passage sentences embedded per claim (those sharing most of its words)

# Words that start answer sentences without being names ("Use tar ...", "Finally, ...").
COMMON_STARTS = frozenset(
    """use run open click type install add set go see try make check select press enter create remove delete
    call note first second then next finally however therefore additionally also overall instead otherwise
    generally typically usually simply to extract copy move list show find get change edit save start stop
    write read print display keep ask send view replace rename compress archive unpack download upload
    in on at for with from by as if when while after before during since unlike like yes no sure
    according based this that these those there it its they he she we you i my our your their the a an""".split()
)
_REFUSALS = re.compile(
    r"(?:did|could|can)(?: not|n't) find|cannot find|unable to (?:find|answer)|(?:cannot|can't) answer|"
    r"(?:sources?|documents?|passages?|context|text) (?:do|does|did)(?: not|n't) (?:contain|mention|say|include|"
    r"provide|state|specify)|no information|(?:do not|don't) know|"
    r"찾지 못|찾을 수 없|문서에 없|정보가 없|見つかりません|見つけられません|記載されていません|找不到|没有找到|未找到",
    re.I,
)


@dataclass(frozen=True)
class Claim:
    """One sentence of an answer and whether its sources bear it out.

    ``sources``: the 1-based source numbers it cites, as written (empty when it cites none).
    ``score``: 0..1, how strongly the passages support it (meaning and shared words), halved for
    each exact check it fails (a number, a name, a negation); 1.0 for a quotation.
    """

    text: str
    sources: list[int] = field(default_factory=list)
    supported: bool = False
    score: float = 0.0


@dataclass(frozen=True)
class Unit:
    """A sentence of a passage (a description line and the command under it count as one)."""

    passage: int  # 0-based
    text: str  # as written
    plain: str  # without Markdown and citations
    words: frozenset[str]
    meaning: str  # what is embedded: the plain text without links; for a command, its description
    code: int = 0  # how many of the last lines of ``text`` are code (all of them: a line of code alone)


class Evidence:
    """The passages of one answer, split into sentences, each embedded at most once.

    Embedding every passage sentence costs more than the check may add to an answer on a
    laptop CPU, so only the sentences that matter are embedded: for the lead, those of the top
    passages; for a claim, the few sentences of its cited passages that share most of its words.
    The lead and the check share what is already embedded.
    """

    def __init__(self, passages: Sequence[str], embed: EmbedFn | None = None) -> None:
        self.passages = list(passages)
        self.embed = embed
        self.units = [unit for number, text in enumerate(self.passages) for unit in passage_units(number, text)]
        self.words = [frozenset(sentences.content_words(text)) for text in self.passages]
        self.tokens = [frozenset(sentences.words(text)) | frozenset(sentences.content_words(text)) for text in passages]
        self.numbers = [sentences.numbers(text) for text in self.passages]
        self.literal = [sentences.clean_markup(text).replace("{{", " ").replace("}}", " ") for text in self.passages]
        self.negated = [sentences.negated(unit.plain) for unit in self.units]
        self.vectors: dict[int, list[float]] = {}  # unit index -> its embedding

    def embed_with(self, units: Iterable[int], texts: Sequence[str]) -> list[list[float]] | None:
        """Embed ``texts`` and the ``units`` not embedded yet, in one batch; the texts' vectors.

        None without an embedder.
        """
        if self.embed is None:
            return None
        missing = [i for i in dict.fromkeys(units) if i not in self.vectors]
        batch = [self.units[i].meaning for i in missing] + list(texts)
        vectors = self.embed(batch) if batch else []
        self.vectors.update(zip(missing, vectors, strict=False))
        return vectors[len(missing) :]


_LINK = re.compile(r"<?https?://\S+>?")


def passage_units(number: int, text: str) -> list[Unit]:
    """The sentences of a passage; a sentence right above code keeps that code (up to
    :data:`CODE_LINES` lines, indented as written). It introduces the code ("Remove a column:",
    "Add a row as follows."), and answers nothing without it: the ``t.remove_column('b')`` that
    a documentation page often writes on the third line of its example. A line of code with no
    sentence above it is a unit of its own, all code."""
    segments = sentences.split(text)
    units: list[Unit] = []
    index = 0
    while index < len(segments):
        segment = segments[index]
        written, meaning = segment.text, sentences.plain(_LINK.sub("", segment.text))
        code: list[Segment] = [segment] if segment.code else []
        while not segment.code and index + 1 < len(segments) and segments[index + 1].code and len(code) < CODE_LINES:
            following = segments[index + 1]
            if sum(len(c.text) for c in code) + len(following.text) > CODE_CHARS:
                break  # a line that long (minified code, a data dump) is not quoted
            code.append(following)
            index += 1
        base = min((c.indent for c in code), default=0)
        lines = [" " * (c.indent - base) + c.text for c in code]
        written = "\n".join(lines if segment.code else [written, *lines])
        index += 1
        plain = sentences.plain(written)
        words = frozenset(sentences.content_words(_LINK.sub("", plain)))
        if words and sentences.content_words(meaning):
            units.append(Unit(number, written, plain, words, meaning[:_UNIT_CHARS], len(code)))
    return units


def is_refusal(text: str) -> bool:
    """Does the reply (or sentence) say the documents do not hold the answer?"""
    return bool(_REFUSALS.search(text))


def is_claim(segment: Segment) -> bool:
    body = sentences.plain(segment.text)
    if not body or is_refusal(body):
        return False
    if segment.code:
        # A comment says nothing about the documents; a one-word line ("json {", "fi") hardly more.
        return len(sentences.content_words(body)) >= 2 and not segment.text.lstrip("`").startswith(("#", "//"))
    if body.endswith((":", "?", "？", "：")):
        return False
    content = sentences.content_words(body)
    return len(content) >= 2 or (len(content) == 1 and bool(sentences.numbers(body)))


def check(text: str, evidence: Evidence) -> list[Claim]:
    """The claims of ``text`` (see the module docstring), each checked against ``evidence``."""
    segments = [s for s in sentences.split(text) if is_claim(s)]
    bodies = [sentences.plain(s.text) for s in segments]
    nearest = [_nearest_units(segment, body, evidence) for segment, body in zip(segments, bodies, strict=True)]
    vectors = evidence.embed_with([i for units in nearest for i in units], bodies) if segments else None
    claims = []
    for index, (segment, body) in enumerate(zip(segments, bodies, strict=True)):
        meaning: dict[int, float] | None = None
        if vectors is not None:
            embedded = [i for i in evidence.vectors if evidence.units[i].passage in _chosen(segment, evidence)]
            row = similarities([vectors[index]], [evidence.vectors[i] for i in embedded])[0]
            meaning = dict(zip(embedded, row, strict=True))
        claims.append(_judge(segment, body, evidence, meaning))
    return claims


def _chosen(segment: Segment, evidence: Evidence) -> list[int]:
    """The passages (0-based) a sentence is checked against: those it cites, else all."""
    cited = sentences.citations(segment.text)
    return [n - 1 for n in cited if 0 < n <= len(evidence.passages)] or list(range(len(evidence.passages)))


def _nearest_units(segment: Segment, body: str, evidence: Evidence) -> list[int]:
    """The sentences of the chosen passages sharing most words with ``body``: worth embedding."""
    content = set(sentences.content_words(body))
    chosen = _chosen(segment, evidence)
    ranked = sorted(
        (i for i, unit in enumerate(evidence.units) if unit.passage in chosen),
        key=lambda i: len(content & evidence.units[i].words),
        reverse=True,
    )
    return ranked[:NEAREST_UNITS]


def similarities(rows: Sequence[Sequence[float]], columns: Sequence[Sequence[float]]) -> list[list[float]]:
    """Cosine similarity of every row vector with every column vector."""
    import numpy as np

    if not rows or not columns:
        return [[] for _ in rows]
    a, b = np.asarray(rows, dtype=np.float32), np.asarray(columns, dtype=np.float32)
    a /= np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-9)
    b /= np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-9)
    product: list[list[float]] = (a @ b.T).tolist()
    return product


def _judge(segment: Segment, body: str, evidence: Evidence, meaning: dict[int, float] | None) -> Claim:
    cited = sentences.citations(segment.text)
    count = len(evidence.passages)
    if not count or any(n < 1 or n > count for n in cited):
        return Claim(segment.text, cited, False, 0.0)
    content = set(sentences.content_words(body))

    def share(words: frozenset[str]) -> float:
        return len(content & words) / len(content) if content else 0.0

    # The closest passage sentence in meaning and words: its "not" must agree with the claim's,
    # and a claim that cites nothing must be borne out by its passage alone, not by a mix of all.
    chosen = _chosen(segment, evidence)
    fits = {
        i: (meaning.get(i, 0.0) if meaning else 0.0) + share(unit.words)
        for i, unit in enumerate(evidence.units)
        if unit.passage in chosen
    }
    best_unit = max(fits, key=lambda i: fits[i]) if fits else -1
    if not cited and best_unit >= 0:
        chosen = [evidence.units[best_unit].passage]
    best_meaning = (
        max((meaning.get(i, 0.0) for i in fits if evidence.units[i].passage in chosen), default=0.0) if meaning else 0.0
    )
    overlap = share(frozenset().union(*(evidence.words[i] for i in chosen)))

    if segment.code:
        base, threshold = overlap, SUPPORTED_CODE
    elif meaning is None:
        base, threshold = overlap, SUPPORTED_WORDS_ONLY
    else:
        base, threshold = MEANING_WEIGHT * best_meaning + (1 - MEANING_WEIGHT) * overlap, SUPPORTED

    passage_tokens = frozenset().union(*(evidence.tokens[i] for i in chosen))
    failed = 0
    if sentences.numbers(body) - set().union(*(evidence.numbers[i] for i in chosen)):
        failed += 1  # a number the passages do not state
    if any(not set(sentences.words(name)) <= passage_tokens for name in sentences.names(body, COMMON_STARTS)):
        failed += 1  # a name they do not mention
    if best_unit >= 0 and not segment.code and sentences.negated(body) != evidence.negated[best_unit]:
        failed += 1  # "not" where the passage has none, or none where it has one
    literal = "\n".join(evidence.literal[i] for i in chosen)
    if any(not _written_in(term, literal) for term in command_terms(segment)):
        failed += 1  # a command or option they do not show
    score = max(0.0, min(1.0, base)) * 0.5**failed
    return Claim(segment.text, cited, not failed and base >= threshold, round(score, 3))


_INLINE_CODE = re.compile(r"`([^`]+)`")


def command_terms(segment: Segment) -> list[str]:
    """The command names and options a sentence shows as code ("tar", "-C", "--directory").

    A model that names a tool or a flag the passage does not show has invented it, however close
    the rest of its sentence is; arguments (paths, placeholders) may differ and are not listed.
    """
    spans = [segment.text.strip().strip("`")] if segment.code else _INLINE_CODE.findall(segment.text)
    terms: list[str] = []
    for span in spans:
        pieces = sentences.strip_citations(span).removeprefix("$ ").split()
        for position, piece in enumerate(pieces):
            piece = piece.strip("\"'.,;:()")
            if piece.startswith("-") and len(piece) > 1 and piece.lstrip("-")[:1].isalpha():
                terms.append(piece.split("=")[0])
            elif position == 0 and re.fullmatch(r"[A-Za-z][\w.+-]*", piece):
                terms.append(piece)
    return terms


def _written_in(term: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text) is not None


def supported_text(claims: Sequence[Claim]) -> str:
    """The supported claims, as a paragraph (code lines on their own lines)."""
    lines: list[str] = []
    for claim in claims:
        if not claim.supported:
            continue
        if claim.text.startswith("`") or not lines or lines[-1].startswith("`"):
            lines.append(claim.text)
        else:
            lines[-1] += " " + claim.text
    return "\n\n".join(lines)
