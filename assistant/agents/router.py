"""The router: which agent serves a request (``chat``, ``documents``, ``writing`` or ``complex``), and why.

Each request is embedded with the already-loaded embedder and compared with labelled examples
(``router_examples``): a route's score is the mean similarity of its three nearest examples, nudged by
cheap cues in the wording (a writing verb up front, pasted text after it, "my documents", a code block,
maths). A softmax over the scores gives the confidence; when the top two routes are close the decision
is marked ``unsure`` and the window invites the person to choose.

One request costs one embedding of at most a few hundred characters (a long message is embedded by its
beginning and end, where the instruction is), tens of milliseconds on one CPU thread. The examples are
embedded once, on first use or on :meth:`Router.warm`.

Without indexed documents, a request that plainly asks what the person's own files say ("based on my
meeting notes, …", "what does my lease say…", with the documents route on top) still goes to ``documents``, with
the reason :data:`NO_DOCUMENTS`: the answer is then :data:`NO_DOCUMENTS_REPLY` (how to add documents),
never a reply invented by another agent. Any other request that only leans towards documents goes to
the next route, as there is nothing to search.

Requests in other languages: the bundled embedder is English-only, so a few cues in Korean, Japanese,
Chinese, German, French and Spanish (writing verbs such as "바꿔 주세요", "翻訳して", "übersetze";
"내 문서", "私のメモ") and a handful of examples carry them.

The route only decides which *local* agent answers. It never sends anything anywhere: a ``complex``
route at most makes the window *offer* the cloud, which the person must then approve.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

ROUTES = ("chat", "documents", "writing", "complex")
TOP_K = 3  # a route's score: the mean similarity of its TOP_K nearest examples
TEMPERATURE = 0.04  # softmax temperature over the scores (cosine similarities)
UNSURE_MARGIN = 0.15  # unsure when the top two probabilities are closer than this
CUE_BONUS = 0.06  # added to a route's score per matching cue ...
MAX_CUE_BONUS = 0.12  # ... up to this much
FAR_FROM_EXAMPLES = 0.2  # a best similarity under this: nothing is much like the request
HEAD_CHARS = 240  # a long message is embedded as its first HEAD_CHARS ...
TAIL_CHARS = 120  # ... and last TAIL_CHARS characters
PASTED_CHARS = 20  # of text pasted after a writing request, only the start is embedded
PASTED_BONUS = 0.1  # a writing request followed by pasted text
NO_DOCUMENTS = "no documents are indexed yet"
# What a documents question gets while the library is empty: how to fill it, never a guess.
NO_DOCUMENTS_REPLY = (
    "Your library has no documents yet, so there is nothing to answer this from, and I will not guess. "
    "To add some, open the Library and click Add folder… or Add files… (or run `private-assistant index "
    "FOLDER`), then ask again once they are indexed. They stay on this computer."
)
_COUNT = r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|thirty|several)"

Embed = Callable[[Sequence[str]], Sequence[Sequence[float]]]

_POLITE = r"^\s*(?:(?:hi|hey|hello|ok|okay|so|please|pls|kindly|can you|could you|would you|will you|help me|"
_POLITE += r"i need you to|i'd like you to|i want you to)[\s,!]+)*"
_THIS = r"(?:this|these|that|it|my|the following|the text|the paragraph|the sentence)"
_WRITING_VERBS = (
    r"proof-?read|re-?write|rephrase|reword|translate|summari[sz]e|shorten|condense|draft|compose|polish|edit|"
    r"correct|tighten|simplify|paraphrase|tidy up|clean up|punch up|copy-?edit|"
    rf"(?:make|turn|put|expand|fix|improve|check|continue)\s+{_THIS}|"
    r"(?:fix|check|correct)\s+(?:the\s+)?(?:grammar|spelling|typos|punctuation|wording|tone)"
)
_WRITTEN_THINGS = (
    r"e-?mail|letter|note|message|post|poem|haiku|limerick|story|speech|toast|bio|caption|description|"
    r"cover letter|reply|response|text|tweet|review|paragraph|essay|invitation|card|announcement|slogan|"
    r"tagline|headline|blurb|memo|apology|eulogy|newsletter|ad|advert"
)
# Writing requests in other languages, where the verb often comes last: a task word anywhere.
_FOREIGN_WRITING = (
    r"번역|요약|맞춤법|교정|공손하게|정중하게|격식\s*있게|(?:바꿔|바꾸어|고쳐|다듬어|다시\s*써|써|작성해|줄여|늘려)\s*(?:주세요|줘|주실래요|주시겠어요|주십시오)|"
    r"翻訳|訳して|要約|校正|添削|書き直|言い換え|丁寧に|(?:直し|書い|短くし|まとめ)て(?:ください|くれ|下さい)|"
    r"翻译|总结一下|润色|改写|校对|修改一下|(?:写|起草)一(?:封|篇|首|段)|"
    r"\b(?:übersetze|formuliere|korrigiere|fasse|schreib(?:e)?\s+(?:mir\s+)?(?:eine?n?|den|die|das)|"
    r"traduis|traduire|reformule|corrige|résume|rédige|écris-moi|"
    r"traduce|traducir|reescribe|corrige|resume|redacta|escríbeme)\b"
)
_DOC_NOUNS = (
    r"documents?|docs|files?|notes|pdfs?|reports?|contracts?|lease|manuals?|library|folders?|handbook|policy|"
    r"letters?|minutes|journal|diary|transcripts?|invoices?|receipts?|statements?|paperwork|records|"
    r"spreadsheets?|slides|papers?|thesis|dissertation|syllabus|agreement|scans?|uploads|collection|"
    r"bills?|payslips?|certificates?|warranty|will"
)

# Cues: (pattern, reason or "" for a silent nudge). Each match adds CUE_BONUS to its route's score.
_CUES: dict[str, list[tuple[re.Pattern[str], str]]] = {
    "documents": [
        (re.compile(rf"\b(?:my|our)\s+(?:own\s+)?(?:[\w'-]+\s+)?(?:{_DOC_NOUNS})\b", re.I), "mentions your documents"),
        (
            re.compile(
                r"\b(?:I|we)\s+(?:have\s+|just\s+)?(?:indexed|uploaded|added|saved|scanned|imported|stored)\b|"
                r"\bindexed\b|\bin (?:my|the) library\b",
                re.I,
            ),
            "refers to files you added",
        ),
        (
            re.compile(
                r"(?<![가-힣])(?:내|제|우리|저희)(?:\s+|의\s*)(?:[가-힣]+\s+)?(?:문서|파일|메모|노트|자료|회의록|보고서|계약서|기록)|"
                r"(?:私|僕|我々|うち)の\S{0,6}?(?:文書|ファイル|メモ|ノート|資料|議事録|契約書)|"
                r"我(?:的|们的)\S{0,6}?(?:文档|文件|笔记|资料|会议记录|合同)",
            ),
            "mentions your documents",
        ),
        (
            re.compile(
                rf"\baccording to (?:my|our|the)\s+\w+|\b(?:search|check|look (?:in|through)|go through|find in)\s+"
                rf"(?:my|our)\b|\bwhat does (?:my|our|the) [\w' -]{{1,30}}? say\b|"
                rf"\b(?:summari[sz]e|sum up|recap|go over)\s+(?:my|our)\b|"
                rf"\b(?:in|from|within)\s+(?:my|our)\s+(?:own\s+)?(?:[\w'-]+\s+)?(?:{_DOC_NOUNS})\b",
                re.I,
            ),
            "",
        ),
    ],
    "writing": [
        (re.compile(rf"{_POLITE}(?:{_WRITING_VERBS})\b", re.I), "starts with a writing task"),
        (re.compile(_FOREIGN_WRITING, re.I), "asks for writing help"),
        (
            re.compile(
                rf"\b(?:write|draft|compose|pen)\s+(?:me\s+|up\s+)?(?:a|an|the|some)\s+(?:[\w'-]+\s+){{0,3}}?"
                rf"(?:{_WRITTEN_THINGS})s?\b",
                re.I,
            ),
            "asks for a piece of writing",
        ),
    ],
    "complex": [
        (
            re.compile(
                r"```|^\s*(?:def|class|fn|func|function|struct|impl)\s+\w+\s*[(:{<]|"
                r"^\s*(?:#include|import \w+|from \w+ import|SELECT|public|private|return)\b|;\s*$|\{\s*$",
                re.M,
            ),
            "contains code",
        ),
        (
            re.compile(
                r"\b(?:write|implement|code|build|debug|refactor|port|program)\b[^.?!\n]{0,60}\bin (?:C\+\+|C#|C|"
                r"Rust|Go|Golang|Python|Java|JavaScript|TypeScript|Kotlin|Swift|Haskell|Scala|Ruby|PHP|SQL|Zig)(?!\w)",
                re.I,
            ),
            "a programming task",
        ),
        (
            re.compile(
                r"\b(?:prove|proof|derive|derivation|integral|eigen\w*|theorem|lemma|complexity|algorithm|"
                r"architect\w*|optimi[sz]e|implement|step[- ]by[- ]step|show (?:your|the|all) work(?:ing)?|"
                r"trade-?offs?|in depth|rigorous\w*|formal(?:ly)? (?:proof|argument))\b|"
                r"\bdesign (?:a|an|the) (?:[\w-]+\s+){0,3}?(?:system|schema|database|api|architecture|algorithm|"
                r"protocol|experiment|pipeline|service|network|cache|scheduler|flow|model)s?\b",
                re.I,
            ),
            "asks for multi-step reasoning, design or maths",
        ),
        (
            re.compile(
                r"[∫∑∏√∀∃∈≤≥∞∂]|[A-Za-z)]\s*\^\s*\d|\b\d*[a-z]\s*[-+*/]\s*\d*[a-z0-9]+\s*=|"
                rf"\b{_COUNT}[- ](?:day|week|month)\b[^.?!]{{0,40}}\b(?:plan|itinerary|schedule|programme|program)\b|"
                rf"\b(?:plan|itinerary|schedule)\b[^.?!]{{0,60}}\b(?:{_COUNT}[- ](?:day|week|month)|day[- ]by[- ]day|"
                r"week[- ]by[- ]week)",
                re.I,
            ),
            "contains maths or a multi-step plan",
        ),
    ],
}

# Without documents, only a request that asks what the person's files *say* goes to documents (to be
# told how to add them): "based on my notes", "what does my lease say", "in the files I uploaded".
_ABOUT_THEIR_FILES = re.compile(
    rf"\b(?:based on|according to|going by|in|from|out of|within|per)\s+(?:my|our)\s+(?:own\s+)?(?:[\w'-]+\s+)?"
    rf"(?:{_DOC_NOUNS})\b|\b(?:according to|in|from) the\s+(?:[\w'-]+\s+)?(?:{_DOC_NOUNS}|manual|guide)\b|"
    rf"\b(?:what|where) (?:does|do|did) (?:my|our|the) [\w' -]{{1,30}}? (?:say|state|mention|talk)\b|"
    rf"\b(?:my|our)\s+(?:[\w'-]+\s+)?(?:{_DOC_NOUNS})\s+(?:says?|said|mentions?|states?|talks?)\b|"
    r"\bwhat did (?:I|we) (?:note|write|jot|record|save)\b|"
    r"\b(?:search|check|look (?:in|through)|go through|find in)\s+(?:my|our)\b|"
    r"\b(?:I|we)\s+(?:have\s+|just\s+)?(?:indexed|uploaded|added|saved|scanned|imported)\b|\bin (?:my|the) library\b|"
    r"(?<![가-힣])(?:내|제|우리|저희)(?:\s+|의\s*)(?:[가-힣]+\s+)?(?:문서|파일|메모|노트|자료|회의록|보고서|계약서|기록)\S{0,2}"
    r"(?:에서|에 따르면|에 의하면|을 보면|를 보면|에는|엔)|"
    r"(?:私|僕|我々|うち)の\S{0,6}?(?:文書|ファイル|メモ|ノート|資料|議事録|契約書)(?:によると|では|に|から)|"
    r"我(?:的|们的)\S{0,6}?(?:文档|文件|笔记|资料|会议记录|合同)(?:里|中|上)",
    re.I,
)
# A writing verb in the first line (or before the first colon), then text to work on.
_PASTED = re.compile(r"^(?P<ask>[^\n:：]{0,160})(?::|：|\n)\s*(?P<text>\S[\s\S]{59,})$")
_ASK_TO_WRITE = re.compile(rf"\b(?:{_WRITING_VERBS})\b|{_FOREIGN_WRITING}", re.I)


@dataclass(frozen=True)
class RouteDecision:
    """Where a request goes: ``route`` (one of ROUTES), ``confidence`` in [0, 1], 1-3 short ``reasons``."""

    route: str
    confidence: float
    reasons: tuple[str, ...]
    unsure: bool = False

    def to_json(self) -> dict[str, object]:
        return {"route": self.route, "confidence": round(self.confidence, 3), "reasons": list(self.reasons)}


class Router:
    """Routes requests by similarity to labelled examples. Thread-safe; examples embedded once, lazily.

    Args:
        embed: texts to unit-length vectors (``Embedder().embed``); called once with every example,
            then once per request with one text.
        examples: (text, route) pairs; default ``router_examples.EXAMPLES``.
    """

    def __init__(self, embed: Embed, examples: Sequence[tuple[str, str]] | None = None) -> None:
        if examples is None:
            from assistant.agents.router_examples import EXAMPLES

            examples = EXAMPLES
        unknown = {route for _, route in examples} - set(ROUTES)
        if unknown:
            raise ValueError(f"unknown routes in the examples: {sorted(unknown)}")
        if not examples:
            raise ValueError("the router needs at least one example")
        self._embed = embed
        self._examples = list(examples)
        self._by_route = {r: [i for i, (_, route) in enumerate(self._examples) if route == r] for r in ROUTES}
        self._by_route = {r: indices for r, indices in self._by_route.items() if indices}
        self._vectors: Any = None  # numpy matrix, one unit row per example
        self._lock = threading.Lock()

    def _example_vectors(self) -> Any:
        import numpy as np

        with self._lock:
            if self._vectors is None:
                vectors = np.asarray(self._embed([text for text, _ in self._examples]), dtype=np.float32)
                norms = np.linalg.norm(vectors, axis=1, keepdims=True)
                self._vectors = vectors / np.maximum(norms, 1e-12)
            return self._vectors

    def warm(self) -> None:
        """Embed the examples now (e.g. right after the app starts), so the first request is fast."""
        self._example_vectors()

    def route(self, text: str, *, has_documents: bool = True) -> RouteDecision:
        """Decide the route of one request.

        ``has_documents=False`` (the library is empty): ``documents`` only for a request that plainly
        asks about the person's files, with :data:`NO_DOCUMENTS` among the reasons (answer it with
        :data:`NO_DOCUMENTS_REPLY`); any other request goes elsewhere.
        """
        if not text.strip():
            return RouteDecision("chat", 0.0, ("empty message",), unsure=True)
        import numpy as np

        vectors = self._example_vectors()
        query = np.asarray(self._embed([_for_embedding(text)])[0], dtype=np.float32)
        similarities = (vectors @ (query / max(float(np.linalg.norm(query)), 1e-12))).tolist()

        scores: dict[str, float] = {}
        nearest: dict[str, tuple[float, str]] = {}  # per route: its most similar example
        for route, indices in self._by_route.items():
            best = sorted(((similarities[i], i) for i in indices), reverse=True)[:TOP_K]
            scores[route] = sum(s for s, _ in best) / len(best)
            nearest[route] = (best[0][0], self._examples[best[0][1]][0])
        cue_reasons = _cues(text)
        for route, (bonus, _) in cue_reasons.items():
            if route in scores:
                scores[route] += bonus

        notes: list[str] = []
        if not has_documents and "documents" in scores:
            on_top = max(scores, key=scores.__getitem__) == "documents"
            if on_top and _ABOUT_THEIR_FILES.search(text):  # plainly about their files: say how to add them
                notes.append(NO_DOCUMENTS)
            else:
                if on_top and len(scores) > 1:
                    notes.append(NO_DOCUMENTS)
                del scores["documents"]
        if not scores:  # only documents examples, and no documents
            return RouteDecision("chat", 0.0, (NO_DOCUMENTS,), unsure=True)

        ranked = sorted(scores, key=scores.__getitem__, reverse=True)
        probabilities = _softmax(scores)
        route = ranked[0]
        confidence = probabilities[route]
        runner_up = ranked[1] if len(ranked) > 1 else None
        unsure = runner_up is not None and confidence - probabilities[runner_up] < UNSURE_MARGIN
        best_similarity, best_example = nearest[route]
        reasons = [*cue_reasons.get(route, (0.0, []))[1][:1]]
        if best_similarity < FAR_FROM_EXAMPLES:
            reasons.append("not much like any example")
            unsure = True
        else:
            reasons.append(f"similar to “{_short(best_example)}”")
        reasons += notes
        if unsure and runner_up is not None:
            reasons.append(f"could also be {runner_up}")
        return RouteDecision(route, min(max(confidence, 0.0), 1.0), tuple(reasons[:3]), unsure)


def _for_embedding(text: str) -> str:
    """The part of a message that says what is wanted.

    A writing request with pasted text: the request and the start of the text (the text itself, say a
    report to proofread, would otherwise pull towards its own subject). Another long message: its
    beginning and end, where a request usually is. A short one: all of it.
    """
    pasted = _split_pasted(text)
    if pasted is not None:
        ask, body = pasted
        text = f"{ask.strip()}: {body[:PASTED_CHARS]}" if PASTED_CHARS else ask
    text = " ".join(text.split())
    if len(text) <= HEAD_CHARS + TAIL_CHARS + 40:
        return text
    return f"{text[:HEAD_CHARS]} … {text[-TAIL_CHARS:]}"


def _cues(text: str) -> dict[str, tuple[float, list[str]]]:
    """Per route: the score bonus from cues in the wording, and the reasons they give."""
    found: dict[str, tuple[float, list[str]]] = {}
    for route, cues in _CUES.items():
        hits = [reason for pattern, reason in cues if pattern.search(text)]
        bonus = CUE_BONUS * len(hits)
        if route == "writing" and _split_pasted(text) is not None:
            hits.insert(0, "includes text to work on")
            bonus += PASTED_BONUS
        if hits:
            found[route] = (min(bonus, MAX_CUE_BONUS), [h for h in hits if h])
    return found


def _split_pasted(text: str) -> tuple[str, str] | None:
    """(request, text to work on) when the first line (or what precedes a colon) asks for writing help."""
    match = _PASTED.match(text.strip())
    if match and _ASK_TO_WRITE.search(match["ask"]):
        return match["ask"], match["text"]
    return None


def _softmax(scores: dict[str, float]) -> dict[str, float]:
    top = max(scores.values())
    weights = {route: math.exp((score - top) / TEMPERATURE) for route, score in scores.items()}
    total = sum(weights.values())
    return {route: weight / total for route, weight in weights.items()}


def _short(text: str, limit: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
