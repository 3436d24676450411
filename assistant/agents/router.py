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

Requests in other languages: the bundled embedder reads English, so a request in Hangul, kana or Han is
also compared with the examples in its script by character pairs (:class:`_Lexicon`), its embedding
similarities count for less, and it goes to ``documents`` only when it names a document. Cues in Korean,
Japanese, Chinese, German, French and Spanish (writing verbs such as "바꿔 주세요", "翻訳して",
"übersetze"; documents: "계약서에 따르면", "アップロードした", "laut meinem Vertrag"; proofs, design, algorithms:
"증명", "設計", "算法", "Entwirf") carry the rest. `bench/bench_router_languages.py` measures per language.

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
LEXICAL_WEIGHT = 0.5  # weight of the character-pair similarity (Hangul, kana, Han) beside the embedding's
EMBEDDING_FLOOR = 0.4  # the embedding similarity's weight for a request written wholly in those scripts
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

# The same signals in Korean, Japanese, Chinese, German and Spanish. Documents: a document noun with a
# particle that makes it the source ("계약서에", "회의록에서", "契約書に", "合同里"), or a file the person
# added ("올린", "저장해 둔", "アップロードした", "上传的", "hochgeladen", "subí").
_DOC_NOUNS_KO = (
    r"문서|파일|메모|노트|자료|회의록|보고서|계약서|기록|약관|설명서|매뉴얼|영수증|명세서|고지서|논문|일기|규정|"
    r"결과지|서류|증권|핸드북|안내서|계획서|리포트|견적서|신청서|증명서|청구서|스캔본|사본|PDF"
)
_DOC_NOUNS_JA = r"文書|ファイル|メモ|ノート|資料|議事録|契約書|報告書|論文|マニュアル|説明書|領収書|規約|日記|PDF"
_DOC_NOUNS_ZH = r"文档|文件|笔记|资料|会议记录|合同|报告|论文|说明书|手册|收据|发票|保险单|日记|记录|PDF"
_ADDED_FILES = (
    r"(?:올린|올려\s*둔|업로드한|저장한|저장해\s*둔|추가한|넣은|넣어\s*둔|스캔한|색인한|인덱싱한)\s*(?:[가-힣]+\s+){0,2}"
    rf"[가-힣]*(?:{_DOC_NOUNS_KO})|"
    r"(?:アップロードした|保存した|追加した|スキャンした|登録した)|(?:上传|保存|添加|导入|扫描)(?:的|了的)|"
    r"\b(?:hochgeladen\w*|gespeichert\w*|eingescannt\w*|indexiert\w*)\b|"
    r"\b(?:sub[ií]|guard[ée]|cargu[ée]|escane[ée]|a[ñn]ad[ií])\b"
)
_DOC_SOURCE = (
    rf"(?<![가-힣])[가-힣]*(?:{_DOC_NOUNS_KO})들?\s*(?:에서|에\s*따르면|에\s*의하면|에는|에|을\s*보면|를\s*보면|\s*보면|중에)|"
    rf"(?:{_DOC_NOUNS_JA})(?:によると|では|には|に|から|の中)|"
    rf"(?:根据|按照)\S{{0,8}}?(?:{_DOC_NOUNS_ZH})|(?:{_DOC_NOUNS_ZH})(?:里|中|上)|"
    r"\b(?:laut|gemäß|in)\s+(?:meine[mnrs]?|unsere[mnrs]?|den|dem|der)\s+(?:\w+\s+)?"
    r"\w*(?:vertrag|verträge|protokoll|notiz|unterlage|dokument|datei|bericht|rechnung|handbuch|akte)\w*|"
    r"\b(?:meine[mnrs]?|unsere[mnrs]?)\s+\w*(?:vertrag|protokoll|notiz|unterlage|dokument|datei|bericht|rechnung|"
    r"handbuch|akte)\w*|"
    r"\b(?:seg[uú]n|en)\s+(?:mis?|nuestr[oa]s?|el|la|los|las)\s+(?:\w+\s+)?(?:contratos?|actas?|notas?|documentos?|"
    r"archivos?|informes?|facturas?|manual(?:es)?|apuntes|recibos?)\b|"
    r"\b(?:mis?|nuestr[oa]s?)\s+(?:contratos?|actas?|notas?|documentos?|archivos?|informes?|facturas?|manual(?:es)?|"
    r"apuntes|recibos?)\b"
)
# Complex: proofs, design, implementation, algorithms, analysis in depth, plans over many days.
_FOREIGN_COMPLEX = (
    r"증명|구현|설계|아키텍처|알고리즘|복잡도|단계별|엄밀|분석해|장단점|트레이드오프|최적화|점화식|적분|미분|방정식|"
    r"証明|実装|設計|アーキテクチャ|アルゴリズム|計算量|段階的|最適化|分析して|"
    r"证明|实现|设计|架构|算法|复杂度|推导|优化|分析一下|利弊|优缺点|"
    r"\b(?:beweise|beweis|implementier\w*|entw[ie]rf\w*|architektur|algorithm\w*|herleit\w*|optimier\w*|"
    r"schritt für schritt|vor- und nachteile|kompromisse)\b|"
    r"\b(?:demuestra|demostr\w*|implementa\w*|diseñ[ae]\w*|arquitectura|algoritmo\w*|deriva|optimiza\w*|"
    r"paso a paso|ventajas y desventajas|pros y contras)\b|"
    r"\d+\s*(?:일|주|주일|개월|달)\s*(?:동안|간)?\S*\s*(?:\S+\s+){0,4}?\S*(?:계획|일정|플랜|코스)|"
    r"\d+\s*(?:日間|週間|か月|ヶ月)\S{0,20}(?:計画|プラン|スケジュール|旅程)|"
    r"\d+\s*(?:天|周|个月)\S{0,20}(?:计划|行程|安排)"
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
        (re.compile(_ADDED_FILES, re.I), "refers to files you added"),
        (re.compile(_DOC_SOURCE, re.I), "asks what your documents say"),
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
        (re.compile(_FOREIGN_COMPLEX, re.I), "asks for multi-step reasoning, design or maths"),
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
    r"我(?:的|们的)\S{0,6}?(?:文档|文件|笔记|资料|会议记录|合同)(?:里|中|上)|"
    rf"{_ADDED_FILES}|{_DOC_SOURCE}",
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
        self._lexicon: _Lexicon | None = None
        self._lock = threading.Lock()

    def _example_vectors(self) -> Any:
        import numpy as np

        with self._lock:
            if self._vectors is None:
                vectors = np.asarray(self._embed([text for text, _ in self._examples]), dtype=np.float32)
                norms = np.linalg.norm(vectors, axis=1, keepdims=True)
                self._vectors = vectors / np.maximum(norms, 1e-12)
                self._lexicon = _Lexicon([text for text, _ in self._examples])
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
        assert self._lexicon is not None
        unread = _unread_share(text)  # the embedder's similarities mean little for Hangul, kana and Han
        if unread:
            scale = 1.0 - unread * (1.0 - EMBEDDING_FLOOR)
            similarities = [similarity * scale for similarity in similarities]
        for i, overlap in self._lexicon.similarities(text).items():
            similarities[i] += LEXICAL_WEIGHT * overlap

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
        if unread and "documents" in scores and "documents" not in cue_reasons:
            # Where similarities are weak evidence, a request that names no document is not about documents.
            scores["documents"] -= unread * CUE_BONUS

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


class _Lexicon:
    """Character-pair similarity to the examples, TF-IDF weighted: the router's sense of Korean, Japanese, Chinese.

    The bundled embedder reads English (and, less well, other Latin-script text); Hangul reaches it as
    broken jamo and much of kana and Han as unknown tokens. For those scripts, written with particles
    attached or without spaces, a request is compared with the examples in its script by character
    pairs ("계약서에" shares "계약", "약서" with "계약서를"); pairs every route's examples use ("주세",
    "뭐야") weigh little. Latin-script text has no features here (word features measured no better than
    the embedder alone, and cost English accuracy).
    """

    def __init__(self, texts: Sequence[str]) -> None:
        grams = [_grams(text) for text in texts]
        counts: dict[str, int] = {}
        for features in grams:
            for feature in features:
                counts[feature] = counts.get(feature, 0) + 1
        self._idf = {feature: math.log((1 + len(texts)) / (1 + n)) for feature, n in counts.items()}
        self._postings: dict[str, list[tuple[int, float]]] = {}
        for i, features in enumerate(grams):
            for feature, weight in self._weigh(features).items():
                self._postings.setdefault(feature, []).append((i, weight))

    def _weigh(self, features: dict[str, int]) -> dict[str, float]:
        weighted = {f: n * self._idf[f] for f, n in features.items() if self._idf.get(f, 0.0) > 0.0}
        norm = math.sqrt(sum(w * w for w in weighted.values())) or 1.0
        return {f: w / norm for f, w in weighted.items()}

    def similarities(self, text: str) -> dict[int, float]:
        """Cosine similarity of ``text`` to each example that shares a feature with it (by example index)."""
        found: dict[int, float] = {}
        for feature, weight in self._weigh(_grams(_for_embedding(text))).items():
            for i, other in self._postings.get(feature, ()):
                found[i] = found.get(i, 0.0) + weight * other
        return found


_JOINED_SCRIPTS = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]+")


def _unread_share(text: str) -> float:
    """The share of the letters of ``text`` in Hangul, kana or Han (0.0 for English, 1.0 for Korean only)."""
    joined = sum(len(run) for run in _JOINED_SCRIPTS.findall(text))
    letters = sum(char.isalpha() for char in text)
    return joined / letters if letters else 0.0


def _grams(text: str) -> dict[str, int]:
    """Features of ``text``: the character pairs of its Hangul, kana and Han runs (a lone character alone)."""
    text = text.lower()
    features: dict[str, int] = {}
    for run in _JOINED_SCRIPTS.findall(text):
        for gram in [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]:
            features[gram] = features.get(gram, 0) + 1
    return features


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
